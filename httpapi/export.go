package httpapi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/graph"
	"github.com/contactgate/contactgate/models"
)

// ExportHeader is the header row of GET /api/export/contacts.csv. Each
// following row is one account × one contact field (seven per account, empty
// fields included, in the order of the access gate's fields), the accounts
// in id order (oldest first). Multi-valued cells hold one value per line,
// aligned across names, emails, phones and reachability (each address's
// state: UNVERIFIED, VERIFIED, BOUNCED or DISPUTED).
var ExportHeader = []string{
	"account_id", "account_name", "integration_types", "field", "requirement",
	"missing_sandbox", "missing_production", "names", "emails", "phones", "support_hours", "reachability",
	"reviewed_at", "review_due_at", "warnings",
}

// maxConcurrentExports bounds the exports running at once: each holds a
// database connection (and on PostgreSQL a snapshot) until it ends.
const maxConcurrentExports = 2

// exportContacts serves the contacts export to staff signed in with a
// session: 401 signed out, 403 for anyone else (API tokens included). The
// query string takes the listing's filters: search, locked, environment,
// integrationType, missing, review, hasWarnings, warning.
func exportContacts(cfg Config) http.Handler {
	slots := make(chan struct{}, maxConcurrentExports)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if err := cfg.Resolver.Services.Authz.ExportContacts(ctx); err != nil {
			refuseExport(w, err)
			return
		}
		filter, err := exportFilter(r, cfg.Resolver.Services.Review.Bounds)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		default:
			w.Header().Set("Retry-After", "10")
			http.Error(w, "other exports are running; try again shortly", http.StatusTooManyRequests)
			return
		}

		rc := http.NewResponseController(w)
		// The server's write timeout is sized for API answers; an export of
		// many accounts streams for longer.
		_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Minute))
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="contactgate-contacts-%s.csv"`, time.Now().UTC().Format("2006-01-02")))
		h.Set("Cache-Control", "no-store")
		cw := csv.NewWriter(w)
		started := false
		err = cfg.Resolver.Services.Accounts.Export(ctx, filter, func(batch []gormstore.ExportedAccount) error {
			if !started {
				started = true
				if err := cw.Write(ExportHeader); err != nil {
					return err
				}
			}
			for _, a := range batch {
				ci := cfg.Resolver.Services.ContactInfo
				for _, row := range ExportRows(a, ci.ReviewAt(a.Info.ReviewedAt), ci.WarningCodes(a.Info)) {
					if err := cw.Write(row); err != nil {
						return err
					}
				}
			}
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return rc.Flush()
		})
		if err == nil && !started {
			err = cw.Write(ExportHeader)
		}
		if err == nil {
			cw.Flush()
			err = cw.Error()
		}
		if refused, ok := refusedFilter(err); ok && !started {
			http.Error(w, refused, http.StatusBadRequest)
			return
		}
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, http.ErrHandlerTimeout) {
				cfg.Log.ErrorContext(ctx, "contacts export failed", "request_id", graph.RequestID(ctx), "error", err)
			}
			if !started {
				http.Error(w, "the export failed (request "+graph.RequestID(ctx)+")", http.StatusInternalServerError)
				return
			}
			// The header is sent: abort the response, so that the client
			// sees a broken transfer rather than a short file.
			panic(http.ErrAbortHandler)
		}
	})
}

// refusedFilter tells whether err is a filter the caller must fix (a search
// the text rule refuses, a NUL PostgreSQL refuses), and its reason.
func refusedFilter(err error) (string, bool) {
	var refused *models.Error
	switch {
	case errors.As(err, &refused) && refused.Code == models.EValidation:
		return refused.Message, true
	case gormstore.TextRefused(err):
		return gormstore.ErrTextRefused.Message, true
	}
	return "", false
}

// refuseExport answers a caller the Authorizer turned away: 401 signed
// out, 403 otherwise.
func refuseExport(w http.ResponseWriter, err error) {
	var e *models.Error
	if !errors.As(err, &e) {
		http.Error(w, "the export failed", http.StatusInternalServerError)
		return
	}
	status := http.StatusForbidden
	if e.Code == models.EUnauthenticated {
		status = http.StatusUnauthorized
	}
	http.Error(w, e.Message, status)
}

func exportFilter(r *http.Request, reviewBounds func(models.ReviewState) (after, atOrBefore *time.Time)) (gormstore.AccountFilter, error) {
	q := r.URL.Query()
	f := gormstore.AccountFilter{Search: q.Get("search"), IntegrationType: q.Get("integrationType")}
	if v := q.Get("environment"); v != "" {
		if f.Environment = models.Environment(v); !f.Environment.Valid() {
			return f, fmt.Errorf("environment must be SANDBOX or PRODUCTION")
		}
	}
	if v := q.Get("locked"); v != "" {
		locked := v == "true"
		if !locked && v != "false" {
			return f, fmt.Errorf("locked must be true or false")
		}
		f.Locked = &locked
	}
	if v := q.Get("reachability"); v != "" {
		if f.Reachability = models.ReachFilter(v); f.Reachability.States() == nil {
			return f, fmt.Errorf("reachability must be UNREACHABLE or UNVERIFIED")
		}
	}
	if v := q.Get("missing"); v != "" {
		if f.Missing = models.ContactField(v); !f.Missing.Valid() {
			return f, fmt.Errorf("missing must be a contact field such as TECHNICAL_EMERGENCY")
		}
	}
	if v := q.Get("review"); v != "" {
		state := models.ReviewState(v)
		if !state.Valid() {
			return f, fmt.Errorf("review must be CURRENT, DUE or LOCKED")
		}
		f.ReviewedAfter, f.ReviewedAtOrBefore = reviewBounds(state)
	}
	if v := q.Get("hasWarnings"); v != "" {
		has := v == "true"
		if !has && v != "false" {
			return f, fmt.Errorf("hasWarnings must be true or false")
		}
		f.HasWarnings = &has
	}
	if v := q.Get("warning"); v != "" {
		if f.Warning = models.ContactWarningCode(v); !f.Warning.Valid() {
			return f, fmt.Errorf("warning must be a warning code such as FREE_MAIL_DOMAIN")
		}
	}
	return f, nil
}

// ExportRows renders one account as its seven CSV rows, every cell made
// safe for spreadsheets (see SafeCell); each row repeats the account's
// review dates (RFC 3339, UTC) and warning codes (space-separated).
func ExportRows(a gormstore.ExportedAccount, review models.Review, warnings []models.ContactWarningCode) [][]string {
	codes := make([]string, len(warnings))
	for i, c := range warnings {
		codes[i] = string(c)
	}
	info := a.Info
	rows := make([][]string, 0, len(models.ContactFields))
	for _, f := range models.ContactFields {
		requirement := models.Required
		if f == models.FieldMerchantIssues {
			requirement = info.MerchantIssuesRequirement
		}
		var names, emails, phones, states []string
		hours := ""
		state := func(email string) string {
			if st, ok := a.Reach[models.NormalizeEmail(email)]; ok {
				return string(st)
			}
			return string(models.ReachUnverified)
		}
		addContacts := func(cs []models.Contact) {
			for _, c := range cs {
				names, emails, phones = append(names, deref(c.Name)), append(emails, c.Email), append(phones, deref(c.Phone))
				states = append(states, state(c.Email))
			}
		}
		switch f.Kind() {
		case models.KindMembers:
			for _, u := range a.AlertContacts {
				names, emails, phones = append(names, deref(u.Name)), append(emails, u.Email), append(phones, "")
				states = append(states, state(u.Email))
			}
		case models.KindSupportHours:
			hours = FormatSupportHours(info.OperationalSupport)
		default:
			addContacts(info.Contacts(f))
		}
		row := []string{
			a.Account.ID, a.Account.Name, strings.Join(a.Account.IntegrationTypes, " "), f.APIName(), string(requirement),
			boolCell(a.Missing.Gate(models.EnvironmentSandbox).Missing, f), boolCell(a.Missing.Gate(models.EnvironmentProduction).Missing, f),
			strings.Join(names, "\n"), strings.Join(emails, "\n"), strings.Join(phones, "\n"), hours, strings.Join(states, "\n"),
			review.ReviewedAt.UTC().Format(time.RFC3339), review.DueAt.UTC().Format(time.RFC3339), strings.Join(codes, " "),
		}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		rows = append(rows, row)
	}
	return rows
}

// FormatSupportHours renders support hours as "24/7", or one line per
// window: "MONDAY,TUESDAY 09:00-18:00 Europe/Rome".
func FormatSupportHours(h *models.SupportHours) string {
	if h == nil {
		return ""
	}
	if h.AlwaysOpen {
		return "24/7"
	}
	lines := make([]string, len(h.Windows))
	for i, w := range h.Windows {
		days := make([]string, len(w.Days))
		for j, d := range w.Days {
			days[j] = string(d)
		}
		lines[i] = fmt.Sprintf("%s %s-%s %s", strings.Join(days, ","), w.Opens, w.Closes, w.TimeZone)
	}
	return strings.Join(lines, "\n")
}

// SafeCell defuses spreadsheet formula injection (CSV injection): a cell
// that starts with = + - @, a tab or a carriage return is prefixed with a
// single quote, which spreadsheets show as text and do not evaluate. E.164
// phone numbers start with + and so are always prefixed.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func boolCell(missing []models.ContactField, f models.ContactField) string {
	for _, m := range missing {
		if m == f {
			return "true"
		}
	}
	return "false"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
