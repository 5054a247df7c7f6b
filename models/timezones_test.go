package models

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// timeZonesFile is the browser app's time-zone list, generated from the
// @vvo/tzdb npm package (frontend/scripts/timezones.mjs) and committed.
var timeZonesFile = filepath.Join("..", "frontend", "src", "features", "contact-info", "timezones.json")

// TestTimeZoneListAgreesWithServer keeps the zones the app offers and the
// zones the server accepts in agreement: every zone the app lists passes the
// server's validation of a support window, and is listed under its
// canonical name (never as another zone's legacy alias).
func TestTimeZoneListAgreesWithServer(t *testing.T) {
	raw, err := os.ReadFile(timeZonesFile)
	if err != nil {
		t.Fatalf("read %s: %v", timeZonesFile, err)
	}
	var zones []struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
	}
	if err := json.Unmarshal(raw, &zones); err != nil {
		t.Fatalf("parse %s: %v", timeZonesFile, err)
	}
	if len(zones) < 300 {
		t.Fatalf("only %d zones in %s", len(zones), timeZonesFile)
	}
	aliasOf := map[string]string{}
	for _, z := range zones {
		for _, a := range z.Aliases {
			aliasOf[a] = z.Name
		}
	}
	for _, z := range zones {
		if canonical, ok := aliasOf[z.Name]; ok {
			t.Errorf("%s is listed, but it is an alias of %s", z.Name, canonical)
		}
		v := &Validation{}
		ValidateSupportHours(v, "h", SupportHoursInput{Windows: []*SupportWindowInput{{
			Days: []DayOfWeek{Monday}, Opens: "09:00", Closes: "17:00", TimeZone: z.Name,
		}}})
		if err := v.Err(); err != nil {
			t.Errorf("the server refuses %s, which the app offers: %v", z.Name, err)
		}
	}
	for _, want := range []string{"Asia/Kolkata", "Europe/Kyiv", "Europe/Rome", "UTC"} {
		found := false
		for _, z := range zones {
			found = found || z.Name == want
		}
		if !found {
			t.Errorf("%s is not listed", want)
		}
	}
}
