package workspace_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLogin checks the cookie flags, the uniform failure message and the
// lockout after five failures in a row.
func TestLogin(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.browser()
	res, _ := b.post("/admin/login", url.Values{"email": {"Admin@Mineduc.test"}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "path=/admin"} {
		if !strings.Contains(strings.ToLower(cookie), strings.ToLower(want)) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	for i := 1; i <= 6; i++ {
		res, body := e.browser().post("/admin/login", url.Values{"email": {"admin@mineduc.test"}, "password": {"wrong"}})
		wantLocked := i >= 5
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "Espere 15 minutos") != wantLocked {
			t.Errorf("failure %d: status %d, locked message %v, want %v", i, res.StatusCode, !wantLocked, wantLocked)
		}
	}
	if res, _ := e.browser().post("/admin/login", url.Values{"email": {"admin@mineduc.test"}, "password": {password}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("right password while locked: %d, want 401", res.StatusCode)
	}
	if res, _ := e.browser().post("/admin/login", url.Values{"email": {"nobody@mineduc.test"}, "password": {password}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown account: %d, want 401", res.StatusCode)
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
