package graph

import (
	"context"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
)

// Helpers of the review cycle, warnings and staff health resolvers.

// gateReview is the review cycle behind a gate's review fields: the one
// read with the gate, or one primary-key read when the gate came without
// it (asked only by clients that select the review fields).
func (r *Resolver) gateReview(ctx context.Context, gate *models.AccessGate) (models.Review, error) {
	if gate.Review != nil {
		return *gate.Review, nil
	}
	rv, err := r.Services.ContactInfo.Review(ctx, gate.AccountID)
	if err != nil {
		return models.Review{}, notFoundAs(err, "account")
	}
	gate.Review = &rv
	return rv, nil
}

// sameReview tells whether two gate reads show the same review state.
func sameReview(a, b *models.Review) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ReviewedAt.Equal(b.ReviewedAt) && a.State == b.State
}

// accountHealth counts the accounts of each part of the staff summary
// with the listing's own count (gormstore.CountAccounts), one indexed
// statement per part, so that every count equals the totalCount of the
// list its chart part links to.
func (r *Resolver) accountHealth(ctx context.Context, env *models.Environment) (*model.AccountHealth, error) {
	e := models.EnvironmentProduction
	if env != nil {
		e = *env
	}
	locked, unlocked, has := true, false, true
	out := &model.AccountHealth{Environment: e, Warnings: []*model.WarningCount{}}
	count := func(f gormstore.AccountFilter, into *int) error {
		n, err := r.Services.Accounts.Count(ctx, f)
		*into = int(n)
		return err
	}
	parts := []struct {
		f    gormstore.AccountFilter
		into *int
	}{
		{gormstore.AccountFilter{}, &out.Total},
		{gormstore.AccountFilter{Environment: e, Locked: &unlocked}, &out.Complete},
		{gormstore.AccountFilter{Environment: e, Locked: &locked}, &out.Locked},
		{reviewFilter(r, models.ReviewCurrent), &out.ReviewCurrent},
		{reviewFilter(r, models.ReviewDue), &out.ReviewDue},
		{reviewFilter(r, models.ReviewLocked), &out.ReviewLocked},
		{gormstore.AccountFilter{HasWarnings: &has}, &out.WithWarnings},
	}
	for _, p := range parts {
		if err := count(p.f, p.into); err != nil {
			return nil, err
		}
	}
	// Only codes stored with the data: REVIEW_DUE is the review parts.
	// Reachability's counts (verified, unverified, unreachable; issue 13)
	// join here as parts of their own.
	for _, c := range models.WarningCodes {
		if c == models.WarnReviewDue {
			continue
		}
		wc := &model.WarningCount{Code: c}
		if err := count(gormstore.AccountFilter{Warning: c}, &wc.Accounts); err != nil {
			return nil, err
		}
		out.Warnings = append(out.Warnings, wc)
	}
	return out, nil
}

func reviewFilter(r *Resolver, s models.ReviewState) gormstore.AccountFilter {
	var f gormstore.AccountFilter
	f.ReviewedAfter, f.ReviewedAtOrBefore = r.Services.Review.Bounds(s)
	return f
}
