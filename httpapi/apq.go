package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// persistedQueries are automatic persisted queries (the Apollo protocol:
// extensions.persistedQuery {version: 1, sha256Hash}), answered as
// gqlgen's extension.AutomaticPersistedQuery answers them (same errors,
// same PERSISTED_QUERY_NOT_FOUND code), with the extension read by hand:
// gqlgen decodes it with mapstructure, about 40 allocations, which made a
// request by hash (the SPA's) dearer than one with the query text.
type persistedQueries struct{ cache graphql.Cache[string] }

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = persistedQueries{}

func (persistedQueries) ExtensionName() string                   { return "AutomaticPersistedQuery" }
func (persistedQueries) Validate(graphql.ExecutableSchema) error { return nil }

func (p persistedQueries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	ext := raw.Extensions["persistedQuery"]
	if ext == nil {
		return nil
	}
	m, ok := ext.(map[string]any)
	if !ok {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	hash, ok := m["sha256Hash"].(string)
	if !ok && m["sha256Hash"] != nil {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	version, ok := apqVersion(m["version"])
	if !ok {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	if version != 1 {
		return gqlerror.Errorf("unsupported APQ version")
	}
	if raw.Query == "" {
		// The client sent the hash alone: the query must be known.
		if raw.Query, ok = p.cache.Get(ctx, hash); !ok {
			err := gqlerror.Errorf("PersistedQueryNotFound")
			errcode.Set(err, "PERSISTED_QUERY_NOT_FOUND")
			return err
		}
		return nil
	}
	// The client sent the query with its hash: check and remember it.
	sum := sha256.Sum256([]byte(raw.Query))
	if hex.EncodeToString(sum[:]) != hash {
		return gqlerror.Errorf("provided APQ hash does not match query")
	}
	p.cache.Add(ctx, hash, raw.Query)
	return nil
}

// apqVersion reads the version as mapstructure would into an int64: a
// JSON number (json.Number, as gqlgen's transports decode) or a Go number;
// absent is 0.
func apqVersion(v any) (int64, bool) {
	switch n := v.(type) {
	case nil:
		return 0, true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		return int64(f), err == nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return int64(n), true
	case int:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}
