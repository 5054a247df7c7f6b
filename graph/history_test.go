package graph_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/contactgate/contactgate/internal/apitest"
	"github.com/contactgate/contactgate/models"
)

// This file tests Account.history through the API: one record per changed
// field per save with before and after as JSON and the actor, newest first,
// and cursor pagination that returns every change exactly once.

type ciChange struct {
	ID     string    `json:"id"`
	Actor  *ciID     `json:"actor"`
	At     time.Time `json:"at"`
	Field  string    `json:"field"`
	Before string    `json:"before"`
	After  string    `json:"after"`
}

type ciHistoryPage struct {
	Edges []struct {
		Cursor string   `json:"cursor"`
		Node   ciChange `json:"node"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage bool    `json:"hasNextPage"`
		EndCursor   *string `json:"endCursor"`
	} `json:"pageInfo"`
	TotalCount int `json:"totalCount"`
}

const ciHistoryQuery = `query($a:ID!,$first:Int,$after:String){account(id:$a){history(first:$first,after:$after){
	edges{cursor node{id actor{id} at field before after}} pageInfo{hasNextPage endCursor} totalCount}}}`

// historyOf reads one page of history; first and after are omitted when
// nil / "".
func ciHistory(t *testing.T, c *apitest.Client, accountID string, first *int, after string) ciHistoryPage {
	t.Helper()
	vars := map[string]any{"a": accountID}
	if first != nil {
		vars["first"] = *first
	}
	if after != "" {
		vars["after"] = after
	}
	var out struct {
		Account struct{ History ciHistoryPage }
	}
	c.MustData(ciHistoryQuery, vars, &out)
	return out.Account.History
}

func ciInt(i int) *int { return &i }

// TestHistoryRecordsChanges checks the records of a few saves: one per
// changed field, none for unchanged ones, exact before/after JSON, the actor
// (none for a token), the time of the save, newest first.
func TestHistoryRecordsChanges(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	staff := e.as(e.f.Staff) // reads history while the account is locked
	t0 := e.s.Clock.Now()

	// Save 1 (admin): three fields from empty.
	e.s.Clock.Set(t0.Add(1 * time.Hour))
	e.mustSave(e.as(e.f.Admin), a, models.EnvironmentSandbox, map[string]any{
		"technicalEmergency":    []any{map[string]any{"name": " Pager ", "email": "Pager@Partner.example", "phone": "+39 06 1234 5678"}},
		"technicalNonEmergency": ciContacts("tech@partner.example", "tech2@partner.example"),
		"operationalSupport":    ciHoursIn(ciWindowIn([]string{"TUESDAY", "MONDAY"}, "09:00", "17:00", "Europe/Rome")),
		"merchantIssues":        []any{}, // empty before and after: no change
	})
	// Save 2 (editor, PRODUCTION): alert contacts, technicalEmergency
	// replaced, technicalNonEmergency given unchanged, operationalForUsers new.
	e.s.Clock.Set(t0.Add(2 * time.Hour))
	e.mustSave(e.as(e.f.Editor), a, models.EnvironmentProduction, map[string]any{
		"alertContactUserIds":   []any{e.f.Editor.ID, e.f.Admin.ID},
		"technicalEmergency":    ciContacts("pager@partner.example"),
		"technicalNonEmergency": ciContacts("tech@partner.example", "tech2@partner.example"),
		"operationalForUsers":   map[string]any{"name": "Help", "email": "help@partner.example"},
	})
	// Save 3: nothing changes, nothing is recorded.
	e.s.Clock.Set(t0.Add(3 * time.Hour))
	e.mustSave(e.as(e.f.Admin), a, models.EnvironmentSandbox, map[string]any{"technicalEmergency": ciContacts("pager@partner.example")})
	// Save 4 (API token): support hours and users' contact cleared.
	_, secret, err := e.s.Services.Tokens.Create(t.Context(), &e.f.Admin.ID, a, "ci", false)
	if err != nil {
		t.Fatal(err)
	}
	e.s.Clock.Set(t0.Add(4 * time.Hour))
	e.mustSave(e.s.WithToken(secret), a, models.EnvironmentSandbox, map[string]any{"operationalSupport": nil, "operationalForUsers": nil})

	sortedAlerts := []string{e.f.Editor.ID, e.f.Admin.ID}
	slices.Sort(sortedAlerts)
	hoursJSONValue := `{"alwaysOpen":false,"windows":[{"days":["MONDAY","TUESDAY"],"opens":"09:00","closes":"17:00","timeZone":"Europe/Rome"}]}`
	type want struct {
		actor         string // user id, "" for none
		at            time.Time
		field         string
		before, after string
	}
	// Newest save first; within a save, by field.
	wantSaves := [][]want{
		{
			{"", t0.Add(4 * time.Hour), "OPERATIONAL_FOR_USERS", `{"name":"Help","email":"help@partner.example"}`, `null`},
			{"", t0.Add(4 * time.Hour), "OPERATIONAL_SUPPORT", hoursJSONValue, `null`},
		},
		{
			{e.f.Editor.ID, t0.Add(2 * time.Hour), "ALERT_CONTACTS", `[]`, fmt.Sprintf(`[%q,%q]`, sortedAlerts[0], sortedAlerts[1])},
			{e.f.Editor.ID, t0.Add(2 * time.Hour), "TECHNICAL_EMERGENCY",
				`[{"name":"Pager","email":"pager@partner.example","phone":"+390612345678"}]`, `[{"email":"pager@partner.example"}]`},
			{e.f.Editor.ID, t0.Add(2 * time.Hour), "OPERATIONAL_FOR_USERS", `null`, `{"name":"Help","email":"help@partner.example"}`},
		},
		{
			{e.f.Admin.ID, t0.Add(1 * time.Hour), "TECHNICAL_EMERGENCY", `[]`,
				`[{"name":"Pager","email":"pager@partner.example","phone":"+390612345678"}]`},
			{e.f.Admin.ID, t0.Add(1 * time.Hour), "TECHNICAL_NON_EMERGENCY", `[]`,
				`[{"email":"tech@partner.example"},{"email":"tech2@partner.example"}]`},
			{e.f.Admin.ID, t0.Add(1 * time.Hour), "OPERATIONAL_SUPPORT", `null`, hoursJSONValue},
		},
	}

	page := ciHistory(t, staff, a, ciInt(100), "")
	if page.TotalCount != 8 || len(page.Edges) != 8 || page.PageInfo.HasNextPage {
		t.Fatalf("history: totalCount %d, %d edges, hasNextPage %v", page.TotalCount, len(page.Edges), page.PageInfo.HasNextPage)
	}
	i := 0
	for s, save := range wantSaves {
		// The records of one save share its time; their order among
		// themselves is not part of the contract, so compare them by field.
		got := map[string]ciChange{}
		for range save {
			n := page.Edges[i].Node
			if page.Edges[i].Cursor == "" || n.ID == "" {
				t.Errorf("edge %d has no cursor or id", i)
			}
			got[n.Field] = n
			i++
		}
		for _, w := range save {
			n, ok := got[w.field]
			if !ok {
				t.Errorf("save %d: no %s record among %v", s, w.field, slices.Sorted(maps.Keys(got)))
				continue
			}
			actor := ""
			if n.Actor != nil {
				actor = n.Actor.ID
			}
			if actor != w.actor || !n.At.Equal(w.at) || n.Before != w.before || n.After != w.after {
				t.Errorf("save %d %s:\n got actor %q at %v\n  before %s\n  after  %s\nwant actor %q at %v\n  before %s\n  after  %s",
					s, w.field, actor, n.At, n.Before, n.After, w.actor, w.at, w.before, w.after)
			}
		}
	}

	// Members read the same history once the SANDBOX gate is open.
	e.completeVia(e.as(e.f.Admin), a, true, "")
	mine := ciHistory(t, e.as(e.f.ReadOnly), a, nil, "")
	all := ciHistory(t, staff, a, ciInt(100), "")
	if mine.TotalCount != all.TotalCount || mine.Edges[0].Node.ID != all.Edges[0].Node.ID {
		t.Errorf("READ_ONLY sees %d changes, staff %d", mine.TotalCount, all.TotalCount)
	}
}

// TestHistoryPagination pages through a long history with several page
// sizes and checks that every change comes exactly once, in the order of
// the full list, with totalCount on every page, and that changes made
// between two pages do not shift the pages after them.
func TestHistoryPagination(t *testing.T) {
	e := newCIEnv(t)
	a := e.f.AccountA.ID
	admin := e.as(e.f.Admin)
	e.completeVia(admin, a, true, e.f.Admin.ID) // 7 changes, unlocks history
	for i := range 9 {
		e.s.Clock.Advance(time.Minute)
		fields := map[string]any{"technicalEmergency": ciContacts(fmt.Sprintf("te%d@partner.example", i))}
		if i%2 == 0 {
			fields["operationalForGoogle"] = ciContacts(fmt.Sprintf("og%d@partner.example", i))
		}
		e.mustSave(admin, a, models.EnvironmentSandbox, fields)
	}
	const total = 7 + 9 + 5

	full := ciHistory(t, admin, a, ciInt(100), "")
	if full.TotalCount != total || len(full.Edges) != total || full.PageInfo.HasNextPage {
		t.Fatalf("full history: totalCount %d, %d edges, hasNextPage %v", full.TotalCount, len(full.Edges), full.PageInfo.HasNextPage)
	}
	var fullIDs []string
	for i, ed := range full.Edges {
		fullIDs = append(fullIDs, ed.Node.ID)
		if i > 0 && ed.Node.At.After(full.Edges[i-1].Node.At) {
			t.Errorf("edge %d (%v) is newer than edge %d (%v)", i, ed.Node.At, i-1, full.Edges[i-1].Node.At)
		}
	}
	if got := full.Edges[0].Node; got.Field != "TECHNICAL_EMERGENCY" && got.Field != "OPERATIONAL_FOR_GOOGLE" {
		t.Errorf("newest change is %s", got.Field)
	}
	if got := full.Edges[total-1].Node; !got.At.Equal(full.Edges[total-7].Node.At) {
		t.Errorf("the oldest changes are not the first save's")
	}

	pageThrough := func(first int) []string {
		t.Helper()
		var ids []string
		after := ""
		for pages := 0; ; pages++ {
			if pages > total {
				t.Fatalf("first=%d: no end after %d pages", first, pages)
			}
			p := ciHistory(t, admin, a, ciInt(first), after)
			if p.TotalCount != total {
				t.Errorf("first=%d page %d: totalCount %d", first, pages, p.TotalCount)
			}
			if len(p.Edges) > first {
				t.Errorf("first=%d page %d: %d edges", first, pages, len(p.Edges))
			}
			for _, ed := range p.Edges {
				ids = append(ids, ed.Node.ID)
			}
			if len(p.Edges) > 0 && (p.PageInfo.EndCursor == nil || *p.PageInfo.EndCursor != p.Edges[len(p.Edges)-1].Cursor) {
				t.Errorf("first=%d page %d: endCursor %v is not the last edge's cursor", first, pages, p.PageInfo.EndCursor)
			}
			if !p.PageInfo.HasNextPage {
				return ids
			}
			after = *p.PageInfo.EndCursor
		}
	}
	for _, first := range []int{1, 2, 4, 7, 20, total, total + 1} {
		if got := pageThrough(first); !slices.Equal(got, fullIDs) {
			t.Errorf("first=%d: paged ids differ from the full list\n got %v\nwant %v", first, got, fullIDs)
		}
	}

	// Default and clamped page sizes.
	if p := ciHistory(t, admin, a, nil, ""); len(p.Edges) != 20 || !p.PageInfo.HasNextPage {
		t.Errorf("default page: %d edges, hasNextPage %v", len(p.Edges), p.PageInfo.HasNextPage)
	}
	if p := ciHistory(t, admin, a, ciInt(0), ""); len(p.Edges) != 20 {
		t.Errorf("first=0: %d edges", len(p.Edges))
	}
	if p := ciHistory(t, admin, a, ciInt(1000), ""); len(p.Edges) != total {
		t.Errorf("first=1000: %d edges", len(p.Edges))
	}
	// After the last change there is nothing.
	if p := ciHistory(t, admin, a, ciInt(5), fullIDs[total-1]); len(p.Edges) != 0 || p.PageInfo.HasNextPage || p.PageInfo.EndCursor != nil {
		t.Errorf("after the oldest change: %+v", p)
	}

	// A cursor that is not one is refused, not read as "from the start".
	for _, bad := range []string{"garbage", "zzzz", "MDEyMw", strings.ToUpper(fullIDs[3]), fullIDs[3] + " "} {
		r := admin.Do(ciHistoryQuery, map[string]any{"a": a, "first": 5, "after": bad})
		if got := ciFieldPaths(t, r, "VALIDATION_FAILED"); !slices.Equal(got, []string{"after"}) {
			t.Errorf("after=%q: %s", bad, r.Raw)
		}
	}

	// New changes between two pages neither repeat nor hide older ones.
	first := ciHistory(t, admin, a, ciInt(5), "")
	e.s.Clock.Advance(time.Minute)
	e.mustSave(admin, a, models.EnvironmentSandbox, map[string]any{"technicalNonEmergency": ciContacts("late@partner.example")})
	ids := []string{}
	for _, ed := range first.Edges {
		ids = append(ids, ed.Node.ID)
	}
	after := *first.PageInfo.EndCursor
	for {
		p := ciHistory(t, admin, a, ciInt(5), after)
		if p.TotalCount != total+1 {
			t.Errorf("totalCount after a new change: %d", p.TotalCount)
		}
		for _, ed := range p.Edges {
			ids = append(ids, ed.Node.ID)
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		after = *p.PageInfo.EndCursor
	}
	if !slices.Equal(ids, fullIDs) {
		t.Errorf("a change made while paging shifted the pages:\n got %v\nwant %v", ids, fullIDs)
	}

	// Another account's history is its own.
	e.completeVia(e.as(e.f.AdminB), e.f.AccountB.ID, false, "")
	if p := ciHistory(t, e.as(e.f.AdminB), e.f.AccountB.ID, ciInt(100), ""); p.TotalCount != 5 || len(p.Edges) != 5 {
		t.Errorf("account B: totalCount %d, %d edges", p.TotalCount, len(p.Edges))
	}
	if p := ciHistory(t, e.as(e.f.AdminB), e.f.AccountB.ID, ciInt(100), fullIDs[0]); p.TotalCount != 5 {
		t.Errorf("account B with a cursor of A: totalCount %d", p.TotalCount)
	}
}
