package gormstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations is the versioned schema, oldest first. Each step is plain SQL
// that both SQLite and PostgreSQL accept, so that one set serves both. A
// step, once released, is never edited: add a new one.
var migrations = []*gormigrate.Migration{
	{
		ID: "0001_initial",
		Migrate: execAll(
			`CREATE TABLE users (
				id TEXT PRIMARY KEY,
				email TEXT NOT NULL,
				name TEXT,
				password_hash TEXT NOT NULL DEFAULT '',
				staff BOOLEAN NOT NULL DEFAULT FALSE,
				locale TEXT NOT NULL DEFAULT '',
				password_changed_at TIMESTAMP,
				created_at TIMESTAMP NOT NULL
			)`,
			// Emails are stored lower-cased, so this is case-insensitive uniqueness.
			`CREATE UNIQUE INDEX users_email_key ON users (email)`,
			`CREATE TABLE accounts (
				id TEXT PRIMARY KEY,
				name TEXT NOT NULL,
				name_lower TEXT NOT NULL,
				launch_requested_at TIMESTAMP,
				created_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX accounts_name_lower_id ON accounts (name_lower, id)`,
			`CREATE TABLE account_integration_types (
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				integration_type TEXT NOT NULL,
				PRIMARY KEY (account_id, integration_type)
			)`,
			`CREATE INDEX account_integration_types_type ON account_integration_types (integration_type, account_id)`,
			`CREATE TABLE members (
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				role TEXT NOT NULL,
				created_at TIMESTAMP NOT NULL,
				PRIMARY KEY (account_id, user_id)
			)`,
			`CREATE INDEX members_user ON members (user_id)`,
			// missing is a models.FieldSet (alert contacts included); the two
			// locked flags are derived from it on every write so that the gate
			// and the staff filters are single indexed lookups.
			`CREATE TABLE contact_infos (
				account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
				version INTEGER NOT NULL DEFAULT 0,
				merchant_issues_requirement TEXT NOT NULL,
				operational_support TEXT,
				missing INTEGER NOT NULL,
				locked_sandbox BOOLEAN NOT NULL,
				locked_production BOOLEAN NOT NULL,
				updated_at TIMESTAMP,
				updated_by TEXT REFERENCES users (id) ON DELETE SET NULL
			)`,
			`CREATE INDEX contact_infos_locked_sandbox ON contact_infos (locked_sandbox, account_id)`,
			`CREATE INDEX contact_infos_locked_production ON contact_infos (locked_production, account_id)`,
			`CREATE TABLE contacts (
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				field TEXT NOT NULL,
				position INTEGER NOT NULL,
				name TEXT,
				email TEXT NOT NULL,
				phone TEXT,
				PRIMARY KEY (account_id, field, position)
			)`,
			`CREATE INDEX contacts_email ON contacts (email)`,
			`CREATE TABLE alert_contacts (
				account_id TEXT NOT NULL,
				user_id TEXT NOT NULL,
				position INTEGER NOT NULL,
				PRIMARY KEY (account_id, user_id),
				FOREIGN KEY (account_id, user_id) REFERENCES members (account_id, user_id) ON DELETE CASCADE
			)`,
			`CREATE TABLE changes (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
				at TIMESTAMP NOT NULL,
				field TEXT NOT NULL,
				before_value TEXT NOT NULL,
				after_value TEXT NOT NULL
			)`,
			// ids are UUIDv7 (time-ordered), so "newest first" is id DESC.
			`CREATE INDEX changes_account_id ON changes (account_id, id)`,
			`CREATE TABLE sessions (
				id TEXT PRIMARY KEY,
				user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				created_at TIMESTAMP NOT NULL,
				last_seen_at TIMESTAMP NOT NULL,
				expires_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX sessions_user ON sessions (user_id)`,
			`CREATE TABLE invitations (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				email TEXT NOT NULL,
				role TEXT NOT NULL,
				token_hash TEXT NOT NULL,
				invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
				created_at TIMESTAMP NOT NULL,
				expires_at TIMESTAMP NOT NULL,
				accepted_at TIMESTAMP,
				revoked_at TIMESTAMP
			)`,
			`CREATE UNIQUE INDEX invitations_token ON invitations (token_hash)`,
			`CREATE INDEX invitations_account_email ON invitations (account_id, email)`,
			`CREATE TABLE api_tokens (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				name TEXT NOT NULL,
				read_only BOOLEAN NOT NULL,
				prefix TEXT NOT NULL,
				token_hash TEXT NOT NULL,
				created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
				created_at TIMESTAMP NOT NULL,
				last_used_at TIMESTAMP,
				revoked_at TIMESTAMP
			)`,
			`CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash)`,
			`CREATE INDEX api_tokens_account ON api_tokens (account_id)`,
			`CREATE TABLE launch_requests (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
				at TIMESTAMP NOT NULL
			)`,
			`CREATE TABLE notifications (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				kind TEXT NOT NULL,
				subject TEXT NOT NULL,
				body TEXT NOT NULL,
				recipients TEXT NOT NULL,
				sender_id TEXT REFERENCES users (id) ON DELETE SET NULL,
				created_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX notifications_account ON notifications (account_id, id)`,
			`CREATE TABLE outbox (
				id TEXT PRIMARY KEY,
				notification_id TEXT,
				to_email TEXT NOT NULL,
				subject TEXT NOT NULL,
				text_body TEXT NOT NULL,
				html_body TEXT NOT NULL,
				message_id TEXT NOT NULL,
				status TEXT NOT NULL,
				attempts INTEGER NOT NULL DEFAULT 0,
				next_attempt_at TIMESTAMP NOT NULL,
				last_error TEXT,
				created_at TIMESTAMP NOT NULL,
				sent_at TIMESTAMP,
				claimed_until TIMESTAMP
			)`,
			`CREATE INDEX outbox_due ON outbox (status, next_attempt_at)`,
			`CREATE INDEX outbox_notification ON outbox (notification_id)`,
		),
	},
	{
		// Indexes of the staff listing's filters (see listing.go). The
		// partial indexes, one per contact field, serve the "missing field"
		// filter on both databases. The substring search gets pg_trgm GIN
		// indexes on PostgreSQL only: SQLite has no trigram index (its
		// search scans, which is fine at the sizes SQLite serves), so this
		// is the one migration whose SQL depends on the dialect.
		//
		// Why trigrams rather than a lower-cased prefix index: staff search
		// for a part of a name ("napoli") or of an address ("acme.com",
		// "oncall"), which a prefix index cannot answer; measured at 100k
		// accounts (bench/README.md), a selective term costs 2-40 ms with
		// the indexes and over 2 s without (sequential scans of accounts,
		// contacts and users). Terms under 3 characters cannot use a
		// trigram index and still scan. pg_trgm is a trusted extension
		// (PostgreSQL 13+): the database owner may create it.
		ID: "0002_listing_indexes",
		Migrate: func(tx *gorm.DB) error {
			stmts := []string{}
			for i, f := range missingBitIndexes {
				stmts = append(stmts, fmt.Sprintf(
					`CREATE INDEX contact_infos_missing_%s ON contact_infos (account_id) WHERE (missing & %d) <> 0`, f, 1<<i))
			}
			if tx.Dialector.Name() == "postgres" {
				stmts = append(stmts,
					`CREATE EXTENSION IF NOT EXISTS pg_trgm`,
					`CREATE INDEX accounts_name_trgm ON accounts USING gin (name_lower gin_trgm_ops)`,
					`CREATE INDEX contacts_email_trgm ON contacts USING gin (email gin_trgm_ops)`,
					`CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops)`,
				)
			}
			return execAll(stmts...)(tx)
		},
	},
	{
		// The audit log (audit.go). No foreign keys: a record outlives what
		// it names (the target's label is copied), and a cascade would be
		// an UPDATE or DELETE, which the append-only triggers refuse. The
		// triggers are the one dialect-dependent part: SQLite raises in the
		// trigger body, PostgreSQL needs a trigger function.
		ID: "0003_audit_events",
		Migrate: func(tx *gorm.DB) error {
			stmts := []string{
				`CREATE TABLE audit_events (
					id TEXT PRIMARY KEY,
					account_id TEXT NOT NULL,
					action TEXT NOT NULL,
					actor_id TEXT,
					principal TEXT NOT NULL,
					ip TEXT,
					user_agent TEXT,
					at TIMESTAMP NOT NULL,
					target_kind TEXT,
					target_id TEXT,
					target_label TEXT,
					before_value TEXT,
					after_value TEXT
				)`,
				// ids are UUIDv7 (time-ordered), so "newest first" is id DESC.
				`CREATE INDEX audit_events_account_id ON audit_events (account_id, id)`,
			}
			if tx.Dialector.Name() == "postgres" {
				stmts = append(stmts,
					`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN
						RAISE EXCEPTION 'audit_events is append-only';
					END
					$$`,
					`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
					FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
				)
			} else {
				stmts = append(stmts,
					`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
					BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
					`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
					BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
				)
			}
			return execAll(stmts...)(tx)
		},
	},
	{
		// One row per distinct address of an account (emails are stored
		// normalized, see models.NormalizeEmail); removing an address from
		// every field deletes its row and its links. The last test's
		// delivery is read from its outbox row.
		ID: "0004_reachability",
		Migrate: execAll(
			`CREATE TABLE contact_reachability (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				email TEXT NOT NULL,
				state TEXT NOT NULL,
				since TIMESTAMP NOT NULL,
				detail TEXT,
				verified_by TEXT,
				last_test_field TEXT,
				last_test_at TIMESTAMP,
				last_test_outbox_id TEXT,
				last_test_confirmed_at TIMESTAMP,
				created_at TIMESTAMP NOT NULL
			)`,
			`CREATE UNIQUE INDEX contact_reachability_account_email ON contact_reachability (account_id, email)`,
			// A bounce finds every account listing the address.
			`CREATE INDEX contact_reachability_email ON contact_reachability (email)`,
			// The staff filters "has unreachable / unverified contacts".
			`CREATE INDEX contact_reachability_state ON contact_reachability (state, account_id)`,
			`CREATE TABLE reachability_links (
				id TEXT PRIMARY KEY,
				reachability_id TEXT NOT NULL REFERENCES contact_reachability (id) ON DELETE CASCADE,
				token_hash TEXT NOT NULL,
				purpose TEXT NOT NULL,
				field TEXT,
				created_at TIMESTAMP NOT NULL,
				expires_at TIMESTAMP NOT NULL,
				used_at TIMESTAMP
			)`,
			`CREATE UNIQUE INDEX reachability_links_token ON reachability_links (token_hash)`,
			`CREATE INDEX reachability_links_reachability ON reachability_links (reachability_id)`,
		),
	}, {
		// The review cycle, quality warnings and former members (issue 14).
		// reviewed_at starts at each account's last save, or now for one
		// never saved; review_cycle numbers the reviews, so that a reminder's
		// key (account, kind, cycle) names one cycle exactly (a timestamp
		// would compare differently on the two databases). warnings is the
		// models.WarningSet of the data (not of time: REVIEW_DUE is derived
		// from reviewed_at), recomputed at every change that can alter it
		// and, when the rules change (warnings_rules below
		// models.WarningRulesVersion), by the review scheduler.
		ID: "0005_review",
		Migrate: func(tx *gorm.DB) error {
			if err := execAll(
				`ALTER TABLE contact_infos ADD COLUMN reviewed_at TIMESTAMP`,
				`ALTER TABLE contact_infos ADD COLUMN review_cycle INTEGER NOT NULL DEFAULT 0`,
				`ALTER TABLE contact_infos ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0`,
				`ALTER TABLE contact_infos ADD COLUMN warnings_rules INTEGER NOT NULL DEFAULT 0`,
				// A history entry is a changed field or a confirmation
				// ("these are still correct"), which names no field.
				`ALTER TABLE changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'FIELD_CHANGED'`,
			)(tx); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE contact_infos SET reviewed_at = COALESCE(updated_at, ?)`,
				time.Now().UTC().Truncate(time.Microsecond)).Error; err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			return execAll(
				`CREATE INDEX contact_infos_reviewed_at ON contact_infos (reviewed_at, account_id)`,
				`CREATE INDEX contact_infos_warned ON contact_infos (account_id) WHERE warnings <> 0`,
				`CREATE INDEX contact_infos_warnings_rules ON contact_infos (warnings_rules, account_id)`,
				`CREATE TABLE review_reminders (
					account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
					kind TEXT NOT NULL,
					cycle INTEGER NOT NULL,
					sent_at TIMESTAMP NOT NULL,
					PRIMARY KEY (account_id, kind, cycle)
				)`,
				`CREATE TABLE former_members (
					account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
					email TEXT NOT NULL,
					since TIMESTAMP NOT NULL,
					PRIMARY KEY (account_id, email)
				)`,
			)(tx)
		},
	}, {
		// API token hygiene (expiry, last IP) and webhooks: endpoints and
		// their deliveries, the webhook outbox written in the transaction
		// of the change that causes an event. The signing secret is kept
		// as is: HMAC signing needs it, so it cannot be hashed (see
		// README, Webhooks).
		ID: "0006_webhooks",
		Migrate: execAll(
			`ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP`,
			`ALTER TABLE api_tokens ADD COLUMN last_used_ip TEXT`,
			`CREATE TABLE webhook_endpoints (
				id TEXT PRIMARY KEY,
				account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
				url TEXT NOT NULL,
				description TEXT NOT NULL DEFAULT '',
				events TEXT NOT NULL,
				enabled BOOLEAN NOT NULL,
				disabled_reason TEXT,
				consecutive_failures INTEGER NOT NULL DEFAULT 0,
				secret TEXT NOT NULL,
				previous_secret TEXT,
				previous_secret_until TIMESTAMP,
				created_at TIMESTAMP NOT NULL,
				updated_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX webhook_endpoints_account_id ON webhook_endpoints (account_id, id)`,
			`CREATE TABLE webhook_deliveries (
				id TEXT PRIMARY KEY,
				endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
				event_id TEXT NOT NULL,
				event TEXT NOT NULL,
				payload TEXT NOT NULL,
				status TEXT NOT NULL,
				attempts INTEGER NOT NULL DEFAULT 0,
				next_attempt_at TIMESTAMP NOT NULL,
				claimed_until TIMESTAMP,
				response_code INTEGER,
				latency_ms INTEGER,
				last_error TEXT,
				last_error_code TEXT,
				last_attempt_at TIMESTAMP,
				created_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX webhook_deliveries_endpoint_id ON webhook_deliveries (endpoint_id, id)`,
			`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)`,
		),
	}, {
		// Mails queued to an account's contact addresses (verifications,
		// tests), for the daily quota (models.ContactMailsPerDay): a row
		// per mail, kept a day. Not the links: removing an address deletes
		// its links, and adding it again would send again.
		ID: "0007_contact_mail_quota",
		Migrate: execAll(
			`CREATE TABLE contact_mails (
				account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
				sent_at TIMESTAMP NOT NULL
			)`,
			`CREATE INDEX contact_mails_account ON contact_mails (account_id, sent_at)`,
		),
	}, {
		// The number of accounts, kept by the database: the staff
		// listing's unfiltered total (its default view) read from one row
		// instead of counting 100,000 contact_infos rows on every page
		// (11 ms of PostgreSQL's time at 100k). Triggers keep it in the
		// transaction that adds or removes an account's contact_infos row
		// (one per account), so it is exact for every reader. On
		// PostgreSQL the triggers run once per statement (a seed's COPY
		// adds its count in one update); concurrent account creations
		// wait for each other's commit on the one row, which is fine for
		// how rarely accounts are created.
		ID: "0008_account_totals",
		Migrate: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				return execAll(
					`CREATE TABLE account_totals (
						one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
						accounts BIGINT NOT NULL
					)`,
					`INSERT INTO account_totals (one, accounts) SELECT TRUE, COUNT(*) FROM contact_infos`,
					`CREATE FUNCTION account_totals_added() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN
						UPDATE account_totals SET accounts = accounts + (SELECT COUNT(*) FROM added);
						RETURN NULL;
					END $$`,
					`CREATE FUNCTION account_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN
						UPDATE account_totals SET accounts = accounts - (SELECT COUNT(*) FROM removed);
						RETURN NULL;
					END $$`,
					`CREATE TRIGGER account_totals_added AFTER INSERT ON contact_infos
						REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION account_totals_added()`,
					`CREATE TRIGGER account_totals_removed AFTER DELETE ON contact_infos
						REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION account_totals_removed()`,
				)(tx)
			}
			return execAll(
				`CREATE TABLE account_totals (
					one INTEGER PRIMARY KEY CHECK (one = 1),
					accounts INTEGER NOT NULL
				)`,
				`INSERT INTO account_totals (one, accounts) SELECT 1, COUNT(*) FROM contact_infos`,
				`CREATE TRIGGER account_totals_added AFTER INSERT ON contact_infos
					BEGIN UPDATE account_totals SET accounts = accounts + 1; END`,
				`CREATE TRIGGER account_totals_removed AFTER DELETE ON contact_infos
					BEGIN UPDATE account_totals SET accounts = accounts - 1; END`,
			)(tx)
		},
	}, {
		// Each account's contacts document (contactsdoc.go): a copy of its
		// contacts and alert contacts rows that the staff listing reads
		// with the page. saveContactInfo writes it; these triggers set it
		// to NULL when any other statement writes either table (a cascade
		// from a removed member or account included), so that a document
		// is missing rather than stale, and a missing one is read from the
		// rows. Existing accounts get theirs here (backfillContactsDocs).
		// On PostgreSQL the triggers run once per statement,
		// on SQLite once per row; the IS NOT NULL keeps all but the first
		// from writing.
		ID: "0009_contacts_doc",
		Migrate: func(tx *gorm.DB) error {
			stmts := []string{`ALTER TABLE contact_infos ADD COLUMN contacts_doc TEXT`}
			if tx.Dialector.Name() == "postgres" {
				// The lock first, whatever the document: a writer that
				// took no lock of its own (a fix by hand) waits here for
				// a save that has read the rows before its change, and
				// then clears the document that save wrote. (An UPDATE
				// matching no row, the document being NULL already,
				// would lock nothing.)
				stmts = append(stmts, `CREATE FUNCTION contacts_doc_stale() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN
						PERFORM 1 FROM contact_infos WHERE account_id IN (SELECT account_id FROM changed)
						ORDER BY account_id FOR NO KEY UPDATE;
						UPDATE contact_infos SET contacts_doc = NULL
						WHERE contacts_doc IS NOT NULL AND account_id IN (SELECT account_id FROM changed);
						RETURN NULL;
					END $$`)
				for _, table := range []string{"contacts", "alert_contacts"} {
					for _, t := range []struct{ name, event, rows string }{
						{"inserted", "INSERT", "NEW"}, {"deleted", "DELETE", "OLD"},
						{"updated_old", "UPDATE", "OLD"}, {"updated_new", "UPDATE", "NEW"},
					} {
						stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER %s_doc_%s AFTER %s ON %s
							REFERENCING %s TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION contacts_doc_stale()`,
							table, t.name, t.event, table, t.rows))
					}
				}
			} else {
				for _, table := range []string{"contacts", "alert_contacts"} {
					for _, t := range []struct{ name, event, row string }{
						{"inserted", "INSERT", "NEW"}, {"deleted", "DELETE", "OLD"},
						{"updated_old", "UPDATE", "OLD"}, {"updated_new", "UPDATE", "NEW"},
					} {
						stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER %s_doc_%s AFTER %s ON %s
							BEGIN UPDATE contact_infos SET contacts_doc = NULL
							WHERE contacts_doc IS NOT NULL AND account_id = %s.account_id; END`,
							table, t.name, t.event, table, t.row))
					}
				}
			}
			if err := execAll(stmts...)(tx); err != nil {
				return err
			}
			return backfillContactsDocs(tx)
		},
	},
}

// backfillContactsDocs writes the contacts document of every account that
// has none, 500 accounts at a time, inside migration 0009's transaction:
// its ALTER TABLE and CREATE TRIGGER hold contact_infos, contacts and
// alert_contacts against every other writer until it commits, so no row
// changes between the read and the write. (About 11 s at 100,000
// accounts on PostgreSQL, once.) It reads the rows with the columns they
// had at 0009, not through the store's models, so that later changes of
// those cannot change what this step does.
func backfillContactsDocs(tx *gorm.DB) error {
	after := ""
	for {
		var ids []string
		if err := tx.Raw(`SELECT account_id FROM contact_infos WHERE contacts_doc IS NULL AND account_id > ?
			ORDER BY account_id LIMIT 500`, after).Scan(&ids).Error; err != nil {
			return fmt.Errorf("backfill contacts documents: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		infos := make(map[string]*models.ContactInfo, len(ids))
		for _, id := range ids {
			infos[id] = &models.ContactInfo{}
		}
		var contacts []struct {
			AccountID, Field, Email string
			Name, Phone             *string
		}
		if err := tx.Raw(`SELECT account_id, field, name, email, phone FROM contacts WHERE account_id IN ?
			ORDER BY account_id, field, position`, ids).Scan(&contacts).Error; err != nil {
			return fmt.Errorf("backfill contacts documents: %w", err)
		}
		for _, c := range contacts {
			infos[c.AccountID].AppendContact(models.ContactField(c.Field), models.Contact{Name: c.Name, Email: c.Email, Phone: c.Phone})
		}
		var alerts []struct{ AccountID, UserID string }
		if err := tx.Raw(`SELECT account_id, user_id FROM alert_contacts WHERE account_id IN ?
			ORDER BY account_id, position`, ids).Scan(&alerts).Error; err != nil {
			return fmt.Errorf("backfill contacts documents: %w", err)
		}
		for _, a := range alerts {
			infos[a.AccountID].AlertContactIDs = append(infos[a.AccountID].AlertContactIDs, a.UserID)
		}
		// One statement for the batch: CASE rather than UPDATE … FROM
		// (VALUES …), which is spelled differently on each database.
		var set strings.Builder
		args := make([]any, 0, 2*len(ids)+1)
		set.WriteString(`UPDATE contact_infos SET contacts_doc = CASE account_id`)
		for _, id := range ids {
			set.WriteString(` WHEN ? THEN ?`)
			args = append(args, id, encodeContactsDoc(infos[id]))
		}
		set.WriteString(` END WHERE account_id IN ?`)
		if err := tx.Exec(set.String(), append(args, ids)...).Error; err != nil {
			return fmt.Errorf("backfill contacts documents: %w", err)
		}
		after = ids[len(ids)-1]
	}
}

func execAll(stmts ...string) gormigrate.MigrateFunc {
	return func(tx *gorm.DB) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
		return nil
	}
}

// Migrate applies every pending migration and records it in the
// schema_migrations table.
func (db *DB) Migrate() error {
	m := gormigrate.New(db.gorm, &gormigrate.Options{
		TableName:                 "schema_migrations",
		IDColumnName:              "id",
		IDColumnSize:              255,
		UseTransaction:            true,
		ValidateUnknownMigrations: true,
	}, migrations)
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("run migrations: %w", err)
	}
	return nil
}

// missingBitIndexes names the partial index of each bit of the stored
// missing-field set (models.FieldSet): bit i is models.ContactFields[i].
// Migration 0002 is frozen, so the list is written out here rather than
// derived at run time; TestMissingBitOrder checks it against the models.
var missingBitIndexes = []string{"alert_contacts", "technical_emergency", "technical_non_emergency",
	"merchant_issues", "operational_for_google", "operational_for_users", "operational_support"}
