package service

import (
	"context"
	"fmt"
	"sync"

	"github.com/contactgate/contactgate/auth"
	"github.com/contactgate/contactgate/models"
)

// Authorizer is the one place that decides who may do what, for GraphQL
// (its directives are adapters of these methods), the CSV export and live
// subscriptions alike:
//   - signed-in callers: a session or an API token;
//   - platform support staff (signed in with a session) read every account
//     and write only where a field allows staff, and are exempt from the
//     access gate;
//   - members act on their account with their role, an API token on its one
//     account as an editor or, read-only, a reader;
//   - anyone else is told NOT_FOUND, never FORBIDDEN, so that account ids
//     cannot be probed.
type Authorizer struct {
	deps Deps
}

func newAuthorizer(d Deps) *Authorizer { return &Authorizer{deps: d} }

// staffRole stands for "staff, reading an existing account" in the memo.
const staffRole models.Role = "STAFF"

func unauthenticated() error { return models.Errorf(models.EUnauthenticated, "sign in first") }

// SignedIn lets any caller with a session or an API token through.
func (a *Authorizer) SignedIn(ctx context.Context) error {
	if auth.FromContext(ctx) == nil {
		return unauthenticated()
	}
	return nil
}

// Staff lets platform support staff through.
func (a *Authorizer) Staff(ctx context.Context) error {
	p := auth.FromContext(ctx)
	if p == nil {
		return unauthenticated()
	}
	if !p.Staff() {
		return models.Errorf(models.EForbidden, "only platform support staff may do this")
	}
	return nil
}

// ExportContacts decides who may download the contacts export: staff
// signed in with a session (an API token never, not even a staff member's).
func (a *Authorizer) ExportContacts(ctx context.Context) error {
	p := auth.FromContext(ctx)
	switch {
	case p == nil:
		return models.Errorf(models.EUnauthenticated, "sign in as platform support staff first")
	case !p.Staff():
		return models.Errorf(models.EForbidden, "only platform support staff may export contacts")
	}
	return nil
}

// Account decides whether the caller may act on an account with at least
// role. Non-members get NOT_FOUND, so that account ids cannot be probed;
// staff read every account but write only where staffMayWrite. The answer
// is memoised for the request (see WithMemo).
func (a *Authorizer) Account(ctx context.Context, accountID string, role models.Role, staffMayWrite bool) error {
	p := auth.FromContext(ctx)
	if p == nil {
		return unauthenticated()
	}
	have, err := a.roleIn(ctx, p, accountID)
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

// Gate decides whether the caller may pass the access gate of an account
// in env: it must be able to read the account (a non-member learns
// nothing about its gate), and, unless it is staff, the contact info that
// env needs must be complete; otherwise CONTACT_INFO_REQUIRED with the
// missing fields. state reads the account's gate state (the caller's
// batched loader).
func (a *Authorizer) Gate(ctx context.Context, accountID string, env models.Environment,
	state func(ctx context.Context, accountID string) (models.GateState, error)) error {
	// The membership check normally ran already; it is memoised.
	if err := a.Account(ctx, accountID, models.RoleReadOnly, false); err != nil {
		return err
	}
	if auth.FromContext(ctx).Staff() {
		return nil
	}
	g, err := state(ctx, accountID)
	if err != nil {
		return err
	}
	if gate := g.Missing.Gate(env); gate.Locked {
		return &models.Error{Code: models.EContactInfoRequired, Missing: gate.Missing,
			Message: fmt.Sprintf("complete the contact info for %s first", env)}
	}
	return nil
}

// ListedByStaff records that the staff listing found these accounts for
// a staff caller in this request: every listed account exists, so that
// the checks of their fields need no lookup. For anyone else it records
// nothing.
func (a *Authorizer) ListedByStaff(ctx context.Context, accountIDs []string) {
	m := memoFrom(ctx)
	if m == nil || !auth.FromContext(ctx).Staff() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.more == nil {
		m.more = make(map[string]memoEntry, len(accountIDs))
	}
	for _, id := range accountIDs {
		m.setRole(id, staffRole)
	}
}

// KnownGate returns the gate state of an account read by this request's
// membership check, if there was one and it let the caller in: the same
// statement reads the gate of accounts the caller may not see.
func (a *Authorizer) KnownGate(ctx context.Context, accountID string) (models.GateState, bool) {
	m := memoFrom(ctx)
	if m == nil {
		return models.GateState{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, _ := m.get(accountID)
	if e.role == "" || !e.hasGate {
		return models.GateState{}, false
	}
	return e.gate, true
}

// Prime records, for the rest of the request, what the authentication
// statement read about the caller and one account (see
// SessionService.AuthenticateFor), exactly as roleIn would have read it.
// Call it once the caller is in ctx.
func (a *Authorizer) Prime(ctx context.Context, accountID string, g GateRead) {
	m := memoFrom(ctx)
	p := auth.FromContext(ctx)
	if m == nil || p == nil || p.Token != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	role := g.Role
	if p.Staff() {
		role = ""
		if g.Found {
			role = staffRole
		}
	}
	e, _ := m.get(accountID)
	if g.Found {
		e.gate, e.hasGate = g.State, true
	}
	e.role, e.hasRole = role, true
	m.put(accountID, e)
}

// CallerChanged forgets what this request remembered about its caller's
// access: the caller has just changed (signed in).
func (a *Authorizer) CallerChanged(ctx context.Context) {
	if m := memoFrom(ctx); m != nil {
		m.reset()
	}
}

// roleIn returns the caller's role in an account ("" when none), memoised
// for the request.
func (a *Authorizer) roleIn(ctx context.Context, p *auth.Principal, accountID string) (models.Role, error) {
	m := memoFrom(ctx)
	if m == nil {
		m = newMemo()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, _ := m.get(accountID); e.hasRole {
		return e.role, nil
	}
	var role models.Role
	switch {
	case p.Token != nil:
		role = tokenRole(p, accountID)
	case p.Staff():
		// Every account has its contact_infos row: reading the gate is the
		// existence check, and keeps the gate for accessGate.
		gates, err := a.deps.Store.GatesByAccountIDs(ctx, []string{accountID})
		if err != nil {
			return "", err
		}
		if g, ok := gates[accountID]; ok {
			role = staffRole
			m.setGate(accountID, g)
		}
	default:
		// The membership and the gate in one statement, so that the
		// portal's most frequent request, accessGate, costs one.
		var g models.GateState
		var found bool
		var err error
		if role, g, found, err = a.deps.Store.RoleAndGate(ctx, accountID, p.User.ID); err != nil {
			return "", err
		}
		if found {
			m.setGate(accountID, g)
		}
	}
	m.setRole(accountID, role)
	return role, nil
}

// tokenRole is an API token's role in an account: it acts for its one
// account only, as an editor, or a reader when read-only.
func tokenRole(p *auth.Principal, accountID string) models.Role {
	if p.Token.AccountID != accountID {
		return ""
	}
	if p.Token.ReadOnly {
		return models.RoleReadOnly
	}
	return models.RoleEditor
}

// StillAllowed returns why the caller may no longer hold a live
// subscription needing role in an account (nil while it may). It asks the
// database, not anything remembered since the subscription started: a
// subscription is a long-lived grant that sign-out, expiry, a revoked
// token, removal from the account or a lower role must end.
func (a *Authorizer) StillAllowed(ctx context.Context, accountID string, need models.Role) (*models.Error, error) {
	p := auth.FromContext(ctx)
	switch {
	case p == nil:
		return models.Errorf(models.EUnauthenticated, "sign in first"), nil
	case p.Token != nil:
		alive, err := a.deps.Store.TokenAlive(ctx, p.Token.ID, a.deps.now())
		if err != nil {
			return nil, err
		}
		if !alive {
			return models.Errorf(models.EUnauthenticated, "this API token was revoked"), nil
		}
		role := tokenRole(p, accountID)
		if role == "" {
			return models.Errorf(models.ENotFound, "account not found"), nil
		}
		if !role.Includes(need) {
			return models.Errorf(models.EForbidden, "this API token may not do this"), nil
		}
		return nil, nil
	case p.SessionID == "":
		return models.Errorf(models.EUnauthenticated, "sign in first"), nil
	}
	acc, err := a.deps.Store.SessionAccessIn(ctx, p.SessionID, accountID)
	if err != nil {
		return nil, err
	}
	switch {
	case !acc.Alive:
		return models.Errorf(models.EUnauthenticated, "your session has ended; sign in again"), nil
	case acc.Role == "" && acc.Staff && need == models.RoleReadOnly:
		return nil, nil // staff read every account
	case acc.Role == "":
		return models.Errorf(models.ENotFound, "you no longer have access to this account"), nil
	case !acc.Role.Includes(need):
		return models.Errorf(models.EForbidden, "your role no longer allows this; ask an administrator"), nil
	}
	return nil, nil
}

// StillSignedIn returns why the caller of a long-lived connection (a
// websocket authenticated when it opened) is no longer signed in: signed
// out, session expired, token revoked; nil while it is, and for a caller
// that never signed in, whom the fields' directives answer.
func (a *Authorizer) StillSignedIn(ctx context.Context) (*models.Error, error) {
	p := auth.FromContext(ctx)
	switch {
	case p == nil:
		return nil, nil
	case p.Token != nil:
		alive, err := a.deps.Store.TokenAlive(ctx, p.Token.ID, a.deps.now())
		if err != nil || alive {
			return nil, err
		}
		return models.Errorf(models.EUnauthenticated, "this API token is not valid or was revoked"), nil
	}
	alive, err := a.deps.Store.SessionAlive(ctx, p.SessionID)
	if err != nil || alive {
		return nil, err
	}
	return models.Errorf(models.EUnauthenticated, "your session has ended; sign in again"), nil
}

// memo remembers, for one request, the caller's role in each account it
// asked about, and the gate read by the same statement.
type memo struct {
	mu       sync.Mutex
	firstID  string
	first    memoEntry
	hasFirst bool
	more     map[string]memoEntry
}

func newMemo() *memo { return &memo{} }

// memoEntry is what a request knows of one account.
type memoEntry struct {
	role    models.Role
	hasRole bool
	gate    models.GateState
	hasGate bool
}

// get and put keep the first account a request asks about (most ask
// about one) in the memo itself, the others in a map made when needed.
func (m *memo) get(id string) (memoEntry, bool) {
	if m.hasFirst && m.firstID == id {
		return m.first, true
	}
	e, ok := m.more[id]
	return e, ok
}

func (m *memo) put(id string, e memoEntry) {
	switch {
	case !m.hasFirst:
		m.firstID, m.first, m.hasFirst = id, e, true
	case m.firstID == id:
		m.first = e
	default:
		if m.more == nil {
			m.more = map[string]memoEntry{}
		}
		m.more[id] = e
	}
}

func (m *memo) setRole(id string, role models.Role) {
	e, _ := m.get(id)
	e.role, e.hasRole = role, true
	m.put(id, e)
}

func (m *memo) setGate(id string, g models.GateState) {
	e, _ := m.get(id)
	e.gate, e.hasGate = g, true
	m.put(id, e)
}

func (m *memo) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.firstID, m.first, m.hasFirst, m.more = "", memoEntry{}, false, nil
}

type memoKey struct{}

// WithMemo returns ctx with a fresh memo of the Authorizer's answers: one
// per request, and per operation of a long-lived websocket, so that
// nothing decided for one is reused by another. Without one, every check
// asks the database.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, newMemo())
}

func memoFrom(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}
