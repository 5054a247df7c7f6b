package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
)

// ContactInfoService owns contact info, its history and the access gate.
type ContactInfoService struct {
	deps   Deps
	authz  *Authorizer
	review *ReviewService
	reach  *ReachabilityService
}

func newContactInfoService(d Deps, authz *Authorizer, review *ReviewService, reach *ReachabilityService) *ContactInfoService {
	return &ContactInfoService{deps: d, authz: authz, review: review, reach: reach}
}

// Get loads one account's contact info; NOT_FOUND when there is no such
// account.
func (s *ContactInfoService) Get(ctx context.Context, accountID string) (*models.ContactInfo, error) {
	return s.deps.Store.ContactInfo(ctx, accountID)
}

// Update validates and saves one patch: the changed fields, one history
// record each, a new version and the recomputed gate, all in one
// transaction. A refused save changes nothing. Every save bumps the
// version, even one that changes nothing, so that a client always learns
// it saved. actorID is nil for API tokens (their changes are attributed to
// no person).
func (s *ContactInfoService) Update(ctx context.Context, actorID *string, accountID string, patch models.ContactInfoPatch) (*models.ContactInfo, error) {
	var saved *models.ContactInfo
	actor := actorFrom(ctx)
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		current, err := tx.ContactInfoForUpdate(ctx, accountID)
		if err != nil {
			return err
		}
		// Alert contacts must be members of the account; the members are
		// read only when the patch names alert contacts.
		var memberIDs map[string]bool
		if patch.AlertContactUserIDs != nil {
			ids, err := tx.AccountMemberIDs(ctx, accountID)
			if err != nil {
				return err
			}
			memberIDs = make(map[string]bool, len(ids))
			for _, id := range ids {
				memberIDs[id] = true
			}
		}
		normalized, err := models.ValidatePatch(patch, models.PatchRules{
			MerchantIssues: current.MerchantIssuesRequirement,
			IsMember:       func(id string) bool { return memberIDs[id] },
		})
		if err != nil {
			return err
		}
		if patch.ExpectedVersion != nil && *patch.ExpectedVersion != current.Version {
			return &models.Error{Code: models.EConflict,
				Message: fmt.Sprintf("the contact info was changed by someone else (version %d, you edited version %d); reload and re-apply your changes", current.Version, *patch.ExpectedVersion)}
		}
		next, changed := current.Apply(normalized)
		before, after := models.MissingSet(*current), models.MissingSet(next)
		// Every save is a review: whoever saves has looked at the form.
		saved, err = tx.SaveContactInfo(ctx, gormstore.ContactInfoWrite{ActorID: actorID, Current: *current, Next: next,
			Changed: changed, Missing: after, Reviewed: true})
		if errors.Is(err, gormstore.ErrVersionChanged) {
			return models.Errorf(models.EConflict, "the contact info was changed by someone else; reload and re-apply your changes")
		}
		if err != nil {
			return err
		}
		if addressesChanged(changed) {
			if err := s.reach.SyncTx(ctx, tx, actor, *saved); err != nil {
				return err
			}
		}
		if err := refreshWarnings(ctx, tx, accountID, saved); err != nil {
			return err
		}
		if err := s.deps.webhooks.contactInfoChanged(ctx, tx, *current, next, saved.Version, changed); err != nil {
			return err
		}
		// A save that ends an overdue review changes the gate's review
		// fields, whatever happened to the missing fields.
		if before != after || s.review.At(current.ReviewedAt).Overdue() {
			tx.AfterCommit(func() { s.deps.Events.GateChanged(accountID) })
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// Confirm records that the account's contact info is still correct ("These
// are still correct"): a new review, and an entry in the history. Contact
// info that misses an account-level required field (the SANDBOX gate's
// fields) cannot be confirmed: CONTACT_INFO_REQUIRED with the missing
// fields, and nothing changes.
func (s *ContactInfoService) Confirm(ctx context.Context, actorID *string, accountID string) (*models.ContactInfo, error) {
	var out *models.ContactInfo
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		current, err := tx.ContactInfoForUpdate(ctx, accountID)
		if err != nil {
			return err
		}
		if missing := models.Missing(*current, models.EnvironmentSandbox); len(missing) > 0 {
			return &models.Error{Code: models.EContactInfoRequired, Missing: missing,
				Message: "complete the contact info before confirming it"}
		}
		review, err := tx.ConfirmReview(ctx, actorID, accountID)
		if err != nil {
			return err
		}
		current.ReviewedAt, current.ReviewCycle = review.ReviewedAt, review.Cycle
		if err := refreshWarnings(ctx, tx, accountID, current); err != nil {
			return err
		}
		out = current
		tx.AfterCommit(func() { s.deps.Events.GateChanged(accountID) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewAt is the review cycle of contact info reviewed at reviewedAt, now.
func (s *ContactInfoService) ReviewAt(reviewedAt time.Time) models.Review {
	return s.review.At(reviewedAt)
}

// Warnings computes the quality warnings of an account's contact info now
// (the stored set plus what depends on time: REVIEW_DUE), with paths and
// messages: three reads (members, former members; reachability once
// merged), so it is meant for one account at a time (the form); lists use
// the stored codes.
func (s *ContactInfoService) Warnings(ctx context.Context, info *models.ContactInfo) ([]models.ContactWarning, error) {
	in, err := warningInput(ctx, s.deps.Store, info.AccountID, info)
	if err != nil {
		return nil, err
	}
	review := s.review.At(info.ReviewedAt)
	in.Review = &review
	return models.Warnings(in), nil
}

// WarningCodes are the codes of an account's warnings from what is stored
// (no read): the data's set plus REVIEW_DUE.
func (s *ContactInfoService) WarningCodes(info *models.ContactInfo) []models.ContactWarningCode {
	set := info.Warnings
	if s.review.At(info.ReviewedAt).Overdue() {
		set |= models.WarnReviewDue.Bit()
	}
	return set.Codes()
}

// addressesChanged tells whether a save changed a field holding addresses
// (then reachability follows; support hours alone change none).
func addressesChanged(changed []models.ContactField) bool {
	for _, f := range changed {
		if f.HoldsContacts() || f.Kind() == models.KindMembers {
			return true
		}
	}
	return false
}

// History returns one page of an account's changes, newest first, after
// the change with id `after`, whether another page follows, and the total.
func (s *ContactInfoService) History(ctx context.Context, accountID string, first int, after string) ([]*models.Change, bool, int64, error) {
	return s.deps.Store.History(ctx, accountID, first, after)
}

// Gate answers the access gate of one account in env; NOT_FOUND when there
// is no such account.
func (s *ContactInfoService) Gate(ctx context.Context, accountID string, env models.Environment) (models.AccessGate, error) {
	gates, err := s.deps.Store.GatesByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return models.AccessGate{}, err
	}
	g, ok := gates[accountID]
	if !ok {
		return models.AccessGate{}, models.Errorf(models.ENotFound, "account not found")
	}
	return g.Gate(accountID, env), nil
}

// GateWithReview is Gate with the review cycle computed at once (live
// views compare successive reads); still one statement.
func (s *ContactInfoService) GateWithReview(ctx context.Context, accountID string, env models.Environment) (models.AccessGate, error) {
	gate, err := s.Gate(ctx, accountID, env)
	if err != nil {
		return gate, err
	}
	review := s.review.At(gate.ReviewedAt)
	gate.Review = &review
	return gate, nil
}

// GateRead is what the gate query tells about one account and one user.
type GateRead struct {
	// Found is false when there is no such account.
	Found bool
	// Role is the user's role in the account, "" when not a member (or
	// when the read was made for no user).
	Role models.Role
	// State is the account's missing-field set and last review, from which
	// the gate of each environment follows.
	State models.GateState
}

// ReadGate reads an account's gate and userID's membership in it in one
// statement (userID "" reads the gate alone). The membership check of a
// request and its accessGate share this one read (see graph/gate.go).
func (s *ContactInfoService) ReadGate(ctx context.Context, accountID, userID string) (GateRead, error) {
	role, state, found, err := s.deps.Store.RoleAndGate(ctx, accountID, userID)
	if err != nil {
		return GateRead{}, err
	}
	return GateRead{Found: found, Role: role, State: state}, nil
}

// PublicSupport is what an account shares with its end users: nothing
// else of its contact info.
type PublicSupport struct {
	AccountName        string
	Contact            models.Contact
	OperationalSupport models.SupportHours
}

// PublicSupportContact answers the anonymous end-user question. It copies
// only the three public values, so that no other field of the contact info
// can ever leak through it. An unknown account and one that shares no
// contact yet get the same answer, after the same lookups, so that
// anonymous callers cannot probe which account ids exist.
func (s *ContactInfoService) PublicSupportContact(ctx context.Context, accountID string) (*PublicSupport, error) {
	acc, accErr := s.deps.Store.Account(ctx, accountID)
	info, infoErr := s.deps.Store.ContactInfo(ctx, accountID)
	for _, err := range []error{accErr, infoErr} {
		if err != nil && models.ErrorCodeOf(err) != models.ENotFound {
			return nil, err
		}
	}
	if accErr != nil || infoErr != nil || info.OperationalForUsers == nil || info.OperationalSupport == nil {
		return nil, models.Errorf(models.ENotFound, "no support contact is shared for this account")
	}
	return &PublicSupport{AccountName: acc.Name, Contact: *info.OperationalForUsers, OperationalSupport: *info.OperationalSupport}, nil
}
