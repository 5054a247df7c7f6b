package graph

import (
	"context"
	"fmt"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/models"
)

// The directives of common.graphqls, and authorizeAccount for the few
// resolvers whose account is only known after a lookup (revokeInvitation,
// revokeApiToken), are adapters: what a field needs is written on it in
// the schema, and who has it is decided by service.Authorizer alone.

func (r *Resolver) signedIn(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if err := r.Services.Authz.SignedIn(ctx); err != nil {
		return nil, err
	}
	return next(ctx)
}

func (r *Resolver) staffOnly(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if err := r.Services.Authz.Staff(ctx); err != nil {
		return nil, err
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
	env := models.EnvironmentSandbox
	if environment != nil {
		env = *environment
	}
	if e, ok := graphql.GetFieldContext(ctx).Args["environment"].(models.Environment); ok {
		env = e
	}
	if err := r.Services.Authz.Gate(ctx, accountID, env, loadersFrom(ctx).gates.Load); err != nil {
		return nil, err
	}
	return next(ctx)
}

// authorizeAccount decides whether the caller may act on an account with at
// least role (see service.Authorizer.Account).
func (r *Resolver) authorizeAccount(ctx context.Context, accountID string, role models.Role, staffMayWrite bool) error {
	return r.Services.Authz.Account(ctx, accountID, role, staffMayWrite)
}

// accessGate answers Query.accessGate. It reads the gate itself unless the
// Authorizer already holds it for this request: deciding the caller's
// membership reads the gate in the same statement (service.Authorizer
// KnownGate), so that the portal's most frequent request costs one
// statement. Without that check having run (an API token, whose membership
// needs no lookup) it costs one read here, and the answer is the same.
// Only this root query field uses the remembered gate: it is read in the
// same request, before any field resolves, and a query writes nothing.
func (r *Resolver) accessGate(ctx context.Context, accountID string, env models.Environment) (*models.AccessGate, error) {
	if g, ok := r.Services.Authz.KnownGate(ctx, accountID); ok {
		gate := g.Gate(accountID, env)
		return &gate, nil
	}
	gate, err := r.Services.ContactInfo.Gate(ctx, accountID, env)
	if err != nil {
		return nil, err
	}
	return &gate, nil
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
