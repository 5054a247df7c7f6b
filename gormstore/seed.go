package gormstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/contactgate/contactgate/models"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"
)

// SeedOptions says how much realistic data Seed writes.
type SeedOptions struct {
	// Accounts is the number of partner accounts to create.
	Accounts int
	// Seed makes the shape of the data (names, roles, which fields are
	// filled) reproducible; ids are new on every run, and the numbers in
	// emails continue after the accounts already there, so that a database
	// can be seeded twice (one seed at a time).
	Seed uint64
	// ChunkSize is the number of accounts written per transaction
	// (default 5000); memory use is proportional to it, not to Accounts.
	ChunkSize int
	// Progress, when set, is called after each chunk with the accounts
	// written so far.
	Progress func(done int)
}

// SeedStats counts what Seed wrote.
type SeedStats struct {
	Accounts, Users, Members, Contacts, AlertContacts int
	// Unlocked: both gates open; SandboxOnly: SANDBOX open, PRODUCTION
	// locked (no alert contact); Locked: both locked.
	Unlocked, SandboxOnly, Locked int
	Took                          time.Duration
}

// Seed fills the database with partner accounts, their members (users
// without a password: sign in as them by creating a session), integration
// types and contact info, some complete and some locked. Rows are written in
// bulk: with COPY on PostgreSQL, with multi-row INSERTs on SQLite, one
// transaction per chunk; on PostgreSQL the tables are then vacuumed and
// analysed.
func (db *DB) Seed(ctx context.Context, o SeedOptions) (SeedStats, error) {
	start := time.Now()
	var stats SeedStats
	if o.Accounts <= 0 {
		return stats, errors.New("seed: the number of accounts must be positive")
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 5000
	}
	// Numbers (in domains, hence emails) continue after the accounts
	// already there, so that seeding twice makes no duplicate user.
	var existing int64
	if err := db.with(ctx).Table("accounts").Count(&existing).Error; err != nil {
		return stats, fmt.Errorf("seed: %w", err)
	}
	g := &seedGen{
		rng:     mrand.New(mrand.NewPCG(o.Seed, 0x5eed)),
		offset:  int(existing),
		now:     db.now(),
		catalog: db.opts.Catalog,
	}
	for _, t := range db.opts.Catalog.Types() {
		g.types = append(g.types, t.Name)
	}
	// Chunks are generated in order (the same data for the same Seed) and
	// written by several connections at once on PostgreSQL, where most of
	// the time is the server maintaining the indexes, one backend per COPY;
	// SQLite takes one writer at a time.
	writers := 1
	if db.dialect == "postgres" {
		writers = max(2, min(4, runtime.NumCPU()))
	}
	type job struct {
		c           *seedChunk
		first, size int
	}
	jobs := make(chan job)
	written := make(chan int, writers)
	g2, gctx := errgroup.WithContext(ctx)
	for range writers {
		g2.Go(func() error {
			for j := range jobs {
				var err error
				if db.dialect == "postgres" {
					err = db.copyChunk(gctx, j.c)
				} else {
					err = db.insertChunk(gctx, j.c)
				}
				if err != nil {
					return fmt.Errorf("seed accounts %d to %d: %w", j.first, j.first+j.size, err)
				}
				written <- j.size
			}
			return nil
		})
	}
	g2.Go(func() error {
		defer close(jobs)
		for first := 0; first < o.Accounts; first += o.ChunkSize {
			n := min(o.ChunkSize, o.Accounts-first)
			select {
			case jobs <- job{g.chunk(first, n, &stats), first, n}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	waitErr := make(chan error, 1)
	go func() { waitErr <- g2.Wait(); close(written) }()
	done := 0
	for n := range written {
		done += n
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	if err := <-waitErr; err != nil {
		return stats, err
	}
	if db.dialect == "postgres" {
		// Fresh statistics for the planner and a visibility map for
		// index-only scans (autovacuum would get there later).
		// On a connection of its own without the 10 s statement timeout
		// (withTimeouts): on a busy machine vacuuming 100k accounts takes
		// longer. VACUUM cannot run in a transaction, so no SET LOCAL.
		if err := db.vacuumAnalyze(ctx, "VACUUM (ANALYZE) accounts, account_integration_types, contact_infos, users, members, contacts, alert_contacts"); err != nil {
			return stats, fmt.Errorf("seed: vacuum: %w", err)
		}
	}
	stats.Took = time.Since(start)
	return stats, nil
}

// seedChunk is the rows of one chunk of accounts, in insertion order.
type seedChunk struct {
	users    []userRow
	accounts []accountRow
	types    []integrationTypeRow
	infos    []contactInfoRow
	members  []memberRow
	contacts []contactRow
	alerts   []alertContactRow
	// reminders are the review reminders a running deployment would have
	// sent already: without them, a freshly seeded database makes the
	// server work through a backlog of a quarter of its accounts at
	// start, which no steady state has (and which benchmarks would count).
	reminders []reminderRow
}

// reminderRow is a review_reminders row.
type reminderRow struct {
	AccountID string
	Kind      string
	Cycle     int
	SentAt    time.Time
}

func (reminderRow) TableName() string { return "review_reminders" }

type seedGen struct {
	rng     *mrand.Rand
	offset  int
	now     time.Time
	catalog *models.Catalog
	types   []string
	seq     int
}

var (
	seedPrefixes = []string{"Trattoria", "Osteria", "Pizzeria", "Studio", "Salone", "Bottega", "Café", "Clinic",
		"Barber", "Spa", "Bistro", "Taverna", "Gelateria", "Yoga", "Fitness", "Dental", "Sushi", "Ramen",
		"Garage", "Atelier", "Enoteca", "Libreria", "Pasticceria", "Bakery", "Tours", "Kitchen", "Wellness",
		"Hotel", "Agriturismo", "Escape Room"}
	seedCores = []string{"Bella Napoli", "Da Mario", "Il Gabbiano", "Blue Fin", "Golden Gate", "La Pergola",
		"Sole Mio", "Green Leaf", "Red Fox", "Luna Rossa", "Old Town", "Harbour View", "Casa Verde",
		"Nonna Rosa", "Little Tokyo", "Bright Smile", "Iron Works", "Silver Spoon", "Dolce Vita", "Sakura",
		"Northern Lights", "Via Roma", "Ponte Vecchio", "Mille Miglia", "Riverside", "Sunset", "Le Tre Sorelle",
		"Orchard", "Maple", "Stella Polare", "Città Alta", "Lighthouse", "Aurora", "Olive Tree", "Brick Lane",
		"Monte Bianco", "Piccolo Mondo", "Copper Kettle", "Bamboo", "Cedar"}
	seedCities = []string{"Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli", "Palermo", "Bari",
		"Verona", "Genova", "London", "Berlin", "Paris", "Madrid", "Lisboa", "Wien", "Zürich", "München",
		"New York", "Chicago", "Austin", "Seattle", "Tokyo", "Osaka", "Sydney", "Toronto"}
	seedFirst = []string{"Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo",
		"Elena", "Davide", "Anna", "Paolo", "Martina", "Andrea", "Laura", "Emma", "Noah", "Olivia", "Liam",
		"Sofia", "Lukas", "Mia", "Hugo", "Lucía", "Yuki", "Hana", "Kenji", "Amara", "Omar", "Zoë", "Jürgen"}
	seedLast = []string{"Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
		"Conti", "De Luca", "Esposito", "Smith", "Johnson", "Müller", "Schmidt", "Dubois", "García",
		"Fernández", "Tanaka", "Suzuki", "O'Brien", "Nguyen", "Kowalski", "Andersson", "Costa", "Silva"}
	seedZones = []string{"Europe/Rome", "Europe/London", "Europe/Berlin", "America/New_York",
		"America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo"}
	seedAliases = map[models.ContactField][]string{
		models.FieldTechnicalEmergency:    {"oncall", "pager", "sre", "noc", "emergency"},
		models.FieldTechnicalNonEmergency: {"tech", "dev", "integrations", "api", "engineering"},
		models.FieldMerchantIssues:        {"merchants", "partners", "merchant-support", "onboarding"},
		models.FieldOperationalForGoogle:  {"ops", "escalations", "operations", "bookings"},
		models.FieldOperationalForUsers:   {"help", "support", "customercare", "assistenza"},
	}
)

func (g *seedGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *seedGen) chance(p float64) bool { return g.rng.Float64() < p }

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (g *seedGen) person(domain string) (name, email string) {
	first, last := g.pick(seedFirst), g.pick(seedLast)
	g.seq++
	return first + " " + last, fmt.Sprintf("%s.%s%s@%s", slug(first), slug(last), strconv.FormatInt(int64(g.seq), 36), domain)
}

func (g *seedGen) phone() *string {
	var p string
	switch g.rng.IntN(3) {
	case 0: // fictional North American numbers
		p = fmt.Sprintf("+1415555%04d", g.rng.IntN(10000))
	case 1:
		p = fmt.Sprintf("+3902%07d", g.rng.IntN(10000000))
	default:
		p = fmt.Sprintf("+44207946%04d", g.rng.IntN(10000))
	}
	return &p
}

func (g *seedGen) contacts(f models.ContactField, domain string, n int) []models.Contact {
	out := make([]models.Contact, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		var c models.Contact
		if g.chance(0.5) {
			alias := g.pick(seedAliases[f])
			if seen[alias] {
				continue
			}
			seen[alias] = true
			c.Email = alias + "@" + domain
		} else {
			name, email := g.person(domain)
			c.Name, c.Email = &name, email
		}
		if g.chance(0.4) {
			c.Phone = g.phone()
		}
		out = append(out, c)
	}
	return out
}

func (g *seedGen) hours() *models.SupportHours {
	if g.chance(0.4) {
		return &models.SupportHours{AlwaysOpen: true, Windows: []models.SupportWindow{}}
	}
	tz := g.pick(seedZones)
	h := &models.SupportHours{Windows: []models.SupportWindow{{
		Days:  []models.DayOfWeek{models.Monday, models.Tuesday, models.Wednesday, models.Thursday, models.Friday},
		Opens: fmt.Sprintf("%02d:00", 8+g.rng.IntN(3)), Closes: fmt.Sprintf("%02d:00", 17+g.rng.IntN(4)), TimeZone: tz,
	}}}
	if g.chance(0.4) {
		h.Windows = append(h.Windows, models.SupportWindow{Days: []models.DayOfWeek{models.Saturday},
			Opens: "10:00", Closes: "14:00", TimeZone: tz})
	}
	return h
}

// chunk generates n accounts numbered from first.
func (g *seedGen) chunk(first, n int, stats *SeedStats) *seedChunk {
	c := &seedChunk{}
	newUser := func(name, email string, created time.Time) string {
		u := userRow{ID: newID(), Email: email, Name: &name, CreatedAt: created}
		c.users = append(c.users, u)
		return u.ID
	}
	// Agency people look after several accounts of the chunk, so that a
	// member email can match many accounts.
	var agency []string
	for i := 0; i < max(1, n/100); i++ {
		name, email := g.person("agency-" + strconv.FormatInt(int64(g.offset+first), 36) + ".example")
		agency = append(agency, newUser(name, email, g.now.Add(-400*24*time.Hour)))
	}
	for i := range n {
		num := g.offset + first + i + 1
		core := g.pick(seedCores)
		name := g.pick(seedPrefixes) + " " + core
		if g.chance(0.7) {
			name += " " + g.pick(seedCities)
		}
		if g.chance(0.2) {
			name += " " + strconv.Itoa(2+g.rng.IntN(20))
		}
		domain := slug(core) + "-" + strconv.FormatInt(int64(num), 36) + ".example"
		created := g.now.Add(-time.Duration(g.rng.Int64N(int64(730 * 24 * time.Hour))))
		acc := accountRow{ID: newID(), Name: name, NameLower: strings.ToLower(name), CreatedAt: created}
		c.accounts = append(c.accounts, acc)

		types := []string{g.pick(g.types)}
		if g.chance(0.3) {
			if t := g.pick(g.types); t != types[0] {
				types = append(types, t)
			}
		}
		for _, t := range types {
			c.types = append(c.types, integrationTypeRow{AccountID: acc.ID, IntegrationType: t})
		}

		// Members: an administrator, sometimes more people, sometimes an agency.
		var memberIDs []string
		addMember := func(userID string, role models.Role) {
			c.members = append(c.members, memberRow{AccountID: acc.ID, UserID: userID, Role: string(role),
				CreatedAt: created.Add(time.Duration(len(memberIDs)) * time.Hour)})
			memberIDs = append(memberIDs, userID)
		}
		pn, pe := g.person(domain)
		addMember(newUser(pn, pe, created), models.RoleAdministrator)
		for range g.rng.IntN(3) {
			pn, pe := g.person(domain)
			role := models.RoleEditor
			if g.chance(0.4) {
				role = models.RoleReadOnly
			}
			addMember(newUser(pn, pe, created), role)
		}
		if g.chance(0.1) {
			addMember(agency[g.rng.IntN(len(agency))], models.RoleEditor)
		}

		// Contact info: most accounts complete, some only for SANDBOX,
		// the rest partly filled (locked).
		info := models.ContactInfo{AccountID: acc.ID, MerchantIssuesRequirement: g.catalog.MerchantIssues(types),
			TechnicalEmergency: []models.Contact{}, TechnicalNonEmergency: []models.Contact{},
			MerchantIssues: []models.Contact{}, OperationalForGoogle: []models.Contact{}}
		shape := g.rng.Float64()
		fill := func() bool { return shape < 0.7 || g.chance(0.4) }
		listN := func() int { return 1 + g.rng.IntN(3) }
		if fill() {
			info.TechnicalEmergency = g.contacts(models.FieldTechnicalEmergency, domain, listN())
		}
		if fill() {
			info.TechnicalNonEmergency = g.contacts(models.FieldTechnicalNonEmergency, domain, listN())
		}
		if info.MerchantIssuesRequirement != models.Unavailable && (fill() || g.chance(0.2)) {
			info.MerchantIssues = g.contacts(models.FieldMerchantIssues, domain, listN())
		}
		if fill() {
			info.OperationalForGoogle = g.contacts(models.FieldOperationalForGoogle, domain, listN())
		}
		if fill() {
			u := g.contacts(models.FieldOperationalForUsers, domain, 1)[0]
			info.OperationalForUsers = &u
		}
		if fill() {
			info.OperationalSupport = g.hours()
		}
		if shape < 0.55 || (shape >= 0.7 && g.chance(0.3)) {
			info.AlertContactIDs = append(info.AlertContactIDs, memberIDs[0])
			if len(memberIDs) > 1 && g.chance(0.5) {
				info.AlertContactIDs = append(info.AlertContactIDs, memberIDs[1+g.rng.IntN(len(memberIDs)-1)])
			}
		}

		missing := models.MissingSet(info)
		row := contactInfoRow{AccountID: acc.ID, MerchantIssuesRequirement: string(info.MerchantIssuesRequirement),
			Missing: int(missing), LockedSandbox: missing.Gate(models.EnvironmentSandbox).Locked,
			LockedProduction: missing.Gate(models.EnvironmentProduction).Locked}
		// Reviews spread over the last 450 days, so that a seeded database
		// has current, due and locked reviews at the default settings.
		reviewed := g.now.Add(-time.Duration(g.rng.Int64N(int64(450 * 24 * time.Hour))))
		row.ReviewedAt = &reviewed
		policy := models.DefaultReviewPolicy()
		for _, k := range models.ReminderKinds {
			if at := reviewed.Add(policy.Interval - policy.ReminderOffset(k)); !g.now.Before(at) {
				c.reminders = append(c.reminders, reminderRow{AccountID: acc.ID, Kind: string(k), Cycle: row.ReviewCycle, SentAt: at})
			}
		}
		if info.OperationalSupport != nil {
			b, _ := json.Marshal(info.OperationalSupport)
			s := string(b)
			row.OperationalSupport = &s
		}
		for f, list := range map[models.ContactField][]models.Contact{
			models.FieldTechnicalEmergency: info.TechnicalEmergency, models.FieldTechnicalNonEmergency: info.TechnicalNonEmergency,
			models.FieldMerchantIssues: info.MerchantIssues, models.FieldOperationalForGoogle: info.OperationalForGoogle,
		} {
			for p, ct := range list {
				c.contacts = append(c.contacts, contactRow{AccountID: acc.ID, Field: string(f), Position: p, Name: ct.Name, Email: ct.Email, Phone: ct.Phone})
			}
			if len(list) > 0 {
				row.Version++
			}
		}
		if u := info.OperationalForUsers; u != nil {
			c.contacts = append(c.contacts, contactRow{AccountID: acc.ID, Field: string(models.FieldOperationalForUsers), Name: u.Name, Email: u.Email, Phone: u.Phone})
			row.Version++
		}
		if info.OperationalSupport != nil {
			row.Version++
		}
		for p, id := range info.AlertContactIDs {
			c.alerts = append(c.alerts, alertContactRow{AccountID: acc.ID, UserID: id, Position: p})
		}
		if len(info.AlertContactIDs) > 0 {
			row.Version++
		}
		doc := encodeContactsDoc(&info)
		row.ContactsDoc = &doc
		if row.Version > 0 {
			at := created.Add(time.Duration(g.rng.Int64N(int64(g.now.Sub(created)) + 1)))
			row.UpdatedAt, row.UpdatedBy = &at, &memberIDs[0]
		}
		// The data's warnings, as a save stores them (member emails are
		// not known here, so NO_PAGER_ALIAS is left to the first save).
		row.Warnings = int(models.WarningSetOf(models.Warnings(models.WarningInput{Info: info})))
		row.WarningsRules = models.WarningRulesVersion
		c.infos = append(c.infos, row)

		switch {
		case !row.LockedProduction:
			stats.Unlocked++
		case !row.LockedSandbox:
			stats.SandboxOnly++
		default:
			stats.Locked++
		}
	}
	stats.Accounts += len(c.accounts)
	stats.Users += len(c.users)
	stats.Members += len(c.members)
	stats.Contacts += len(c.contacts)
	stats.AlertContacts += len(c.alerts)
	return c
}

// insertChunk writes a chunk with multi-row INSERTs in one transaction.
func (db *DB) insertChunk(ctx context.Context, c *seedChunk) error {
	// SQLite allows 32766 bound variables per statement; 500 rows of at
	// most 9 columns stay far below.
	const batch = 500
	return db.transaction(ctx, func(tx *gorm.DB) error {
		// The contact infos after the contacts and alert contacts, whose
		// triggers would clear their documents.
		for _, rows := range []any{&c.users, &c.accounts, &c.types, &c.members, &c.contacts, &c.alerts, &c.infos} {
			if err := tx.CreateInBatches(rows, batch).Error; err != nil {
				return err
			}
		}
		if len(c.reminders) > 0 {
			if err := tx.CreateInBatches(&c.reminders, batch).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// copyChunk writes a chunk with COPY FROM STDIN in one transaction, on a
// connection of the pool.
func (db *DB) copyChunk(ctx context.Context, c *seedChunk) error {
	return db.withPgx(ctx, func(conn *pgx.Conn) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		// Seed data can be made again: do not wait for each chunk's WAL
		// flush. (Most of the time goes to the trigram indexes.)
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		copyRows := func(table string, cols []string, n int, row func(i int) []any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
				return row(i), nil
			}))
			if err != nil {
				return fmt.Errorf("copy %s: %w", table, err)
			}
			return nil
		}
		steps := []func() error{
			func() error {
				return copyRows("users", []string{"id", "email", "name", "password_hash", "staff", "locale", "created_at"}, len(c.users),
					func(i int) []any {
						u := c.users[i]
						return []any{u.ID, u.Email, u.Name, u.PasswordHash, u.Staff, u.Locale, u.CreatedAt}
					})
			},
			func() error {
				return copyRows("accounts", []string{"id", "name", "name_lower", "created_at"}, len(c.accounts),
					func(i int) []any { a := c.accounts[i]; return []any{a.ID, a.Name, a.NameLower, a.CreatedAt} })
			},
			func() error {
				return copyRows("account_integration_types", []string{"account_id", "integration_type"}, len(c.types),
					func(i int) []any { t := c.types[i]; return []any{t.AccountID, t.IntegrationType} })
			},
			func() error {
				return copyRows("members", []string{"account_id", "user_id", "role", "created_at"}, len(c.members),
					func(i int) []any { m := c.members[i]; return []any{m.AccountID, m.UserID, m.Role, m.CreatedAt} })
			},
			func() error {
				return copyRows("contacts", []string{"account_id", "field", "position", "name", "email", "phone"}, len(c.contacts),
					func(i int) []any {
						r := c.contacts[i]
						return []any{r.AccountID, r.Field, r.Position, r.Name, r.Email, r.Phone}
					})
			},
			func() error {
				return copyRows("alert_contacts", []string{"account_id", "user_id", "position"}, len(c.alerts),
					func(i int) []any { a := c.alerts[i]; return []any{a.AccountID, a.UserID, a.Position} })
			},
			// After the contacts and alert contacts: their rows' triggers
			// would clear the documents.
			func() error {
				return copyRows("contact_infos", []string{"account_id", "version", "merchant_issues_requirement", "operational_support",
					"missing", "locked_sandbox", "locked_production", "updated_at", "updated_by",
					"reviewed_at", "review_cycle", "warnings", "warnings_rules", "contacts_doc"}, len(c.infos),
					func(i int) []any {
						r := c.infos[i]
						return []any{r.AccountID, r.Version, r.MerchantIssuesRequirement, r.OperationalSupport,
							r.Missing, r.LockedSandbox, r.LockedProduction, r.UpdatedAt, r.UpdatedBy,
							r.ReviewedAt, r.ReviewCycle, r.Warnings, r.WarningsRules, r.ContactsDoc}
					})
			},
			func() error {
				return copyRows("review_reminders", []string{"account_id", "kind", "cycle", "sent_at"}, len(c.reminders),
					func(i int) []any { r := c.reminders[i]; return []any{r.AccountID, r.Kind, r.Cycle, r.SentAt} })
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
}

func (db *DB) vacuumAnalyze(ctx context.Context, stmt string) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		return err
	}
	// The connection goes back to the pool with the server's setting.
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "RESET statement_timeout") }()
	_, err = conn.ExecContext(ctx, stmt)
	return err
}
