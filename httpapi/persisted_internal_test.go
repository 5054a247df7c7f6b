package httpapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// The app's parsed operations are not pushed out by other clients' texts.
func TestParsedQueriesKeepFirstParty(t *testing.T) {
	ctx := context.Background()
	const mine = "query Mine { __typename }"
	c := newParsedQueries(map[string]string{"h": mine}, 10)
	doc := &ast.QueryDocument{}
	c.Add(ctx, mine, doc)
	for i := range 100 {
		c.Add(ctx, fmt.Sprintf("query Other%d { __typename }", i), &ast.QueryDocument{})
	}
	if got, ok := c.Get(ctx, mine); !ok || got != doc {
		t.Fatal("the first-party document was evicted")
	}
	if _, ok := c.Get(ctx, "query Other0 { __typename }"); ok {
		t.Fatal("the LRU of other texts does not bound them")
	}
}

// A manifest whose key is not its text's sha256 is refused at start.
func TestPersistedQueriesRefuseABadManifest(t *testing.T) {
	if _, err := newPersistedQueries(map[string]string{"00": "query { __typename }"}, 10); err == nil {
		t.Fatal("a wrong hash was accepted")
	}
}
