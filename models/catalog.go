package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// IntegrationType is an entry of the catalogue: what merchant-issues
// contacts an account of this type must give.
type IntegrationType struct {
	Name           string      `json:"name"`
	Label          string      `json:"label"`
	MerchantIssues Requirement `json:"merchantIssues"`
}

//go:embed integration_types.json
var integrationTypesJSON []byte

// Catalog is the catalogue of integration types, kept as data.
type Catalog struct {
	types  []IntegrationType
	byName map[string]IntegrationType
}

// LoadCatalog parses a catalogue; nil data means the embedded default.
func LoadCatalog(data []byte) (*Catalog, error) {
	if data == nil {
		data = integrationTypesJSON
	}
	var types []IntegrationType
	if err := json.Unmarshal(data, &types); err != nil {
		return nil, fmt.Errorf("parse integration types: %w", err)
	}
	c := &Catalog{types: types, byName: map[string]IntegrationType{}}
	for _, t := range types {
		switch t.MerchantIssues {
		case Required, Optional, Unavailable:
		default:
			return nil, fmt.Errorf("integration type %s: unknown requirement %q", t.Name, t.MerchantIssues)
		}
		c.byName[t.Name] = t
	}
	return c, nil
}

// DefaultCatalog returns the embedded catalogue.
func DefaultCatalog() *Catalog {
	c, err := LoadCatalog(nil)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return c
}

// Types lists the catalogue in its file order.
func (c *Catalog) Types() []IntegrationType { return c.types }

// Known reports whether name is in the catalogue.
func (c *Catalog) Known(name string) bool { _, ok := c.byName[name]; return ok }

// MerchantIssues returns the strictest requirement among types; unknown
// types count as UNAVAILABLE.
func (c *Catalog) MerchantIssues(types []string) Requirement {
	best := Unavailable
	for _, name := range types {
		switch c.byName[name].MerchantIssues {
		case Required:
			return Required
		case Optional:
			best = Optional
		}
	}
	return best
}
