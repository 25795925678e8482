package workspace_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
)

// TestUsersPagePolish: an account without a name is greeted by its e-mail,
// in words that assume no gender; the new-account form comes before the
// list; a creation says what it created; each account's buttons have names
// that tell them apart; the list shows the last sign-in.
func TestUsersPagePolish(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.auth.AddUser(ctx, auth.NewUser{Email: "root@mineduc.test", Role: "admin", Password: password}); err != nil {
		t.Fatal(err)
	}
	e.addUser("ana@mineduc.test", "analyst", "")
	b := e.login("root@mineduc.test")
	_, home := b.get("/admin")
	if !strings.Contains(home, "Le damos la bienvenida, root@mineduc.test.") || strings.Contains(home, "Bienvenido") {
		t.Errorf("home greeting: %s", excerptOf(home, "<p>"))
	}

	res, _ := b.post("/admin/users", url.Values{"email": {"luis@mineduc.test"}, "role": {"analyst"}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	_, page := b.get(res.Header.Get("Location"))
	if !strings.Contains(page, "Cuenta creada.") {
		t.Errorf("the notice does not say what was created")
	}
	if form, list := strings.Index(page, `action="/admin/users" class="stack"`), strings.Index(page, `<table`); form < 0 || form > list {
		t.Errorf("the new-account form is not before the list (%d, %d)", form, list)
	}
	for _, id := range []string{"ana@mineduc.test", "luis@mineduc.test"} {
		if !strings.Contains(page, `Guardar<span class="visually-hidden"> `+id+`</span>`) ||
			!strings.Contains(page, `Restablecer contraseña<span class="visually-hidden"> `+id+`</span>`) {
			t.Errorf("the buttons of %s have no name of their own", id)
		}
	}
	loc := mustLoc(t)
	row := regexp.MustCompile(`<td>root@mineduc.test</td><td></td><td>[^<]+</td><td></td><td>(\d{4}-\d{2}-\d{2} \d{2}:\d{2})</td>`).FindStringSubmatch(page)
	if row == nil {
		t.Fatalf("no last sign-in for the signed-in account in %s", excerptOf(page, "root@mineduc.test</td>"))
	}
	if at, _ := time.ParseInLocation("2006-01-02 15:04", row[1], loc); time.Since(at) > 5*time.Minute {
		t.Errorf("last sign-in %s, want about now in Guatemala's time", row[1])
	}
	if !strings.Contains(page, "<td>Nunca</td>") {
		t.Errorf("an account never signed in does not say so")
	}
}

// TestEntryMarksPersonalQuestionsInWords: batch entry marks personal-data
// questions with words, not a glyph some fonts lack.
func TestEntryMarksPersonalQuestionsInWords(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := time.Now()
	g := &consulta.FocusGroup{Org: "asoc-a", Facilitator: "fa@asoc-a.test", FormID: "necesidades-informacion", Lang: "es",
		Date: now, Expected: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	if err := e.store.CreateFocusGroup(ctx, g, func() string { return "PERSQ1" }); err != nil {
		t.Fatal(err)
	}
	code := g.Code
	_, page := e.login("fa@asoc-a.test").get("/admin/sessions/" + code + "/entry")
	if strings.Contains(page, "🔒") || !strings.Contains(page, `<span class="personal">dato personal</span>`) {
		t.Errorf("personal questions are not marked in words: %s", excerptOf(page, "personal"))
	}
}
