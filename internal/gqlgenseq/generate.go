package main

import (
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

// inlineObjects are the object types whose resolver fields gqlgen calls in
// the object's own goroutine, one after another, instead of scheduling a
// goroutine for each (gqlgen does this for Mutation only). Such a field
// must not wait on anything another field of a sibling object would fill:
// a field that waits on a loader makes that object's later fields wait
// behind it, and a list of such objects (once inlined by rewrite) waits
// element by element. Every field of these types is pure computation on
// the parent or a loader read of a key that every element of a list shares
// or that the parent primed:
//
//   - AccessGate: the review fields compute from the review read with the
//     gate (models.GateState);
//   - Contact: reachability reads the reach loader by the contact's account,
//     one key for all contacts of an account;
//   - ContactInfo: its contact lists and warning codes are the parent's own
//     data; alertContacts and updatedBy read users (primed by the staff
//     listing), warnings reads one account's data for the form;
//   - SupportHours, ContactWarning: pure computation;
//   - Member: user reads users, which Account.members loads for all of the
//     account's members at once before returning them; account reads the
//     parent account.
//
// On the staff page of 100 accounts these are about 2,000 goroutines
// (each with a stack grown two or three times) per page.
var inlineObjects = []string{"AccessGate", "Contact", "ContactInfo", "ContactWarning", "Member", "SupportHours"}

// inlineResolvers is the gqlgen plugin that marks inlineObjects.
type inlineResolvers struct{ names []string }

func (inlineResolvers) Name() string { return "inline-resolvers" }

func (p inlineResolvers) GenerateCode(data *codegen.Data) error {
	found := map[string]bool{}
	for _, o := range data.Objects {
		if slices.Contains(p.names, o.Name) {
			if o.Root {
				return fmt.Errorf("%s is a root type", o.Name)
			}
			o.DisableConcurrency = true
			found[o.Name] = true
		}
	}
	for _, n := range p.names {
		if !found[n] {
			return fmt.Errorf("no object type %s in the schema", n)
		}
	}
	return nil
}

// generate runs gqlgen as `gqlgen generate` does (gqlgen.yml), with the
// inline-resolvers plugin.
func generate() error {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		return fmt.Errorf("load gqlgen.yml: %w", err)
	}
	if err := api.Generate(cfg, api.AddPlugin(inlineResolvers{names: inlineObjects})); err != nil {
		return fmt.Errorf("gqlgen: %w", err)
	}
	return nil
}
