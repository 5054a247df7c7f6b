package graph

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
)

// Authorization lives here and only here: the four directives of
// common.graphqls, and authorizeAccount for the few resolvers whose account
// is only known after a lookup (revokeInvitation, revokeApiToken).

func (r *Resolver) signedIn(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if auth.FromContext(ctx) == nil {
		return nil, models.Errorf(models.EUnauthenticated, "sign in first")
	}
	return next(ctx)
}

func (r *Resolver) staffOnly(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, models.Errorf(models.EUnauthenticated, "sign in first")
	}
	if !p.Staff() {
		return nil, models.Errorf(models.EForbidden, "only platform support staff may do this")
	}
	return next(ctx)
}

func (r *Resolver) member(ctx context.Context, obj any, next graphql.Resolver, role models.Role, staff bool) (any, error) {
	accountID, err := accountIDOf(ctx, obj)
	if err != nil {
		return nil, err
	}
	if err := r.authorizeAccount(ctx, accountID, role, staff); err != nil {
		return nil, err
	}
	return next(ctx)
}

func (r *Resolver) gated(ctx context.Context, obj any, next graphql.Resolver, environment *models.Environment) (any, error) {
	accountID, err := accountIDOf(ctx, obj)
	if err != nil {
		return nil, err
	}
	// The membership check normally ran already (see common.graphqls); it is
	// memoised, and repeating it keeps the gate from ever answering a
	// non-member.
	if err := r.authorizeAccount(ctx, accountID, models.RoleReadOnly, false); err != nil {
		return nil, err
	}
	if auth.FromContext(ctx).Staff() {
		return next(ctx)
	}
	env := models.EnvironmentSandbox
	if environment != nil {
		env = *environment
	}
	if e, ok := graphql.GetFieldContext(ctx).Args["environment"].(models.Environment); ok {
		env = e
	}
	missing, err := loadersFrom(ctx).gates.Load(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if gate := missing.Gate(env); gate.Locked {
		return nil, &models.Error{Code: models.EContactInfoRequired, Missing: gate.Missing,
			Message: fmt.Sprintf("complete the contact info for %s first", env)}
	}
	return next(ctx)
}

// authorizeAccount decides whether the caller may act on an account with at
// least role. Non-members get NOT_FOUND, so that account ids cannot be
// probed; staff read every account but write only where staffMayWrite.
func (r *Resolver) authorizeAccount(ctx context.Context, accountID string, role models.Role, staffMayWrite bool) error {
	p := auth.FromContext(ctx)
	if p == nil {
		return models.Errorf(models.EUnauthenticated, "sign in first")
	}
	have, err := r.roleIn(ctx, p, accountID)
	if err != nil {
		return err
	}
	if have == "" {
		return models.Errorf(models.ENotFound, "account not found")
	}
	if have == staffRole {
		if role == models.RoleReadOnly || staffMayWrite {
			return nil
		}
		return models.Errorf(models.EForbidden, "platform support staff do not edit a partner's account")
	}
	if !have.Includes(role) {
		if p.Token != nil {
			return models.Errorf(models.EForbidden, "this API token may not do this")
		}
		return models.Errorf(models.EForbidden, "your role does not allow this; ask an administrator")
	}
	return nil
}

// staffRole stands for "staff, reading an existing account".
const staffRole models.Role = "STAFF"

// roleIn returns the caller's role in an account ("" when none), memoised
// for the request.
func (r *Resolver) roleIn(ctx context.Context, p *auth.Principal, accountID string) (models.Role, error) {
	memo := loadersFrom(ctx).roles
	memo.mu.Lock()
	defer memo.mu.Unlock()
	if role, ok := memo.byAccount[accountID]; ok {
		return role, nil
	}
	var role models.Role
	switch {
	case p.Token != nil:
		// A token acts for its one account only: as an editor, or a reader.
		if p.Token.AccountID == accountID {
			role = models.RoleEditor
			if p.Token.ReadOnly {
				role = models.RoleReadOnly
			}
		}
	case p.Staff():
		// Every account has its contact_infos row: the gate query is the
		// existence check.
		read, err := r.readGate(ctx, accountID, "")
		if err != nil {
			return "", err
		}
		if read.Found {
			role = staffRole
		}
	default:
		// The membership and the gate in one statement, shared with
		// accessGate (see gate.go), so that the portal's most frequent
		// request costs one.
		read, err := r.readGate(ctx, accountID, p.User.ID)
		if err != nil {
			return "", err
		}
		role = read.Role
	}
	memo.byAccount[accountID] = role
	return role, nil
}

// roleMemo remembers, for one request, the caller's role in each account
// it asked about.
type roleMemo struct {
	mu        sync.Mutex
	byAccount map[string]models.Role
}

func newRoleMemo() *roleMemo {
	return &roleMemo{byAccount: map[string]models.Role{}}
}

func (m *roleMemo) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byAccount = map[string]models.Role{}
}

// accountIDOf finds the account a field concerns: the parent Account, or
// the accountId / id argument, or input.accountId.
func accountIDOf(ctx context.Context, obj any) (string, error) {
	if acc, ok := obj.(*models.Account); ok && acc != nil {
		return acc.ID, nil
	}
	args := graphql.GetFieldContext(ctx).Args
	if id, ok := args["accountId"].(string); ok {
		return id, nil
	}
	if id, ok := args["id"].(string); ok && graphql.GetFieldContext(ctx).Field.Name == "account" {
		return id, nil
	}
	if in, ok := args["input"]; ok {
		v := reflect.Indirect(reflect.ValueOf(in))
		if v.Kind() == reflect.Struct {
			if f := v.FieldByName("AccountID"); f.IsValid() && f.Kind() == reflect.String {
				return f.String(), nil
			}
		}
	}
	return "", fmt.Errorf("no account for field %s", graphql.GetFieldContext(ctx).Field.Name)
}
