package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/mail"
	"github.com/contactgate/contactgate/models"
)

// MemberService owns members and invitations and their guards: an account
// keeps at least one administrator, its only alert contact stays until
// another is chosen, nobody changes their own role, and an invitation link
// never acts as a password.
type MemberService struct {
	deps  Deps
	authz *Authorizer
	reach *ReachabilityService
}

func newMemberService(d Deps, authz *Authorizer, reach *ReachabilityService) *MemberService {
	return &MemberService{deps: d, authz: authz, reach: reach}
}

// UpdateRole changes a member's role.
func (s *MemberService) UpdateRole(ctx context.Context, actorID, accountID, userID string, role models.Role) (*models.Member, error) {
	if !role.Valid() {
		return nil, models.FieldErr("unknown role", "role", models.FieldRoleInvalid, "choose a role")
	}
	if actorID == userID {
		return nil, models.ErrorWithReason(models.EForbidden, models.ReasonOwnRole, "you cannot change your own role; ask another administrator")
	}
	var out *models.Member
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		if err := tx.LockAccountMembers(ctx, accountID); err != nil {
			return err
		}
		m, err := tx.Member(ctx, accountID, userID)
		if err != nil {
			return err
		}
		if m.Role == models.RoleAdministrator && role != models.RoleAdministrator {
			if err := requireAnotherAdministrator(ctx, tx, accountID, userID); err != nil {
				return err
			}
		}
		if err := tx.SetMemberRole(ctx, accountID, userID, role); err != nil {
			return err
		}
		if err := auditMember(ctx, tx, accountID, userID, gormstore.AuditEvent{Action: models.AuditMemberRoleChanged,
			Before: string(m.Role), After: string(role)}); err != nil {
			return err
		}
		m.Role = role
		out = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.deps.Events.AccessChanged(accountID)
	return out, nil
}

// Remove removes a member. The account keeps at least one administrator;
// the only alert contact stays until another is chosen; a member who was
// one of several alert contacts is taken off the list, and that change is
// recorded in the history. A person removed from their last account is
// signed out everywhere.
func (s *MemberService) Remove(ctx context.Context, actorID *string, accountID, userID string) error {
	gateChanged := false
	removedEmail := ""
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		if err := tx.LockAccountMembers(ctx, accountID); err != nil {
			return err
		}
		m, err := tx.Member(ctx, accountID, userID)
		if err != nil {
			return err
		}
		if m.Role == models.RoleAdministrator {
			if err := requireAnotherAdministrator(ctx, tx, accountID, userID); err != nil {
				return err
			}
		}
		info, err := tx.ContactInfoForUpdate(ctx, accountID)
		if err != nil {
			return err
		}
		kept := *info // the contact info after the removal
		if slices.Contains(info.AlertContactIDs, userID) {
			if len(info.AlertContactIDs) == 1 {
				return models.ErrorWithReason(models.EConflict, models.ReasonOnlyAlertContact, "this member is the only alert contact; choose another alert contact first")
			}
			next := *info
			next.AlertContactIDs = slices.DeleteFunc(slices.Clone(info.AlertContactIDs), func(id string) bool { return id == userID })
			before, after := models.MissingSet(*info), models.MissingSet(next)
			_, err := tx.SaveContactInfo(ctx, gormstore.ContactInfoWrite{ActorID: actorID, Current: *info, Next: next,
				Changed: []models.ContactField{models.FieldAlertContacts}, Missing: after})
			if errors.Is(err, gormstore.ErrVersionChanged) {
				return models.Errorf(models.EConflict, "the contact info was changed by someone else; try again")
			}
			if err != nil {
				return err
			}
			if err := s.deps.webhooks.contactInfoChanged(ctx, tx, *info, next, info.Version+1,
				[]models.ContactField{models.FieldAlertContacts}); err != nil {
				return err
			}
			gateChanged = before != after
			kept = next
			kept.Version = info.Version + 1
		}
		if err := tx.DeleteMember(ctx, accountID, userID); err != nil {
			return err
		}
		// The person's address was verified by their membership: it is
		// forgotten if no field names it any more (the alert contacts
		// did), and keeps its state otherwise (FORMER_MEMBER warns).
		if err := s.reach.SyncTx(ctx, tx, nil, kept); err != nil {
			return err
		}
		if removedEmail, err = tx.UserEmail(ctx, userID); err != nil {
			return err
		}
		if err := s.leftAccount(ctx, tx, accountID, removedEmail); err != nil {
			return err
		}
		if err := s.deps.webhooks.Enqueue(ctx, tx, accountID, models.EventMemberRemoved, map[string]any{
			"accountId": accountID, "userId": userID, "role": m.Role}); err != nil {
			return err
		}
		left, err := tx.CountMemberships(ctx, userID)
		if err != nil {
			return err
		}
		if err := auditMember(ctx, tx, accountID, userID, gormstore.AuditEvent{Action: models.AuditMemberRemoved, Before: string(m.Role)}); err != nil {
			return err
		}
		if left > 0 {
			return nil
		}
		ended, err := tx.DeleteUserSessions(ctx, userID)
		if err != nil || ended == 0 {
			return err
		}
		return auditMember(ctx, tx, accountID, userID, gormstore.AuditEvent{Action: models.AuditSessionsEnded, After: fmt.Sprint(ended)})
	})
	if err != nil {
		return err
	}
	if gateChanged {
		s.deps.Events.GateChanged(accountID)
	}
	s.deps.Events.AccessChanged(accountID)
	s.deps.Events.AccessChanged(gormstore.UserAccessKey(userID))
	s.deps.Events.MemberRemoved(accountID, userID, removedEmail)
	return nil
}

// leftAccount records that email left the account (a member removed, an
// invitation revoked): the contact fields still listing it show
// FORMER_MEMBER, and the administrators are told by mail which fields
// still name that person. It is derived data: the flag is the email's
// presence in former_members, forgotten when the person joins again.
func (s *MemberService) leftAccount(ctx context.Context, tx *gormstore.DB, accountID, email string) error {
	recorded, err := tx.AddFormerMember(ctx, accountID, email)
	if err != nil || !recorded {
		return err
	}
	info, err := tx.ContactInfo(ctx, accountID)
	if err != nil {
		return err
	}
	if err := refreshWarnings(ctx, tx, accountID, info); err != nil {
		return err
	}
	var fields []string
	for _, f := range models.ContactFields {
		for _, c := range info.Contacts(f) {
			if strings.EqualFold(c.Email, email) {
				fields = append(fields, f.APIName())
				break
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	acc, err := tx.Account(ctx, accountID)
	if err != nil {
		return err
	}
	admins, err := tx.MembersWithRoles(ctx, accountID, models.RoleAdministrator)
	if err != nil {
		return err
	}
	for _, a := range admins {
		m := mail.FormerMemberMail(a.Locale, mail.FormerMemberData{To: a.Email, AccountName: acc.Name, Email: email,
			Fields: fields, Link: s.deps.link("/accounts/" + accountID + "/contact-info")})
		if err := s.enqueue(tx, m); err != nil {
			return fmt.Errorf("queue former-member notice: %w", err)
		}
	}
	return nil
}

// joinedAccount: email is a member (again), so it is no longer a former
// member, and the warnings that depend on members change.
func (s *MemberService) joinedAccount(ctx context.Context, tx *gormstore.DB, accountID, email string) error {
	if err := tx.ForgetFormerMember(ctx, accountID, email); err != nil {
		return err
	}
	return refreshWarnings(ctx, tx, accountID, nil)
}

func requireAnotherAdministrator(ctx context.Context, tx *gormstore.DB, accountID, userID string) error {
	n, err := tx.CountAdministratorsExcept(ctx, accountID, userID)
	if err != nil {
		return err
	}
	if n == 0 {
		return models.ErrorWithReason(models.EConflict, models.ReasonLastAdministrator, "an account needs at least one administrator; make someone else administrator first")
	}
	return nil
}

// auditMember records an event about a member of an account, labelled
// with the member's email.
func auditMember(ctx context.Context, tx *gormstore.DB, accountID, userID string, e gormstore.AuditEvent) error {
	email, err := tx.UserEmail(ctx, userID)
	if err != nil {
		return err
	}
	e.Target = userTarget(userID, email)
	return audit(ctx, tx, []string{accountID}, e)
}

// Invite invites an email to an account, or adds an existing user at once
// with a notice mail. Re-inviting a pending email refreshes its invitation
// (new link, new expiry, new role) instead of adding another.
func (s *MemberService) Invite(ctx context.Context, actor *models.User, accountID, email string, role models.Role) (*models.Invitation, error) {
	var v models.Validation
	normalized, _ := models.ValidateEmail(&v, "email", email)
	if !role.Valid() {
		v.AddCode("role", models.FieldRoleInvalid, "choose a role")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	acc, err := s.deps.Store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var inv *models.Invitation
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		inv, err = s.InviteTx(ctx, tx, actor, accountID, acc.Name, normalized, role)
		return err
	})
	return inv, err
}

// InviteTx is Invite inside the caller's transaction, for an email already
// validated and normalised (createAccount invites its first administrator
// this way). Its mail is queued in tx; the outbox worker is woken after
// the commit.
func (s *MemberService) InviteTx(ctx context.Context, tx *gormstore.DB, actor *models.User, accountID, accountName, email string, role models.Role) (*models.Invitation, error) {
	now := s.deps.now()
	var actorID *string
	inviter := "ContactGate"
	if actor != nil {
		actorID = &actor.ID
		inviter = actor.Email
		if actor.Name != nil && *actor.Name != "" {
			inviter = *actor.Name
		}
	}
	existing, err := tx.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return s.addExistingUser(ctx, tx, existing, actorID, inviter, accountID, accountName, role)
	case models.ErrorCodeOf(err) != models.ENotFound:
		return nil, fmt.Errorf("find user: %w", err)
	}

	token := auth.NewSecret()
	pending, err := tx.PendingInvitationFor(ctx, accountID, email, now)
	if err != nil {
		return nil, err
	}
	in := gormstore.NewInvitation{AccountID: accountID, Email: email, Role: role, TokenHash: auth.HashSecret(token),
		InvitedBy: actorID, CreatedAt: now, ExpiresAt: now.Add(models.InvitationTTL)}
	before := ""
	var inv *models.Invitation
	if pending != nil {
		before = string(pending.Role)
		if err := tx.RefreshInvitation(ctx, pending.ID, in); err != nil {
			return nil, err
		}
		inv = &models.Invitation{ID: pending.ID, AccountID: accountID, Email: email, Role: role, ExpiresAt: in.ExpiresAt, CreatedAt: now}
	} else if inv, err = tx.InsertInvitation(ctx, in); err != nil {
		return nil, err
	}
	// A refreshed invitation is sent again: before is the role it offered.
	if err := audit(ctx, tx, []string{accountID}, gormstore.AuditEvent{Action: models.AuditInvitationSent,
		Target: invitationTarget(inv.ID, email), Before: before, After: string(role)}); err != nil {
		return nil, err
	}
	// The person has no language yet; the inviter's is the best guess.
	locale := ""
	if actor != nil {
		locale = actor.Locale
	}
	msg := mail.InvitationMail(locale, mail.InvitationData{
		To: email, AccountName: accountName, InviterName: inviter, Role: string(role),
		Link: s.deps.link("/invitations/accept?token=" + url.QueryEscape(token)), ExpiresAt: inv.ExpiresAt,
	})
	if err := s.enqueue(tx, msg); err != nil {
		return nil, fmt.Errorf("queue invitation: %w", err)
	}
	return inv, nil
}

// addExistingUser makes a person who already has a user a member at once,
// with a notice mail instead of a link to accept.
func (s *MemberService) addExistingUser(ctx context.Context, tx *gormstore.DB, existing *models.User, actorID *string, inviter, accountID, accountName string, role models.Role) (*models.Invitation, error) {
	now := s.deps.now()
	member, err := tx.IsMember(ctx, accountID, existing.ID)
	if err != nil {
		return nil, err
	}
	if member {
		return nil, models.FieldErr("already a member", "email", models.FieldAlreadyMember, "this person is already a member of the account")
	}
	// Staff read every account already. As a member they would be added
	// without their consent (an existing user gets the membership at once)
	// and their sign-ins would appear in that account's audit log.
	if existing.Staff {
		return nil, models.FieldErr("platform staff", "email", models.FieldStaffNotInvitable, "platform staff already see every account and are not invited")
	}
	if err := tx.InsertMember(ctx, accountID, existing.ID, role, now); err != nil {
		return nil, err
	}
	if err := s.joinedAccount(ctx, tx, accountID, existing.Email); err != nil {
		return nil, err
	}
	// An invitation still pending from before the person had a user is
	// superseded by the membership: it must neither stay listed nor keep a
	// working link.
	if err := tx.RevokePendingInvitations(ctx, accountID, existing.Email, now); err != nil {
		return nil, err
	}
	// The record of the invitation is kept, already accepted, so that who
	// brought whom in stays visible.
	inv, err := tx.InsertInvitation(ctx, gormstore.NewInvitation{AccountID: accountID, Email: existing.Email, Role: role,
		TokenHash: auth.HashSecret(auth.NewSecret()), InvitedBy: actorID, CreatedAt: now, ExpiresAt: now, AcceptedAt: &now})
	if err != nil {
		return nil, fmt.Errorf("record invitation: %w", err)
	}
	if err := audit(ctx, tx, []string{accountID}, gormstore.AuditEvent{Action: models.AuditMemberAdded,
		Target: userTarget(existing.ID, existing.Email), After: string(role)}); err != nil {
		return nil, err
	}
	msg := mail.MembershipNoticeMail(existing.Locale, mail.NoticeData{
		To: existing.Email, AccountName: accountName, InviterName: inviter, Role: string(role), Link: s.deps.link("/"),
	})
	if err := s.enqueue(tx, msg); err != nil {
		return nil, fmt.Errorf("queue notice: %w", err)
	}
	return inv, nil
}

// enqueue writes a mail to the outbox in tx and wakes the worker once tx
// has committed.
func (s *MemberService) enqueue(tx *gormstore.DB, m mail.Message) error {
	if err := mail.Enqueue(tx.Gorm(), s.deps.MailFrom, m); err != nil {
		return err
	}
	tx.AfterCommit(s.deps.Events.MailQueued)
	return nil
}

// link is an absolute link into the portal, for mails.
func (d Deps) link(path string) string {
	base := strings.TrimRight(d.PublicURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + path
}

// InvitationAccount returns the account of an invitation, for authorization.
func (s *MemberService) InvitationAccount(ctx context.Context, id string) (string, error) {
	return s.deps.Store.InvitationAccount(ctx, id)
}

// RevokeInvitation ends a pending invitation; false when it was not pending.
func (s *MemberService) RevokeInvitation(ctx context.Context, id string) (bool, error) {
	revoked := false
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		inv, err := tx.RevokeInvitation(ctx, id, s.deps.now())
		if err != nil || inv == nil {
			return err
		}
		revoked = true
		if err := audit(ctx, tx, []string{inv.AccountID}, gormstore.AuditEvent{Action: models.AuditInvitationRevoked,
			Target: invitationTarget(inv.ID, inv.Email), Before: string(inv.Role)}); err != nil {
			return err
		}
		return s.leftAccount(ctx, tx, inv.AccountID, inv.Email)
	})
	return revoked, err
}

// InvitationPreview is what an anonymous holder of a link may learn.
type InvitationPreview struct {
	Invitation  *models.Invitation
	AccountName string
	// ExistingUser: the invited email has a user already (the page asks
	// for a sign-in instead of a new password) — nothing about that user.
	ExistingUser bool
}

// Preview describes the live invitation behind a token; nil when the
// token is unknown, used, revoked or expired.
func (s *MemberService) Preview(ctx context.Context, token string) (*InvitationPreview, error) {
	inv, accountName, err := s.deps.Store.OpenInvitationByHash(ctx, auth.HashSecret(token), s.deps.now())
	if models.ErrorCodeOf(err) == models.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	existing, err := s.invitedUser(ctx, inv.Email)
	if err != nil {
		return nil, err
	}
	return &InvitationPreview{Invitation: inv, AccountName: accountName, ExistingUser: existing != nil}, nil
}

// invitedUser is the user of an invited email, or nil when there is none.
func (s *MemberService) invitedUser(ctx context.Context, email string) (*models.User, error) {
	u, err := s.deps.Store.UserByEmail(ctx, email)
	if models.ErrorCodeOf(err) == models.ENotFound {
		return nil, nil
	}
	return u, err
}

// AcceptInput is what the holder of an invitation link gives.
type AcceptInput struct {
	Token string
	// Name and Password create the user of a new person; for an email that
	// has a user already, Password proves the caller is that user when
	// they are not signed in as them.
	Name, Password string
	// BeforePasswordCheck, when set, runs before a password is checked
	// against an existing user (the transport's sign-in rate limits).
	BeforePasswordCheck func(email string) error
}

// Accepted is what an acceptance did.
type Accepted struct {
	User *models.User
	// SignIn: the caller proved to be User (a new person, or an existing
	// user's password) and is to be signed in as them.
	SignIn bool
}

// Accept uses an invitation. The link proves only that its holder can
// read the invited mailbox, which is enough to create a user for a new
// email but never to act as a user who already exists: that takes their
// session or their password, checked exactly as signIn checks it.
func (s *MemberService) Accept(ctx context.Context, in AcceptInput) (*Accepted, error) {
	p := auth.FromContext(ctx)
	if p != nil && p.Token != nil {
		// A token acts for an account, not for a person.
		return nil, models.Errorf(models.EForbidden, "an API token cannot accept invitations")
	}
	inv, _, err := s.deps.Store.OpenInvitationByHash(ctx, auth.HashSecret(in.Token), s.deps.now())
	if err != nil {
		return nil, err
	}
	existing, err := s.invitedUser(ctx, inv.Email)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		return s.acceptAsExistingUser(ctx, p, existing, in)
	}
	return s.acceptAsNewUser(ctx, in)
}

func (s *MemberService) acceptAsNewUser(ctx context.Context, in AcceptInput) (*Accepted, error) {
	var v models.Validation
	models.DisplayNameRule.Check(&v, "name", in.Name)
	models.ValidatePassword(&v, "password", in.Password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := s.deps.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	user, err := s.useInvitation(ctx, in.Token, acceptance{name: in.Name, passwordHash: hash})
	if err != nil {
		return nil, err
	}
	return &Accepted{User: user, SignIn: true}, nil
}

func (s *MemberService) acceptAsExistingUser(ctx context.Context, p *auth.Principal, user *models.User, in AcceptInput) (*Accepted, error) {
	signedIn := p != nil && p.User != nil
	switch {
	case signedIn && p.User.ID != user.ID:
		return nil, models.ErrorWithReason(models.EForbidden, models.ReasonSignedInAsAnotherUser,
			"this invitation is for another user: sign out, then open the link again")
	case !signedIn && in.Password == "":
		return nil, models.ErrorWithReason(models.EUnauthenticated, models.ReasonSignInRequired,
			"this email already has a user: sign in as that user to accept the invitation")
	case !signedIn:
		if in.BeforePasswordCheck != nil {
			if err := in.BeforePasswordCheck(user.Email); err != nil {
				return nil, err
			}
		}
		ok, err := s.deps.Hasher.Check(ctx, in.Password, user.PasswordHash)
		if err != nil {
			return nil, err
		}
		if !ok {
			// A wrong password here is a failed sign-in like any other: the
			// person's accounts see it in their audit log.
			if err := auditUser(ctx, s.deps.Store, user.ID, gormstore.AuditEvent{Action: models.AuditSignInFailed,
				Target: userTarget(user.ID, user.Email)}); err != nil {
				return nil, err
			}
			return nil, models.ErrorWithReason(models.EUnauthenticated, models.ReasonWrongPassword, "wrong password")
		}
	}
	accepted, err := s.useInvitation(ctx, in.Token, acceptance{userID: user.ID})
	if err != nil {
		return nil, err
	}
	// Without a session, the password proved who the caller is, as signIn
	// would have.
	return &Accepted{User: accepted, SignIn: !signedIn}, nil
}

// acceptance says who accepts an invitation: either an existing user the
// caller has proved to be, or a new person with a name and a password hash.
type acceptance struct {
	userID             string
	name, passwordHash string
}

// useInvitation uses an invitation once: it adds the membership with the
// invited role and marks the invitation accepted, creating the user (never
// staff) for a new person. Whether the email has a user is decided again
// inside the transaction: when one appeared since the caller looked
// (another invitation accepted, create-staff), a new person's acceptance
// is a CONFLICT and changes nothing, so that the link never hands out an
// existing user.
func (s *MemberService) useInvitation(ctx context.Context, token string, a acceptance) (*models.User, error) {
	var user *models.User
	err := s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		now := s.deps.now()
		inv, err := tx.OpenInvitationByHashOnly(ctx, auth.HashSecret(token), now)
		if err != nil {
			return err
		}
		// The conditional update makes the token single-use even when two
		// requests race with it.
		won, err := tx.MarkInvitationAccepted(ctx, inv.ID, now)
		if err != nil {
			return err
		}
		if !won {
			return models.Errorf(models.ENotFound, "invitation not found")
		}
		u, err := tx.UserByEmail(ctx, inv.Email)
		switch {
		case models.ErrorCodeOf(err) == models.ENotFound:
			if a.userID != "" {
				return models.Errorf(models.EConflict, "the invited email has no user")
			}
			name := strings.TrimSpace(a.name)
			u, err = tx.InsertUser(ctx, gormstore.NewUser{Email: inv.Email, Name: &name, PasswordHash: a.passwordHash,
				CreatedAt: now, PasswordChangedAt: &now})
			if models.ErrorCodeOf(err) == models.EConflict {
				// Another invitation for this email was accepted at the
				// same moment; this one changes nothing.
				return models.ErrorWithReason(models.EConflict, models.ReasonSignInRequired,
					"this email was just registered; sign in and accept the invitation again")
			}
			if err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("find user: %w", err)
		case a.userID == "":
			return models.ErrorWithReason(models.EConflict, models.ReasonSignInRequired,
				"this email was just registered; sign in and accept the invitation again")
		case a.userID != u.ID:
			return models.ErrorWithReason(models.EForbidden, models.ReasonSignedInAsAnotherUser,
				"this invitation is for another user")
		}
		member, err := tx.IsMember(ctx, inv.AccountID, u.ID)
		if err != nil {
			return err
		}
		if !member {
			if err := tx.InsertMember(ctx, inv.AccountID, u.ID, inv.Role, now); err != nil {
				return err
			}
			if err := s.joinedAccount(ctx, tx, inv.AccountID, u.Email); err != nil {
				return err
			}
		}
		// The person accepting acts through the link (anonymous unless
		// signed in); they are the actor either way.
		_, principal := auditActor(ctx)
		if err := audit(ctx, tx, []string{inv.AccountID}, gormstore.AuditEvent{Action: models.AuditInvitationAccepted,
			Target: invitationTarget(inv.ID, inv.Email), After: string(inv.Role), ActorID: &u.ID, Principal: principal}); err != nil {
			return err
		}
		user = u
		return nil
	})
	return user, err
}
