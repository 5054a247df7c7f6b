package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
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
