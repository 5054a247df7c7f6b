package service

import (
	"context"
	"fmt"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
)

// AccountService creates accounts and answers the staff listing and export.
type AccountService struct {
	deps    Deps
	authz   *Authorizer
	members *MemberService
	reach   *ReachabilityService
}

func newAccountService(d Deps, authz *Authorizer, members *MemberService, reach *ReachabilityService) *AccountService {
	return &AccountService{deps: d, authz: authz, members: members, reach: reach}
}

var accountNameRule = models.TextRule{Required: true, RequiredMessage: "enter the partner's name", MaxRunes: 200}

// Create creates a partner account with empty contact info and invites its
// first administrator, in one transaction: an account is never left
// without a way in. Bad input is refused with every problem at once, and
// nothing is written.
func (s *AccountService) Create(ctx context.Context, actor *models.User, name string, types []string, adminEmail string) (*models.Account, error) {
	name, email, err := s.validateNew(name, types, adminEmail)
	if err != nil {
		return nil, err
	}
	var acc *models.Account
	err = s.deps.Store.InTx(ctx, func(tx *gormstore.DB) error {
		var err error
		if acc, err = tx.CreateAccountRows(ctx, name, types); err != nil {
			return err
		}
		_, err = s.members.InviteTx(ctx, tx, actor, acc.ID, acc.Name, email, models.RoleAdministrator)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.deps.Events.MailQueued()
	return acc, nil
}

// validateNew checks a new account's name, integration types and first
// administrator's email, and returns the name and email as stored.
func (s *AccountService) validateNew(name string, types []string, adminEmail string) (string, string, error) {
	var v models.Validation
	name, _ = accountNameRule.Check(&v, "name", name)
	if len(types) == 0 {
		v.AddCode("integrationTypes", models.FieldRequired, "choose at least one integration type")
	}
	catalog := s.deps.Store.Catalog()
	seen := map[string]bool{}
	for i, t := range types {
		switch {
		case !catalog.Known(t):
			v.AddCode(fmt.Sprintf("integrationTypes[%d]", i), models.FieldUnknownIntegrationType, "unknown integration type %q", t)
		case seen[t]:
			v.AddCode(fmt.Sprintf("integrationTypes[%d]", i), models.FieldDuplicateIntegration, "listed twice")
		}
		seen[t] = true
	}
	email, _ := models.ValidateEmail(&v, "administratorEmail", adminEmail)
	return name, email, v.Err()
}

// RequestLaunch records that an account asks to launch in production, and
// returns the account as it is now. It is refused with CONTACT_UNVERIFIED
// until every required field has a VERIFIED address (the gate itself
// never depends on a mail server).
func (s *AccountService) RequestLaunch(ctx context.Context, actorID *string, accountID string) (*models.Account, error) {
	if err := s.reach.CheckLaunch(ctx, accountID); err != nil {
		return nil, err
	}
	if err := s.deps.Store.RecordLaunchRequest(ctx, actorID, accountID); err != nil {
		return nil, err
	}
	return s.deps.Store.Account(ctx, accountID)
}

// List is the staff listing: one page of the accounts matching the
// filter, in name order with keyset cursors (accounts added between two
// pages never shift a page), their gates, and the number of matches when
// req.Count asks for it.
func (s *AccountService) List(ctx context.Context, req gormstore.PageRequest) (*gormstore.AccountPage, error) {
	if err := checkSearch(req.Filter.Search); err != nil {
		return nil, err
	}
	return s.deps.Store.AccountsPage(ctx, req)
}

// MaxSearchLength bounds the listing's search text (in characters): names
// and addresses are far shorter, and a pattern of tens of thousands of
// characters is work for the database (SQLite refuses it).
const MaxSearchLength = 200

// searchRule is the text rule for the listing's search: what no stored
// name or address holds (control characters such as NUL, which PostgreSQL
// refuses in text with an internal error, invisible characters, bytes that
// are not UTF-8) is refused with its field code, as everywhere else.
var searchRule = models.TextRule{MaxRunes: MaxSearchLength, TooLongMessage: "search with at most %d characters"}

func checkSearch(search string) error {
	var v models.Validation
	if _, ok := searchRule.Check(&v, "filter.search", search); ok {
		return nil
	}
	// The search box shows the error's message: the problem itself, not
	// "some fields are not valid".
	f := v.Fields()[0]
	return models.FieldErr("search: "+f.Message, f.Field, f.Code, f.Message)
}

// Export calls fn with every account matching f, with what the contacts
// export shows of it, a batch at a time. It asks the Authorizer itself, on
// top of the transport: the whole contact base leaves through here.
func (s *AccountService) Export(ctx context.Context, f gormstore.AccountFilter, fn func([]gormstore.ExportedAccount) error) error {
	if err := s.authz.ExportContacts(ctx); err != nil {
		return err
	}
	if err := checkSearch(f.Search); err != nil {
		return err
	}
	return s.deps.Store.ExportAccounts(ctx, f, gormstore.ExportBatchSize, fn)
}

// AuditLog returns one page of an account's security events, newest first
// (who may read it is the field's directive: administrators and staff).
func (s *AccountService) AuditLog(ctx context.Context, accountID string, first int, after string) ([]*models.AuditEvent, bool, int64, error) {
	return s.deps.Store.AuditLog(ctx, accountID, first, after)
}

// CountEach counts the accounts matching each filter, in one statement
// (the staff health summary).
func (s *AccountService) CountEach(ctx context.Context, filters []gormstore.AccountFilter) ([]int64, error) {
	return s.deps.Store.CountAccountsEach(ctx, filters)
}
