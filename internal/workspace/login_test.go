package workspace_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLogin checks the cookie flags, the uniform failure message and the
// lock after five attempts from one client.
func TestLogin(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.browser()
	res, _ := b.signIn("Admin@Mineduc.test", password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var cookie string
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "consulta_session=") {
			cookie = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "path=/admin"} {
		if !strings.Contains(strings.ToLower(cookie), strings.ToLower(want)) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	for i := 1; i <= 6; i++ {
		res, body := e.browser().signIn("admin@mineduc.test", "wrong")
		wantLocked := i > 5 // five checks per client and account, then refused unchecked
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "Espere 15 minutos") != wantLocked {
			t.Errorf("failure %d: status %d, locked message %v, want %v", i, res.StatusCode, !wantLocked, wantLocked)
		}
	}
	if res, _ := e.browser().signIn("admin@mineduc.test", password); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("right password while locked: %d, want 401", res.StatusCode)
	}
	if res, _ := e.browser().signIn("nobody@mineduc.test", password); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown account: %d, want 401", res.StatusCode)
	}
}

// TestLoginCSRF refuses a login post that does not come from the login page
// the same browser opened (login CSRF), without counting it as a failure.
func TestLoginCSRF(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	tokenOf := func(b *browser) string {
		_, page := b.get("/admin/login")
		m := csrfPattern.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no CSRF token in the login page")
		}
		return m[1]
	}
	creds := func(token string) url.Values {
		v := url.Values{"email": {"admin@mineduc.test"}, "password": {password}}
		if token != "" {
			v.Set("csrf", token)
		}
		return v
	}
	attacker := e.browser()
	forged := tokenOf(attacker)
	for _, tc := range []struct {
		name   string
		opened bool // the browser opened the login page first (it has the cookie)
		token  func(b *browser) string
		want   int
	}{
		{"no cookie, no token", false, func(*browser) string { return "" }, http.StatusForbidden},
		{"no cookie, another browser's token", false, func(*browser) string { return forged }, http.StatusForbidden},
		{"cookie, no token", true, func(*browser) string { return "" }, http.StatusForbidden},
		{"cookie, another browser's token", true, func(*browser) string { return forged }, http.StatusForbidden},
		{"cookie and its token", true, tokenOf, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			if tc.opened {
				b.get("/admin/login")
			}
			res, body := b.post("/admin/login", creds(tc.token(b)))
			if res.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.want)
			}
			if tc.want == http.StatusForbidden && (!strings.Contains(body, "caducó") || !csrfPattern.MatchString(body)) {
				t.Errorf("refused login: the page lacks the message or a fresh form token")
			}
		})
	}
	// Refused posts are not failed logins: the account is not locked.
	if res, _ := e.browser().signIn("admin@mineduc.test", password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a proper login after refused posts: status %d", res.StatusCode)
	}
}

// TestImportAllOrNothing stores nothing when one row is bad, and lists it.
func TestImportAllOrNothing(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")
	csv := "topic,message\ndocentes,Bien\nno_existe,Mal\n,\n"
	res, body := fac.upload("/admin/sessions/"+code+"/import", csv)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Fila 3, topic") {
		t.Fatalf("bad file: %d, want 422 naming row 3", res.StatusCode)
	}
	_, live := fac.get("/admin/sessions/" + code + "/live")
	if !strings.Contains(live, "0 respuestas") {
		t.Errorf("a row of a refused file was stored")
	}
	if res, _ := fac.upload("/admin/sessions/"+code+"/import", "topic,message\ndocentes,Bien\n"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good file: %d", res.StatusCode)
	}
	if res, body := fac.upload("/admin/sessions/"+code+"/import", "topic,message\ndocentes,Bien\n"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ya fue importada") {
		t.Errorf("same file again: %d, want 422 already imported", res.StatusCode)
	}
}
