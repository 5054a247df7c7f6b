package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// persistedQueries is the automatic-persisted-query cache: the app's own
// operations (the embedded manifest, see frontend.PersistedDocuments) are
// always there, so the app sends their hash alone from the first request on;
// what other clients register with a hash and the full text lives in a small
// LRU beside them and can never replace a first-party text.
type persistedQueries struct {
	firstParty map[string]string
	others     *lru.LRU[string]
}

var _ graphql.Cache[string] = persistedQueries{}

// newPersistedQueries checks that every manifest entry's key is the sha256
// of its text: a manifest out of step with its texts would run a different
// operation than the app asked for.
func newPersistedQueries(firstParty map[string]string, others int) (persistedQueries, error) {
	for hash, text := range firstParty {
		sum := sha256.Sum256([]byte(text))
		if hex.EncodeToString(sum[:]) != hash {
			return persistedQueries{}, fmt.Errorf("persisted document %.12s…: the hash is not the sha256 of its text", hash)
		}
	}
	return persistedQueries{firstParty: firstParty, others: lru.New[string](others)}, nil
}

func (p persistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if text, ok := p.firstParty[hash]; ok {
		return text, true
	}
	return p.others.Get(ctx, hash)
}

func (p persistedQueries) Add(ctx context.Context, hash, text string) {
	if _, ok := p.firstParty[hash]; ok {
		return
	}
	p.others.Add(ctx, hash, text)
}

// persistedQuery is gqlgen's extension.AutomaticPersistedQuery with the same
// protocol, answers and error codes, without decoding the extension through
// mapstructure (reflection and some forty allocations a request): the app
// sends every query and mutation this way.
type persistedQuery struct {
	cache graphql.Cache[string]
}

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = persistedQuery{}

func (persistedQuery) ExtensionName() string { return "PersistedQuery" }

func (persistedQuery) Validate(graphql.ExecutableSchema) error { return nil }

func (p persistedQuery) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	raw, ok := params.Extensions["persistedQuery"]
	if !ok || raw == nil {
		return nil
	}
	ext, ok := raw.(map[string]any)
	if !ok {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	hash, hashOK := ext["sha256Hash"].(string)
	if v, ok := ext["sha256Hash"]; ok && v != nil && !hashOK {
		return gqlerror.Errorf("invalid APQ extension data")
	}
	// JSON numbers decode as float64 (or json.Number with UseNumber).
	switch v := ext["version"].(type) {
	case float64:
		if v != 1 {
			return gqlerror.Errorf("unsupported APQ version")
		}
	case json.Number:
		if v.String() != "1" {
			return gqlerror.Errorf("unsupported APQ version")
		}
	case nil:
		return gqlerror.Errorf("unsupported APQ version")
	default: // not a number: gqlgen's extension could not decode it either
		return gqlerror.Errorf("invalid APQ extension data")
	}
	if params.Query == "" {
		text, ok := p.cache.Get(ctx, hash)
		if !ok {
			err := gqlerror.Errorf("PersistedQueryNotFound")
			errcode.Set(err, "PERSISTED_QUERY_NOT_FOUND")
			return err
		}
		params.Query = text
		return nil
	}
	sum := sha256.Sum256([]byte(params.Query))
	if hex.EncodeToString(sum[:]) != hash {
		return gqlerror.Errorf("provided APQ hash does not match query")
	}
	p.cache.Add(ctx, hash, params.Query)
	return nil
}

// parsedQueries is the executor's cache of parsed and validated documents:
// the app's own operations, once gqlgen has parsed and validated them (with
// the server's rules), stay for the life of the process; other texts share
// an LRU and cannot push the app's out of it.
type parsedQueries struct {
	firstParty map[string]struct{}
	pinned     *sync.Map // text → *ast.QueryDocument
	others     *lru.LRU[*ast.QueryDocument]
}

var _ graphql.Cache[*ast.QueryDocument] = parsedQueries{}

func newParsedQueries(firstParty map[string]string, others int) parsedQueries {
	texts := make(map[string]struct{}, len(firstParty))
	for _, text := range firstParty {
		texts[text] = struct{}{}
	}
	return parsedQueries{firstParty: texts, pinned: &sync.Map{}, others: lru.New[*ast.QueryDocument](others)}
}

func (p parsedQueries) Get(ctx context.Context, text string) (*ast.QueryDocument, bool) {
	if doc, ok := p.pinned.Load(text); ok {
		return doc.(*ast.QueryDocument), true
	}
	return p.others.Get(ctx, text)
}

func (p parsedQueries) Add(ctx context.Context, text string, doc *ast.QueryDocument) {
	if _, ok := p.firstParty[text]; ok {
		p.pinned.Store(text, doc)
		return
	}
	p.others.Add(ctx, text, doc)
}
