package workspace_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/workspace"
	"github.com/gofiber/fiber/v2"
)

// Principals of the authorization matrix.
const (
	anon  = "anonymous"
	facA  = "facilitator of the owning organisation"
	facB  = "facilitator of another organisation"
	anal  = "analyst"
	admin = "admin"
)

// TestAuthorizationMatrix walks every route Mount registers, as Fiber's own
// route table lists them (mountedRoutes), for every kind of user and checks
// who gets through: an allowed user gets neither 401, 403 nor the login page;
// a signed-in user who is not allowed gets 403; an anonymous one the login
// page (pages) or 401 (API and POST). A route missing from the table of who
// may use it fails, and so does an entry of the table that no route has.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.addUser("analyst@mineduc.test", "analyst", "")
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	e.addUser("fb@asoc-b.test", "facilitator", "asoc-b")
	e.addUser("target@mineduc.test", "analyst", "")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	res, body := e.submit("sugerencias", `{"answers":{"topic":"docentes","message":"Publiquen los datos de docentes","wants_reply":true,"email":"ana@example.com","consent":true},"lang":"es"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(body), &created)

	any := []string{facA, facB, anal, admin}
	staff := []string{anal, admin}
	see := []string{facA, anal, admin}
	run := []string{facA, admin}
	runAny := []string{facA, facB, admin}
	only := []string{admin}
	public := []string{anon, facA, facB, anal, admin}
	allowed := map[string][]string{
		"GET /acciones": public, "GET /sesion": public, "GET /admin/login": public, "POST /admin/login": public,
		"POST /admin/logout": any, "GET /admin/": any, "GET /admin/password": any, "POST /admin/password": any,
		"GET /admin/responses": staff, "GET /admin/responses/:id": staff, "POST /admin/responses/:id/triage": staff,
		"POST /admin/responses/:id/contact": only, "POST /admin/responses/:id/reply": staff, "POST /admin/actions/preview": staff, "POST /admin/actions": staff, "GET /admin/export": staff, "GET /admin/export/download": staff,
		"GET /admin/sessions": []string{facA, facB, anal, admin}, "GET /admin/forms/:form/xlsform.xlsx": staff,
		"GET /admin/sessions/new": runAny, "POST /admin/sessions": runAny,
		"GET /admin/sessions/:code": see, "POST /admin/sessions/:code/window": run,
		"GET /admin/sessions/:code/qr.png": see, "GET /admin/sessions/:code/handout.pdf": see,
		"GET /admin/sessions/:code/questionnaire.pdf": see, "GET /admin/forms/:form/questionnaire.pdf": runAny,
		"GET /admin/sessions/:code/entry": run, "POST /admin/sessions/:code/entry": run,
		"GET /admin/sessions/:code/import": run, "POST /admin/sessions/:code/import": run,
		"GET /admin/sessions/:code/live": see, "GET /admin/sessions/:code/summary.pdf": see, "GET /admin/sessions/:code/summary.html": see,
		"GET /admin/forms/:form/template.csv": runAny, "GET /admin/places.xlsx": runAny, "GET /admin/forms/:form/template.xlsx": runAny,
		"GET /admin/users": only, "POST /admin/users": only, "POST /admin/users/:id": only, "POST /admin/users/:id/password": only, "GET /admin/audit": only,
		"GET /admin/api/responses": staff, "GET /admin/api/sessions/:code/results": see,
		"GET /admin/reports": staff, "POST /admin/reports": staff, "GET /admin/reports/download": staff, "GET /admin/reports/html": staff,
		"GET /admin/mail": only, "POST /admin/mail/lists": only, "GET /admin/mail/lists/:list": only,
		"POST /admin/mail/lists/:list": only, "POST /admin/mail/lists/:list/delete": only, "POST /admin/mail/retry": only,
		"GET /admin/webhooks": only, "POST /admin/webhooks": only, "GET /admin/webhooks/:endpoint": only,
		"POST /admin/webhooks/:endpoint": only, "POST /admin/webhooks/:endpoint/state": only,
		"POST /admin/webhooks/:endpoint/secret": only, "POST /admin/webhooks/:endpoint/delete": only,
	}
	emails := map[string]string{facA: "fa@asoc-a.test", facB: "fb@asoc-b.test", anal: "analyst@mineduc.test", admin: "admin@mineduc.test"}
	// One session per principal, signed in once (each login checks an
	// argon2 hash), and again after the route that ends it. The user changes
	// the matrix makes touch target@mineduc.test only.
	sessions := map[string]*browser{}
	signedIn := func(p string) *browser {
		if b := sessions[p]; b != nil {
			return b
		}
		sessions[p] = e.login(emails[p])
		return sessions[p]
	}
	routes := mountedRoutes(t)
	for route := range allowed {
		if !slices.Contains(routes, route) {
			t.Errorf("%s: in the matrix, but Mount has no such route", route)
		}
	}
	for _, route := range routes {
		who, ok := allowed[route]
		if !ok {
			t.Errorf("%s: a route missing from the matrix: say who may use it", route)
			continue
		}
		if route == "POST /admin/login" {
			continue // public; TestLogin covers it
		}

		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer(":id", created.ID, ":code", code, ":form", "sugerencias").Replace(path)
		if strings.HasPrefix(route, "POST /admin/users/:id") {
			path = strings.Replace(path, created.ID, "target@mineduc.test", 1)
		}
		for _, p := range []string{anon, facA, facB, anal, admin} {
			t.Run(route+"/"+p, func(t *testing.T) {
				b := e.browser()
				if p != anon {
					b = signedIn(p)
				}
				var res *http.Response
				if method == http.MethodGet {
					res, _ = b.get(path + query(route))
				} else {
					res, _ = b.post(path, formFor(route))
				}
				want := contains(who, p)
				loc := res.Header.Get("Location")
				gotLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/admin/login")
				switch {
				case want && (res.StatusCode == 401 || res.StatusCode == 403 || res.StatusCode >= 500 || (gotLogin && route != "POST /admin/logout")):
					t.Errorf("%s as %s: status %d (Location %q), want allowed", route, p, res.StatusCode, loc)
				case !want && p == anon && method == http.MethodGet && !strings.Contains(path, "/api/") && !gotLogin:
					t.Errorf("%s as %s: status %d, want the login page", route, p, res.StatusCode)
				case !want && p == anon && (method != http.MethodGet || strings.Contains(path, "/api/")) && res.StatusCode != 401:
					t.Errorf("%s as %s: status %d, want 401", route, p, res.StatusCode)
				case !want && p != anon && res.StatusCode != 403:
					t.Errorf("%s as %s: status %d, want 403", route, p, res.StatusCode)
				}
			})
		}
		if route == "POST /admin/logout" {
			clear(sessions) // every principal signed out: later routes sign in again
		}
	}
}

// mountedRoutes lists the routes Mount registers, "METHOD /path", from the
// route table of a Fiber app it was mounted on: Fiber's own record, not a
// list kept by hand. Middleware (Use) and the HEAD twin of every GET are left
// out.
func mountedRoutes(t *testing.T) []string {
	t.Helper()
	ws, err := workspace.New(workspace.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	ws.Mount(app)
	var routes []string
	for _, r := range app.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		if route := r.Method + " " + r.Path; !slices.Contains(routes, route) {
			routes = append(routes, route)
		}
	}
	if len(routes) < 10 {
		t.Fatalf("Mount registered %d routes: %v", len(routes), routes)
	}
	return routes
}

// query gives GET routes that need one a valid query string.
func query(route string) string {
	switch route {
	case "GET /admin/export/download":
		return "?form=sugerencias&format=csv"
	case "GET /admin/reports/download", "GET /admin/reports/html":
		return "?id=on_demand:none" // no such report: 404 for those allowed
	}
	return ""
}

// formFor gives each POST a body that an allowed user may send without
// changing what the other cases rely on.
func formFor(route string) url.Values {
	switch route {
	case "POST /admin/login":
		return url.Values{"email": {"nobody@x.test"}, "password": {"wrong password"}}
	case "POST /admin/users/:id":
		return url.Values{"role": {"analyst"}}
	case "POST /admin/responses/:id/triage":
		return url.Values{"status": {"in_review"}}
	}
	return url.Values{}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestCSRF refuses a state-changing request without the session's token.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.login("admin@mineduc.test")
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"missing", "", http.StatusForbidden},
		{"wrong", strings.Repeat("x", len(b.csrf)), http.StatusForbidden},
		{"right", b.csrf, http.StatusUnprocessableEntity}, // passes CSRF, then the empty form is refused
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := *b
			nb.csrf = ""
			res, _ := nb.post("/admin/users", url.Values{"csrf": {tc.token}})
			if tc.token == "" {
				res, _ = nb.post("/admin/users", url.Values{})
			}
			if res.StatusCode != tc.want {
				t.Errorf("status %d, want %d", res.StatusCode, tc.want)
			}
		})
	}
}
