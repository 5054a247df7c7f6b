package graph

import "github.com/contactgate/contactgate/graph/model"

// connectionPage builds the edges and the page info of one page of a Relay
// connection from the page's nodes, in order: cursor names a node's position
// (the store's keyset cursor), edge wraps a node with it. Every connection
// the schema has is shaped this way, so the page info (hasNextPage, the last
// edge's cursor as endCursor) is computed here once.
func connectionPage[N any, E any](nodes []N, hasNext bool, cursor func(N) string, edge func(cursor string, node N) E) ([]E, *model.PageInfo) {
	edges := make([]E, len(nodes))
	info := &model.PageInfo{HasNextPage: hasNext}
	for i, n := range nodes {
		c := cursor(n)
		edges[i] = edge(c, n)
		if i == len(nodes)-1 {
			info.EndCursor = &c
		}
	}
	return edges, info
}
