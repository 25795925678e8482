package workspace_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDayFilters: the responses browser and the audit log read their from and
// to days alike (consulta.ParseDays): the last day is included whole, a day
// that is not one is refused with 422, and nothing is listed then.
func TestDayFilters(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	res, body := e.submit("sugerencias", `{"answers":{"topic":"docentes","message":"Publiquen el calendario escolar","consent":true},"lang":"es"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(body), &created)
	b := e.login("admin@mineduc.test")
	loc, _ := time.LoadLocation("America/Guatemala") // the harness's time zone
	today := time.Now().In(loc)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }

	for _, tc := range []struct {
		name, path string
		status     int
		want       string // in the page when listed
		listed     bool
	}{
		{"responses: today, the last day, included whole", "/admin/responses?from=" + day(-1) + "&to=" + day(0), 200, `href="/admin/responses/` + created.ID + `?`, true},
		{"responses: up to yesterday", "/admin/responses?to=" + day(-1), 200, `href="/admin/responses/` + created.ID + `?`, false},
		{"responses: from tomorrow", "/admin/responses?from=" + day(1), 200, `href="/admin/responses/` + created.ID + `?`, false},
		{"responses: not a day", "/admin/responses?from=" + day(0) + "&to=31/12/2026", 422, "", false},
		{"responses: last before first", "/admin/responses?from=" + day(0) + "&to=" + day(-1), 422, "", false},
		{"audit: today included", "/admin/audit?action=login.success&to=" + day(0), 200, "<td>admin@mineduc.test", true},
		{"audit: up to yesterday", "/admin/audit?action=login.success&to=" + day(-1), 200, "<td>admin@mineduc.test", false},
		{"audit: not a day", "/admin/audit?action=login.success&from=ayer", 422, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, page := b.get(tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if listed := strings.Contains(page, tc.want); tc.status == 200 && listed != tc.listed {
				t.Errorf("%q listed: %v, want %v", tc.want, listed, tc.listed)
			}
		})
	}
}
