package graph

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// Helpers of the review cycle, warnings and staff health resolvers.

// accountGate is Account.accessGate: the gate and the review it was read
// with, from the request's gates loader (primed by the staff listing).
func (r *Resolver) accountGate(ctx context.Context, accountID string, env models.Environment) (*models.AccessGate, error) {
	g, err := loadersFrom(ctx).gates.Load(ctx, accountID)
	if err != nil {
		return nil, notFoundAs(err, "account")
	}
	gate := g.Gate(accountID, env)
	return &gate, nil
}

// gateReview is the review cycle behind a gate's review fields: the one
// computed with the gate (live views), or from the last review that every
// gate read reads with it (models.GateState).
func (r *Resolver) gateReview(_ context.Context, gate *models.AccessGate) (models.Review, error) {
	if gate.Review != nil {
		return *gate.Review, nil
	}
	if !gate.ReviewRead {
		return models.Review{}, fmt.Errorf("gate of %s made without its review", gate.AccountID)
	}
	return r.Services.ContactInfo.ReviewAt(gate.ReviewedAt), nil
}

// sameReview tells whether two gate reads show the same review state.
func sameReview(a, b *models.Review) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ReviewedAt.Equal(b.ReviewedAt) && a.State == b.State
}

// accountHealth counts the accounts of each part of the staff summary in
// one pass over contact_infos (gormstore.CountAccountsEach): each count is
// taken with the listing's own condition for the filter that part links to,
// so it equals that list's totalCount.
func (r *Resolver) accountHealth(ctx context.Context, env *models.Environment) (*model.AccountHealth, error) {
	e := models.EnvironmentProduction
	if env != nil {
		e = *env
	}
	locked, unlocked, has := true, false, true
	out := &model.AccountHealth{Environment: e, Warnings: []*model.WarningCount{}}
	filters := []gormstore.AccountFilter{
		{},
		{Environment: e, Locked: &unlocked},
		{Environment: e, Locked: &locked},
		reviewFilter(r, models.ReviewCurrent),
		reviewFilter(r, models.ReviewDue),
		reviewFilter(r, models.ReviewLocked),
		{HasWarnings: &has},
		{Reachability: models.FilterUnreachable},
		{Reachability: models.FilterUnverified},
	}
	into := []*int{&out.Total, &out.Complete, &out.Locked, &out.ReviewCurrent, &out.ReviewDue, &out.ReviewLocked, &out.WithWarnings,
		&out.Unreachable, &out.Unverified}
	// Only codes stored with the data: REVIEW_DUE is the review parts.
	for _, c := range models.WarningCodes {
		if c == models.WarnReviewDue {
			continue
		}
		wc := &model.WarningCount{Code: c}
		out.Warnings = append(out.Warnings, wc)
		filters = append(filters, gormstore.AccountFilter{Warning: c})
		into = append(into, &wc.Accounts)
	}
	counts, err := r.Services.Accounts.CountEach(ctx, filters)
	if err != nil {
		return nil, err
	}
	for i, n := range counts {
		*into[i] = int(n)
	}
	return out, nil
}

func reviewFilter(r *Resolver, s models.ReviewState) gormstore.AccountFilter {
	var f gormstore.AccountFilter
	f.ReviewedAfter, f.ReviewedAtOrBefore = r.Services.Review.Bounds(s)
	return f
}
