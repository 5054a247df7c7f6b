package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/graph/model"
)

// marshalSliceInline marshals a list element by element in the calling
// goroutine. internal/gqlgenseq makes the generated executor call it
// instead of graphql.MarshalSliceConcurrently for lists whose elements
// resolve nothing concurrently and run no directive (contacts, support
// windows, enums, users): a goroutine per element would only add cost. As
// gqlgen's, each element gets its own FieldContext with its index (for
// error paths), and a panic nulls that element with an error, not the
// request.
func marshalSliceInline(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}

// deferredGroupFor replaces graphql.NewDeferredGroup in the generated
// object marshallers (internal/gqlgenseq): gqlgen builds a group (the
// object's path, a field set, a map) for every object it marshals; only
// an object with a deferred field uses it. Without one the group is
// empty, which is what the generated code then finds (no Defers).
func deferredGroupFor(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for i := range fields {
		if fields[i].IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{Context: ctx}
}

// Preloaded pages resolve in their own goroutine. The staff listing loads
// everything its query selects on a page's accounts before any Account
// field resolves (preload.go), so those fields wait on nothing, and
// gqlgen's goroutine per account and per Account resolver field (about 500
// per page of 100, each growing its stack) only cost. internal/gqlgenseq
// makes the generated executor call the two functions below for the
// listing's edges and for Account's resolver fields; they run inline when
// the request's loaders say the account was preloaded for everything the
// query selects on it, and exactly as gqlgen would otherwise.

// marshalEdgesInlineIfPreloaded is graphql.MarshalSliceConcurrently for a
// page of account edges.
// Its arguments are gqlgen's, then the edges.
func marshalEdgesInlineIfPreloaded(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler, edges []*model.AccountEdge) graphql.Array {
	l := loadersFrom(ctx)
	for _, e := range edges {
		if e == nil || e.Node == nil || !l.isPreloaded(e.Node.ID) {
			return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
		}
	}
	return marshalSliceInline(ctx, length, workerLimit, omitPanicHandler, marshalElement)
}

// resolveInlineIfPreloaded is FieldSet.ResolveConcurrently for a resolver
// field of an Account: inline, with the same panic guard and invalid
// counting, when the account was preloaded and the field is not deferred.
// Its arguments are the field set and gqlgen's, then the object's context,
// the account and the field.
func resolveInlineIfPreloaded(out *graphql.FieldSet, oc *graphql.OperationContext, deferred *graphql.DeferredGroup, i int,
	recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler,
	ctx context.Context, accountID string, field graphql.CollectedField) {
	if field.IsDeferred() || !loadersFrom(ctx).isPreloaded(accountID) {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	v := resolveGuarded(ctx, oc, recoverFromPanic, resolve)
	out.Values[i] = v
	if (nonNull && v == graphql.Null) || (!nonNull && v == graphql.RequiredNull) {
		atomic.AddUint32(&out.Invalids, 1)
	}
}

// resolveGuarded runs resolve; a panic is reported and resolves to null,
// as gqlgen's own guard does.
func resolveGuarded(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool,
	resolve func(ctx context.Context) graphql.Marshaler) (v graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				v = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}
