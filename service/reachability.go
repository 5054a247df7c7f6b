package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// ReachabilityService owns whether an account's addresses reach someone:
// their states, the verification and test links, bounces and the launch
// rule that needs verified contacts.
type ReachabilityService struct {
	deps Deps
}

func newReachabilityService(d Deps) *ReachabilityService { return &ReachabilityService{deps: d} }

// errLinkInvalid is the one answer to every bad link: unknown, used,
// expired, tampered with, or for an address removed since. One answer, so
// that links cannot be probed.
func errLinkInvalid() error {
	return models.ErrorWithReason(models.ENotFound, models.ReasonLinkInvalid,
		"this link is not valid: it may have been used or have expired, or the address was changed since")
}

// ReachabilityChange is what is announced after a state change commits.
type ReachabilityChange struct {
	AccountID string
	Email     string
	State     models.ReachState
}

// ByAccountIDs loads the reachability of the addresses of several
// accounts (email → state), for the request loaders.
func (s *ReachabilityService) ByAccountIDs(ctx context.Context, ids []string) (map[string]map[string]*models.Reachability, error) {
	rows, err := s.deps.Store.ReachabilityByAccountIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]*models.Reachability, len(ids))
	for _, id := range ids {
		m := map[string]*models.Reachability{}
		for _, r := range rows[id] {
			m[r.Email] = r
		}
		out[id] = m
	}
	return out, nil
}

// addressFields maps the account's addresses to their fields, reading the
// alert contacts' emails.
func addressFields(ctx context.Context, store *gormstore.DB, info models.ContactInfo) (map[string][]models.ContactField, map[string]bool, error) {
	users, err := store.UsersByIDs(ctx, info.AlertContactIDs)
	if err != nil {
		return nil, nil, err
	}
	emails := make(map[string]string, len(users))
	members := make(map[string]bool, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
		members[models.NormalizeEmail(u.Email)] = true
	}
	return models.AddressFields(info, emails), members, nil
}

// Summary counts the account's unreachable and unverified addresses.
func (s *ReachabilityService) Summary(ctx context.Context, info models.ContactInfo, states map[string]*models.Reachability) (models.ReachabilitySummary, error) {
	fields, _, err := addressFields(ctx, s.deps.Store, info)
	if err != nil {
		return models.ReachabilitySummary{}, err
	}
	return models.Summarize(fields, stateMap(states)), nil
}

func stateMap(rs map[string]*models.Reachability) map[string]models.ReachState {
	out := make(map[string]models.ReachState, len(rs))
	for e, r := range rs {
		out[e] = r.State
	}
	return out
}

// SyncTx brings the account's reachability in line with its contact info
// just saved, inside the save's transaction: a new address (or a changed
// one, which is a new address) starts UNVERIFIED and gets one
// verification mail listing every field it is in; an alert contact's
// address starts VERIFIED (the member proved it by accepting an
// invitation); an address in no field any more is forgotten with its
// links. actor's language is the mails' when the recipient has none.
func (s *ReachabilityService) SyncTx(ctx context.Context, tx *gormstore.DB, actor *models.User, info models.ContactInfo) error {
	fields, members, err := addressFields(ctx, tx, info)
	if err != nil {
		return err
	}
	existing, err := tx.ReachabilityByAccountIDs(ctx, []string{info.AccountID})
	if err != nil {
		return err
	}
	known := map[string]*models.Reachability{}
	var gone []string
	for _, r := range existing[info.AccountID] {
		known[r.Email] = r
		if _, ok := fields[r.Email]; !ok {
			gone = append(gone, r.Email)
		}
	}
	if err := tx.DeleteReachability(ctx, info.AccountID, gone); err != nil {
		return err
	}
	now := s.deps.now()
	var fresh []string
	for email := range fields {
		r := known[email]
		switch {
		case r == nil && members[email]:
			m := models.VerifiedByInvitation
			if _, err := tx.InsertReachability(ctx, models.Reachability{AccountID: info.AccountID, Email: email,
				State: models.ReachVerified, Since: now, VerifiedBy: &m}); err != nil {
				return err
			}
		case r == nil:
			fresh = append(fresh, email)
		case members[email] && r.State == models.ReachUnverified:
			if err := s.setState(ctx, tx, nil, r, fields[email], models.ReachVerified, nil, models.VerifiedByInvitation); err != nil {
				return err
			}
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	slices.Sort(fresh)
	acc, err := tx.Account(ctx, info.AccountID)
	if err != nil {
		return err
	}
	locales, err := tx.LocalesByEmail(ctx, fresh)
	if err != nil {
		return err
	}
	// The save stands past the quota: the addresses beyond it stay
	// UNVERIFIED without a mail, and a resend works once the window allows.
	granted, err := s.reserveContactMails(ctx, tx, info.AccountID, len(fresh), true)
	if quota := (errQuotaReached{}); errors.As(err, &quota) {
		granted, err = 0, nil
	}
	if err != nil {
		return err
	}
	if granted < len(fresh) {
		s.deps.Log.InfoContext(ctx, "verification mails not sent: daily quota reached", "account_id", info.AccountID,
			"not_sent", len(fresh)-granted)
	}
	for i, email := range fresh {
		r, err := tx.InsertReachability(ctx, models.Reachability{AccountID: info.AccountID, Email: email,
			State: models.ReachUnverified, Since: now})
		if err != nil {
			return err
		}
		if i >= granted {
			continue
		}
		if err := s.queueVerification(ctx, tx, acc.Name, r, fields[email], pickLocale(locales[email], actor)); err != nil {
			return err
		}
	}
	tx.AfterCommit(s.deps.Events.MailQueued)
	return nil
}

// pickLocale is the recipient's language when they are a user, else the
// language of the person whose action sends the mail.
func pickLocale(recipient string, actor *models.User) string {
	if recipient != "" || actor == nil {
		return recipient
	}
	return actor.Locale
}

// errQuotaReached: the account's mails to its contact addresses of the
// window are used up (models.ContactMailsPerDay); nothing was queued.
type errQuotaReached struct{ retryAfter time.Duration }

func (e errQuotaReached) Error() string { return "contact mail quota reached" }

// asRateLimited is the quota as the API's RATE_LIMITED.
func (e errQuotaReached) asRateLimited() *models.Error {
	return &models.Error{Code: models.ERateLimited, Reason: models.ReasonContactMailQuota, RetryAfterSeconds: int(e.retryAfter.Seconds()) + 1,
		Message: fmt.Sprintf("this account has sent %d mails to its contact addresses in the last 24 hours, the most it may; try again later", models.ContactMailsPerDay)}
}

// quotaAsRateLimited is err, or the API's RATE_LIMITED for the quota.
func quotaAsRateLimited(err error) error {
	var quota errQuotaReached
	if errors.As(err, &quota) {
		return quota.asRateLimited()
	}
	return err
}

// reserveContactMails takes want mails of the account's daily quota of
// mails to its contact addresses (verifications and tests together): all
// of them or, with partial, as many as are left. It returns how many it
// took, or errQuotaReached (with the wait) when it took none.
func (s *ReachabilityService) reserveContactMails(ctx context.Context, tx *gormstore.DB, accountID string, want int, partial bool) (int, error) {
	now := s.deps.now()
	windowStart := now.Add(-models.ContactMailWindow)
	used, err := tx.ContactMailsSince(ctx, accountID, windowStart)
	if err != nil {
		return 0, err
	}
	granted := min(want, models.ContactMailsPerDay-used)
	if granted <= 0 || (!partial && granted < want) {
		oldest, err := tx.OldestContactMailSince(ctx, accountID, windowStart)
		if err != nil {
			return 0, err
		}
		return 0, errQuotaReached{retryAfter: oldest.Sub(windowStart)}
	}
	return granted, tx.RecordContactMails(ctx, accountID, granted, now, windowStart)
}

// queueVerification makes a verification link for r and queues its mail
// (the caller reserved it: reserveContactMails).
func (s *ReachabilityService) queueVerification(ctx context.Context, tx *gormstore.DB, accountName string, r *models.Reachability, fields []models.ContactField, locale string) error {
	token, expires, err := s.newLink(ctx, tx, r.ID, models.LinkVerify, nil)
	if err != nil {
		return err
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	msg := mail.VerificationMail(locale, mail.VerificationData{To: r.Email, AccountName: accountName, Fields: names,
		Link: s.deps.link("/verify-contact?token=" + url.QueryEscape(token)), ExpiresAt: expires})
	if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, msg); err != nil {
		return fmt.Errorf("queue verification: %w", err)
	}
	return nil
}

// newLink stores a fresh single-use link (its token only hashed) and
// returns the token and when it expires.
func (s *ReachabilityService) newLink(ctx context.Context, tx *gormstore.DB, reachID string, purpose models.LinkPurpose, field *models.ContactField) (string, time.Time, error) {
	token := auth.NewSecret()
	now := s.deps.now()
	expires := now.Add(models.ReachabilityTTL)
	err := tx.InsertReachLink(ctx, gormstore.NewReachLink{ReachabilityID: reachID, TokenHash: auth.HashSecret(token),
		Purpose: purpose, Field: field, CreatedAt: now, ExpiresAt: expires})
	return token, expires, err
}

// reachChangeJSON is how history records an address's state, before and
// after a change, in the field it is listed in.
func reachChangeJSON(email string, state models.ReachState) string {
	b, _ := json.Marshal(struct {
		Email        string            `json:"email"`
		Reachability models.ReachState `json:"reachability"`
	}{email, state})
	return string(b)
}

// setState moves r to state (conditional on its current state, so that
// of two concurrent changes one wins), records it in the history of each
// field the address is in, and announces it after commit.
func (s *ReachabilityService) setState(ctx context.Context, tx *gormstore.DB, actorID *string, r *models.Reachability, fields []models.ContactField,
	state models.ReachState, detail *string, method models.VerificationMethod) error {
	c := gormstore.ReachStateChange{ID: r.ID, State: state, Since: s.deps.now(), Detail: detail, From: r.State}
	if state == models.ReachVerified {
		c.VerifiedBy = &method
	}
	ok, err := tx.SetReachState(ctx, c)
	if err != nil || !ok {
		return err
	}
	for _, f := range fields {
		if err := tx.RecordChange(ctx, r.AccountID, actorID, f, reachChangeJSON(r.Email, r.State), reachChangeJSON(r.Email, state)); err != nil {
			return err
		}
	}
	if err := s.deps.webhooks.Enqueue(ctx, tx, r.AccountID, models.EventReachabilityChanged, map[string]any{
		"accountId": r.AccountID, "email": r.Email, "fields": fields, "before": r.State, "after": state,
		"detail": detail}); err != nil {
		return err
	}
	// UNREACHABLE is a stored warning: it follows the state.
	if r.State.Unreachable() != state.Unreachable() {
		if err := refreshWarnings(ctx, tx, r.AccountID, nil); err != nil {
			return err
		}
	}
	change := ReachabilityChange{AccountID: r.AccountID, Email: r.Email, State: state}
	tx.AfterCommit(func() { s.deps.Events.ReachabilityChanged(change) })
	return nil
}

// fieldsOf reads the account's contact info and returns the fields the
// address is in (none when the account no longer lists it).
func (s *ReachabilityService) fieldsOf(ctx context.Context, tx *gormstore.DB, accountID, email string) ([]models.ContactField, error) {
	info, err := tx.ContactInfo(ctx, accountID)
	if err != nil {
		return nil, err
	}
	fields, _, err := addressFields(ctx, tx, *info)
	if err != nil {
		return nil, err
	}
	return fields[email], nil
}

// Resend queues a new verification mail to one address of the account
// (EDITOR and up; the resolver rate-limits it per address). A BOUNCED or
// DISPUTED address may be asked again: its owner may have fixed the
// mailbox. A VERIFIED one is refused with CONFLICT.
func (s *ReachabilityService) Resend(ctx context.Context, actor *models.User, accountID, email string) (*models.Reachability, error) {
	email = models.NormalizeEmail(email)
	var out *models.Reachability
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		r, err := tx.ReachabilityOf(ctx, accountID, email)
		if err != nil {
			return err
		}
		if r.State == models.ReachVerified {
			return models.ErrorWithReason(models.EConflict, models.ReasonAlreadyVerified, "this address is already verified")
		}
		fields, err := s.fieldsOf(ctx, tx, accountID, email)
		if err != nil {
			return err
		}
		acc, err := tx.Account(ctx, accountID)
		if err != nil {
			return err
		}
		locales, err := tx.LocalesByEmail(ctx, []string{email})
		if err != nil {
			return err
		}
		out = r
		if _, err := s.reserveContactMails(ctx, tx, accountID, 1, false); err != nil {
			return quotaAsRateLimited(err)
		}
		// The new mail's link is the one that works: a forwarded or
		// leaked earlier mail no longer verifies the address.
		if err := tx.ExpireReachLinks(ctx, r.ID, models.LinkVerify, s.deps.now()); err != nil {
			return err
		}
		if err := s.queueVerification(ctx, tx, acc.Name, r, fields, pickLocale(locales[email], actor)); err != nil {
			return err
		}
		tx.AfterCommit(s.deps.Events.MailQueued)
		return nil
	})
	return out, err
}

// SendTest queues a test message to every address of one field, saying
// which real messages come there, each with an "I received this" link;
// each address's last test becomes QUEUED. A field without addresses
// (support hours) is refused with VALIDATION_FAILED, an empty one with
// CONTACT_INFO_REQUIRED.
func (s *ReachabilityService) SendTest(ctx context.Context, actor *models.User, accountID string, field models.ContactField) ([]*models.Reachability, error) {
	if field.Kind() != models.KindMembers && !field.HoldsContacts() {
		return nil, models.FieldErr("this field holds no addresses", "field", models.FieldInvalid, "choose a field that holds contacts")
	}
	var out []*models.Reachability
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		info, err := tx.ContactInfo(ctx, accountID)
		if err != nil {
			return err
		}
		fields, _, err := addressFields(ctx, tx, *info)
		if err != nil {
			return err
		}
		var emails []string
		for e, fs := range fields {
			if slices.Contains(fs, field) {
				emails = append(emails, e)
			}
		}
		if len(emails) == 0 {
			return &models.Error{Code: models.EContactInfoRequired, Missing: []models.ContactField{field},
				Message: fmt.Sprintf("the account has no %s contacts to test", field.APIName())}
		}
		slices.Sort(emails)
		if _, err := s.reserveContactMails(ctx, tx, accountID, len(emails), false); err != nil {
			return quotaAsRateLimited(err)
		}
		acc, err := tx.Account(ctx, accountID)
		if err != nil {
			return err
		}
		locales, err := tx.LocalesByEmail(ctx, emails)
		if err != nil {
			return err
		}
		for _, email := range emails {
			r, err := tx.ReachabilityOf(ctx, accountID, email)
			if err != nil {
				return err
			}
			f := field
			token, expires, err := s.newLink(ctx, tx, r.ID, models.LinkTest, &f)
			if err != nil {
				return err
			}
			msg := mail.TestMail(pickLocale(locales[email], actor), mail.TestData{To: email, AccountName: acc.Name, Field: string(field),
				Link: s.deps.link("/verify-contact?token=" + url.QueryEscape(token)), ExpiresAt: expires})
			outboxID, err := mail.EnqueueID(tx.Gorm(), s.deps.MailFrom, msg)
			if err != nil {
				return fmt.Errorf("queue test message: %w", err)
			}
			now := s.deps.now()
			if err := tx.RecordTest(ctx, r.ID, field, now, outboxID); err != nil {
				return err
			}
			r.LastTest = &models.ContactTest{Field: field, Status: models.TestQueued, At: now}
			out = append(out, r)
		}
		tx.AfterCommit(s.deps.Events.MailQueued)
		// A new last test is a change the live views show.
		tx.AfterCommit(func() {
			s.deps.Events.ReachabilityChanged(ReachabilityChange{AccountID: accountID, State: ""})
		})
		return nil
	})
	return out, err
}

// LinkPreview is what the public page shows before its owner presses a
// button: which partner, which address, for what.
type LinkPreview struct {
	AccountName string
	Email       string
	Purpose     models.LinkPurpose
	Fields      []models.ContactField
}

// Preview reads an open link without using it (opening the page, as mail
// scanners do, changes nothing).
func (s *ReachabilityService) Preview(ctx context.Context, token string) (*LinkPreview, error) {
	link, err := s.deps.Store.OpenReachLink(ctx, auth.HashSecret(token), s.deps.now())
	if err != nil {
		if models.ErrorCodeOf(err) == models.ENotFound {
			return nil, errLinkInvalid()
		}
		return nil, err
	}
	return s.preview(ctx, s.deps.Store, link)
}

func (s *ReachabilityService) preview(ctx context.Context, tx *gormstore.DB, link *gormstore.ReachLink) (*LinkPreview, error) {
	acc, err := tx.Account(ctx, link.Reach.AccountID)
	if err != nil {
		return nil, err
	}
	fields, err := s.fieldsOf(ctx, tx, link.Reach.AccountID, link.Reach.Email)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, errLinkInvalid()
	}
	if link.Field != nil {
		fields = []models.ContactField{*link.Field}
	}
	return &LinkPreview{AccountName: acc.Name, Email: link.Reach.Email, Purpose: link.Purpose, Fields: fields}, nil
}

// Confirm uses a link: the address becomes VERIFIED (by the link, or by
// the test message it came with, whose receipt is recorded). Any bad link
// gets the one generic answer and changes nothing.
func (s *ReachabilityService) Confirm(ctx context.Context, token string) (*LinkPreview, error) {
	return s.use(ctx, token, func(tx *gormstore.DB, link *gormstore.ReachLink, fields []models.ContactField) error {
		method := models.VerifiedByLink
		if link.Purpose == models.LinkTest {
			method = models.VerifiedByTest
			if err := tx.ConfirmTest(ctx, link.Reach.ID, s.deps.now()); err != nil {
				return err
			}
			r := link.Reach
			tx.AfterCommit(func() {
				s.deps.Events.ReachabilityChanged(ReachabilityChange{AccountID: r.AccountID, Email: r.Email, State: models.ReachVerified})
			})
		}
		if link.Reach.State == models.ReachVerified {
			return nil
		}
		return s.setState(ctx, tx, nil, link.Reach, fields, models.ReachVerified, nil, method)
	})
}

// Dispute uses a verification link to say "this is not me": the address
// becomes DISPUTED and the account's administrators are mailed.
func (s *ReachabilityService) Dispute(ctx context.Context, token string) (*LinkPreview, error) {
	return s.use(ctx, token, func(tx *gormstore.DB, link *gormstore.ReachLink, fields []models.ContactField) error {
		if link.Purpose != models.LinkVerify {
			return errLinkInvalid()
		}
		if err := s.setState(ctx, tx, nil, link.Reach, fields, models.ReachDisputed, nil, ""); err != nil {
			return err
		}
		return s.mailAdministrators(ctx, tx, link.Reach.AccountID, link.Reach.Email, fields, true, "")
	})
}

// use opens and consumes a link in one transaction, then applies fn.
func (s *ReachabilityService) use(ctx context.Context, token string, fn func(*gormstore.DB, *gormstore.ReachLink, []models.ContactField) error) (*LinkPreview, error) {
	var out *LinkPreview
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		now := s.deps.now()
		link, err := tx.OpenReachLink(ctx, auth.HashSecret(token), now)
		if err != nil {
			if models.ErrorCodeOf(err) == models.ENotFound {
				return errLinkInvalid()
			}
			return err
		}
		// An address removed from every field since the mail was sent
		// has no row and no link any more; one still listed but no
		// longer in the field a test was for is refused the same way.
		p, err := s.preview(ctx, tx, link)
		if err != nil {
			return err
		}
		won, err := tx.UseReachLink(ctx, link.ID, now)
		if err != nil {
			return err
		}
		if !won {
			return errLinkInvalid()
		}
		fields, err := s.fieldsOf(ctx, tx, link.Reach.AccountID, link.Reach.Email)
		if err != nil {
			return err
		}
		if err := fn(tx, link, fields); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// Bounced records that mail to email was given up because of the
// recipient (refused permanently, or retries ran out): the address becomes
// BOUNCED, with the server's reply, in every account that lists it, and
// each of those accounts' administrators is mailed once per change.
func (s *ReachabilityService) Bounced(ctx context.Context, email, reply string) error {
	email = models.NormalizeEmail(email)
	return s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		rows, err := tx.ReachabilityByEmail(ctx, email)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.State == models.ReachBounced {
				continue
			}
			fields, err := s.fieldsOf(ctx, tx, r.AccountID, email)
			if err != nil {
				return err
			}
			detail := reply
			if err := s.setState(ctx, tx, nil, r, fields, models.ReachBounced, &detail, ""); err != nil {
				return err
			}
			if err := s.mailAdministrators(ctx, tx, r.AccountID, email, fields, false, reply); err != nil {
				return err
			}
		}
		return nil
	})
}

// mailAdministrators tells the account's administrators that one of its
// addresses cannot be used.
func (s *ReachabilityService) mailAdministrators(ctx context.Context, tx *gormstore.DB, accountID, email string, fields []models.ContactField, disputed bool, detail string) error {
	acc, err := tx.Account(ctx, accountID)
	if err != nil {
		return err
	}
	admins, err := tx.AdministratorsOf(ctx, []string{accountID})
	if err != nil {
		return err
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f)
	}
	for _, a := range admins[accountID] {
		msg := mail.UnreachableMail(a.Locale, mail.UnreachableData{To: a.Email, AccountName: acc.Name, Email: email,
			Disputed: disputed, Detail: detail, Fields: names, Link: s.deps.link("/accounts/" + url.PathEscape(accountID) + "/contact-info")})
		if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, msg); err != nil {
			return fmt.Errorf("queue unreachable notice: %w", err)
		}
	}
	if len(admins[accountID]) > 0 {
		tx.AfterCommit(s.deps.Events.MailQueued)
	}
	return nil
}

// CheckLaunch refuses a launch with CONTACT_UNVERIFIED, listing the
// fields, unless every field required in PRODUCTION has at least one
// VERIFIED address.
func (s *ReachabilityService) CheckLaunch(ctx context.Context, accountID string) error {
	info, err := s.deps.Store.ContactInfo(ctx, accountID)
	if err != nil {
		return err
	}
	users, err := s.deps.Store.UsersByIDs(ctx, info.AlertContactIDs)
	if err != nil {
		return err
	}
	emails := make(map[string]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	rows, err := s.deps.Store.ReachabilityByAccountIDs(ctx, []string{accountID})
	if err != nil {
		return err
	}
	states := map[string]models.ReachState{}
	for _, r := range rows[accountID] {
		states[r.Email] = r.State
	}
	if missing := models.UnverifiedRequired(*info, emails, states); len(missing) > 0 {
		return &models.Error{Code: models.EContactUnverified, Unverified: missing,
			Message: "every required field needs at least one verified address before a launch"}
	}
	return nil
}

// actorFrom is the person behind the request (nil for API tokens and
// outside requests), whose language a mail takes when its recipient has
// none.
func actorFrom(ctx context.Context) *models.User {
	if p := auth.FromContext(ctx); p != nil && p.User != nil && p.Token == nil {
		return p.User
	}
	return nil
}
