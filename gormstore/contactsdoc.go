package gormstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/contactgate/contactgate/models"
)

// An account's contacts document (contact_infos.contacts_doc) is a copy of
// its contacts and alert contacts rows in one column of the row the staff
// listing already reads, so that a page of accounts gets them with the
// page's statement instead of two more that look up each account's rows in
// two more indexes (at 100 accounts a page, a third of PostgreSQL's work
// for the page: bench/README.md).
//
// The rows stay the truth. saveContactInfo, the one writer of both tables,
// writes the document in the statement that ends every save; triggers of
// migration 0009 set it to NULL whenever a row of either table is written
// by any other statement (a cascade from a removed member or account, a
// hand-made fix, a future writer), and a NULL document is read from the
// rows (PageDetails). A document can be missing, never stale:
// StaleContactsDocs checks that, and the test suites run it after every
// test.
//
// The format is text (the column is TEXT on both databases), length-
// prefixed so that no value needs escaping:
//
//	doc   = "1" *entry
//	entry = "c" field value value value   ; a contact: field, name, email, phone
//	      / "a" value                     ; an alert contact's user id
//	field = one digit: the field's index in models.ContactFields
//	value = "-" (NULL) / length ":" bytes
//
// Entries come in the rows' order: by field, then position.
const contactsDocVersion = '1'

// emptyContactsDoc is the document of an account without contacts.
const emptyContactsDoc = string(contactsDocVersion)

// encodeContactsDoc returns the document of info's contacts and alert
// contacts.
func encodeContactsDoc(info *models.ContactInfo) string {
	b := make([]byte, 0, 256)
	b = append(b, contactsDocVersion)
	for i, f := range models.ContactFields {
		if !f.HoldsContacts() {
			continue
		}
		for _, c := range info.Contacts(f) {
			b = append(b, 'c', byte('0'+i))
			b = appendDocValue(b, c.Name)
			b = appendDocValue(b, &c.Email)
			b = appendDocValue(b, c.Phone)
		}
	}
	for _, id := range info.AlertContactIDs {
		b = append(b, 'a')
		b = appendDocValue(b, &id)
	}
	return string(b)
}

func appendDocValue(b []byte, v *string) []byte {
	if v == nil {
		return append(b, '-')
	}
	b = strconv.AppendInt(b, int64(len(*v)), 10)
	b = append(b, ':')
	return append(b, *v...)
}

var errContactsDoc = errors.New("malformed contacts document")

// contactsDocReader decodes documents into contact infos. Values are
// substrings of the document (one allocation for all of an account's
// strings); contacts go into one buffer that all the documents of a page
// share, each field's run of it set as the field's slice with its capacity
// cut (an append elsewhere copies), as contactsReads does with rows.
type contactsDocReader struct {
	all []models.Contact
	// strs holds the strings that Name and Phone point to, a slab at a
	// time: a full slab is replaced, never grown, so pointers stay valid.
	strs []string
}

// read sets info's contacts and alert contacts from doc.
func (r *contactsDocReader) read(doc string, info *models.ContactInfo) error {
	if doc == "" || doc[0] != contactsDocVersion {
		return errContactsDoc
	}
	p := 1
	runStart, runField := len(r.all), -1
	for p < len(doc) {
		switch doc[p] {
		case 'c':
			if p+1 >= len(doc) {
				return errContactsDoc
			}
			i := int(doc[p+1] - '0')
			if i < 0 || i >= len(models.ContactFields) || !models.ContactFields[i].HoldsContacts() {
				return errContactsDoc
			}
			p += 2
			var name, email, phone *string
			var err error
			if name, p, err = r.value(doc, p); err != nil {
				return err
			}
			if email, p, err = r.value(doc, p); err != nil || email == nil {
				return errContactsDoc
			}
			if phone, p, err = r.value(doc, p); err != nil {
				return err
			}
			if i != runField {
				runStart, runField = len(r.all), i
			}
			r.all = append(r.all, models.Contact{Name: name, Email: *email, Phone: phone})
			f := models.ContactFields[i]
			if f.Kind() == models.KindContact {
				info.OperationalForUsers = &r.all[len(r.all)-1]
			} else {
				info.SetContacts(f, r.all[runStart:len(r.all):len(r.all)])
			}
		case 'a':
			id, next, err := r.value(doc, p+1)
			if err != nil || id == nil {
				return errContactsDoc
			}
			p = next
			info.AlertContactIDs = append(info.AlertContactIDs, *id)
		default:
			return errContactsDoc
		}
	}
	return nil
}

// value decodes the value at doc[p:], and returns it and the position
// after it.
func (r *contactsDocReader) value(doc string, p int) (*string, int, error) {
	if p >= len(doc) {
		return nil, p, errContactsDoc
	}
	if doc[p] == '-' {
		return nil, p + 1, nil
	}
	colon := strings.IndexByte(doc[p:], ':')
	if colon <= 0 || colon > 10 {
		return nil, p, errContactsDoc
	}
	n, err := strconv.Atoi(doc[p : p+colon])
	start := p + colon + 1
	if err != nil || n < 0 || n > len(doc)-start {
		return nil, p, errContactsDoc
	}
	if len(r.strs) == cap(r.strs) {
		r.strs = make([]string, 0, 64)
	}
	r.strs = append(r.strs, doc[start:start+n])
	return &r.strs[len(r.strs)-1], start + n, nil
}

// StaleContactsDocs returns the accounts whose contacts document is set
// and differs from their contacts and alert contacts rows — none, unless a
// writer bypassed both saveContactInfo and the triggers. Tests run it
// after every test; an operator can run it too (it reads every account).
func (db *DB) StaleContactsDocs(ctx context.Context) ([]string, error) {
	var rows []struct {
		AccountID   string
		ContactsDoc string
	}
	if err := db.with(ctx).Raw(`SELECT account_id, contacts_doc FROM contact_infos
		WHERE contacts_doc IS NOT NULL ORDER BY account_id`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read contacts documents: %w", err)
	}
	var stale []string
	for start := 0; start < len(rows); start += 500 {
		batch := rows[start:min(start+500, len(rows))]
		ids := make([]string, len(batch))
		for i, r := range batch {
			ids[i] = r.AccountID
		}
		fromRows, err := loadContactInfos(db.with(ctx), ids, false)
		if err != nil {
			return nil, err
		}
		var dr contactsDocReader
		for _, r := range batch {
			fromDoc := &models.ContactInfo{AlertContactIDs: []string{}}
			want, ok := fromRows[r.AccountID]
			if err := dr.read(r.ContactsDoc, fromDoc); err != nil || !ok || !sameContacts(fromDoc, want) {
				stale = append(stale, r.AccountID)
			}
		}
	}
	return stale, nil
}

// sameContacts compares the contacts and alert contacts of two infos: the
// contacts as history records them (models.FieldValueJSON, in order), the
// alert contacts in order too, since the document keeps the rows' order
// (FieldValueJSON sorts them, as a set).
func sameContacts(a, b *models.ContactInfo) bool {
	if !slices.Equal(a.AlertContactIDs, b.AlertContactIDs) {
		return false
	}
	for _, f := range models.ContactFields {
		if f.HoldsContacts() && models.FieldValueJSON(*a, f) != models.FieldValueJSON(*b, f) {
			return false
		}
	}
	return true
}
