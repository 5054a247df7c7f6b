package gormstore

import (
	"context"
	"log/slog"

	"github.com/contactgate/contactgate/models"
)

// PageSelection is what a query of the staff listing selects on the
// accounts of a page, beyond the page itself.
type PageSelection struct {
	// ContactInfo with its contacts and alert contacts.
	ContactInfo bool
	Members     bool
	// MemberUsers are the members' users (their profiles, without password
	// hashes).
	MemberUsers  bool
	Invitations  bool
	Reachability bool
}

// PageDetails is what a PageSelection reads, by account id.
type PageDetails struct {
	ContactInfos map[string]*models.ContactInfo
	Members      map[string][]*models.Member
	// Users are the members' users, by id.
	Users        map[string]*models.User
	Invitations  map[string][]*models.Invitation
	Reachability map[string][]*models.Reachability
}

// PageDetails reads what sel selects on the accounts of page: one
// statement per kind whatever the number of accounts, and on PostgreSQL
// all in one round trip on one connection (readIDs) but the invitations.
// The contact info rows came with the page: only their contacts and alert
// contacts are read; the members' users are joined to the members.
func (db *DB) PageDetails(ctx context.Context, page *AccountPage, sel PageSelection) (*PageDetails, error) {
	d := &PageDetails{}
	ids := make([]string, len(page.Accounts))
	for i, a := range page.Accounts {
		ids[i] = a.ID
	}
	if len(ids) == 0 {
		return d, nil
	}
	var reads []idRead
	knownIDs := knownStrings(ids) // the reads' account ids scan into these
	if sel.ContactInfo {
		d.ContactInfos = make(map[string]*models.ContactInfo, len(page.infoRows))
		// Contacts come from the accounts' documents; the accounts
		// without one (NULL: not saved since migration 0009, or cleared
		// by a trigger), or with one this version cannot read (a later
		// format during a rolling deploy), from their rows, in two more
		// statements.
		fromRows := map[string]*models.ContactInfo{}
		dr := contactsDocReader{all: make([]models.Contact, 0, 8*len(page.infoRows))}
		for _, row := range page.infoRows {
			info, err := newContactInfo(row)
			if err != nil {
				return nil, err
			}
			d.ContactInfos[row.AccountID] = info
			if row.ContactsDoc == nil {
				fromRows[row.AccountID] = info
				continue
			}
			if err := dr.read(*row.ContactsDoc, info); err != nil {
				db.log.LogAttrs(ctx, slog.LevelWarn, "contacts document not read: the rows are read instead",
					slog.String("account_id", row.AccountID), slog.Any("error", err))
				if info, err = newContactInfo(row); err != nil {
					return nil, err
				}
				d.ContactInfos[row.AccountID], fromRows[row.AccountID] = info, info
			}
		}
		if len(fromRows) > 0 {
			rowIDs := make([]string, 0, len(fromRows))
			for id := range fromRows {
				rowIDs = append(rowIDs, id)
			}
			for _, r := range contactsReads(knownIDs, fromRows) {
				r.ids = rowIDs
				reads = append(reads, r)
			}
		}
	}
	if sel.Members {
		d.Members = make(map[string][]*models.Member, len(ids))
		if sel.MemberUsers {
			d.Users = make(map[string]*models.User, 2*len(ids))
		}
		reads = append(reads, membersRead(knownIDs, d.Members, d.Users))
	}
	if sel.Reachability {
		d.Reachability = make(map[string][]*models.Reachability, len(ids))
		reads = append(reads, reachabilityByAccountRead(d.Reachability))
	}
	if len(reads) > 0 {
		if err := db.readIDs(ctx, ids, reads...); err != nil {
			return nil, err
		}
	}
	if sel.Invitations {
		var err error
		if d.Invitations, err = db.InvitationsByAccountIDs(ctx, ids); err != nil {
			return nil, err
		}
	}
	return d, nil
}
