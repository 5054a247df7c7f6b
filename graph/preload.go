package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
)

// Preloading of the staff listing: a page of accounts loads what its query
// selects (contact info, alert contacts, members and their users,
// invitations) with one statement per kind for the whole page, before any
// Account field resolves, and primes the request's loaders with it. The
// loaders alone would also batch, but their batches are cut by a timer, so
// the number of statements would depend on goroutine scheduling; preloading
// makes it a constant, the same for 10 or 100 accounts and on every request.

// selection is the set of fields a query asks for below a field, by name
// (aliases and fragments merged).
type selection map[string][]graphql.CollectedField

func selectionOf(ctx context.Context, sel ast.SelectionSet, typeName string) selection {
	out := selection{}
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		for _, f := range graphql.CollectFields(oc, sel, []string{typeName}) {
			out[f.Name] = append(out[f.Name], f)
		}
	}
	return out
}

func (s selection) has(name string) bool { return len(s[name]) > 0 }

// child merges the selections of every occurrence of name.
func (s selection) child(ctx context.Context, name, typeName string) selection {
	out := selection{}
	for _, f := range s[name] {
		for k, v := range selectionOf(ctx, f.Selections, typeName) {
			out[k] = append(out[k], v...)
		}
	}
	return out
}

// accountsSelection returns what an `accounts` connection query selects on
// its nodes, and whether it asks for totalCount.
func accountsSelection(ctx context.Context) (node selection, totalCount bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return selection{}, true
	}
	conn := selectionOf(ctx, fc.Field.Selections, "AccountConnection")
	return conn.child(ctx, "edges", "AccountEdge").child(ctx, "node", "Account"), conn.has("totalCount")
}

// preloadAccounts primes the request's loaders for a page of accounts.
func (r *Resolver) preloadAccounts(ctx context.Context, node selection, page *gormstore.AccountPage) error {
	l := loadersFrom(ctx)
	ids := make([]string, len(page.Accounts))
	for i, a := range page.Accounts {
		ids[i] = a.ID
		l.accounts.Prime(a.ID, a)
		if g, ok := page.Gates[a.ID]; ok {
			l.gates.Prime(a.ID, g)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// The listing is staff only: every listed account exists, so the
	// checks of its fields need no lookup.
	r.Services.Authz.ListedByStaff(ctx, ids)

	info := node.child(ctx, "contactInfo", "ContactInfo")
	members := node.child(ctx, "members", "Member")
	d, err := r.DB.PageDetails(ctx, page, gormstore.PageSelection{
		ContactInfo: node.has("contactInfo"), Members: node.has("members"), MemberUsers: members.has("user"),
		Invitations:  node.has("invitations"),
		Reachability: node.has("reachability") || node.has("addresses") || selectsContactReachability(ctx, info),
	})
	if err != nil {
		return err
	}
	if d.Reachability != nil {
		for id, m := range reachByEmail(ids, d.Reachability) {
			l.reach.Prime(id, m)
		}
	}
	for _, u := range d.Users {
		l.users.Prime(u.ID, u)
	}
	// The users the page shows that are not members' (read with them): the
	// authors of the last saves, and the alert contacts when the members'
	// users are not selected.
	var userIDs []string
	wantUpdatedBy, wantAlerts := info.has("updatedBy"), info.has("alertContacts")
	for id, ci := range d.ContactInfos {
		l.contactInfos.Prime(id, ci)
		if wantUpdatedBy && ci.UpdatedByID != nil && d.Users[*ci.UpdatedByID] == nil {
			userIDs = append(userIDs, *ci.UpdatedByID)
		}
		if wantAlerts {
			for _, uid := range ci.AlertContactIDs {
				if d.Users[uid] == nil {
					userIDs = append(userIDs, uid)
				}
			}
		}
	}
	if d.Members != nil {
		for _, id := range ids {
			l.members.Prime(id, orEmpty(d.Members[id]))
		}
	}
	if d.Invitations != nil {
		for _, id := range ids {
			l.invitations.Prime(id, orEmpty(d.Invitations[id]))
		}
	}
	if len(userIDs) > 0 {
		slices.Sort(userIDs)
		users, err := r.DB.UserProfilesByIDs(ctx, slices.Compact(userIDs))
		if err != nil {
			return err
		}
		for _, u := range users {
			l.users.Prime(u.ID, u)
		}
	}
	if preloadCovers(node, info, members) {
		l.markPreloaded(ids)
	}
	return nil
}

// preloadedAccountFields are the Account fields that, once preloadAccounts
// ran, read only the account itself or primed loaders.
var preloadedAccountFields = map[string]bool{"__typename": true, "id": true, "name": true, "integrationTypes": true,
	"createdAt": true, "launchRequestedAt": true, "accessGate": true, "contactInfo": true, "members": true,
	"invitations": true, "addresses": true}

// preloadCovers tells whether everything a page's query selects on its
// accounts was preloaded, so that their fields may resolve inline
// (marshal.go) without waiting on a loader or reading the database one
// account after another. ContactInfo.warnings reads per account; a
// member's account could select anything.
func preloadCovers(node, info, members selection) bool {
	for name := range node {
		if !preloadedAccountFields[name] {
			return false
		}
	}
	if info.has("warnings") || members.has("account") {
		return false
	}
	return true
}

// selectsContactReachability tells whether a contactInfo selection asks
// for the reachability of the contacts of any field.
func selectsContactReachability(ctx context.Context, info selection) bool {
	for _, f := range models.ContactFields {
		if f.HoldsContacts() && info.child(ctx, f.APIName(), "Contact").has("reachability") {
			return true
		}
	}
	return false
}

func orEmpty[V any](s []V) []V {
	if s == nil {
		return []V{}
	}
	return s
}

// listAccounts is the staff listing: one page, and what its query selects
// on the page's accounts, in a constant number of statements.
func (r *Resolver) listAccounts(ctx context.Context, filter *model.AccountFilter, first *int, after *string) (*model.AccountConnection, error) {
	node, wantTotal := accountsSelection(ctx)
	page, err := r.Services.Accounts.List(ctx, gormstore.PageRequest{Filter: r.accountFilter(filter),
		First: derefInt(first, 50), After: derefString(after), Count: wantTotal})
	if err != nil {
		return nil, err
	}
	if err := r.preloadAccounts(ctx, node, page); err != nil {
		return nil, err
	}
	conn := &model.AccountConnection{TotalCount: int(page.TotalCount), Edges: make([]*model.AccountEdge, len(page.Accounts))}
	for i, a := range page.Accounts {
		conn.Edges[i] = &model.AccountEdge{Cursor: page.Cursors[i], Node: a}
	}
	conn.PageInfo = pageInfo(page.HasNextPage, page.Cursors)
	return conn, nil
}
