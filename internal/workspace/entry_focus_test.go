package workspace_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEntryErrorFocus posts paper forms with an error, as a facilitator
// typing fast would: the summary names the question, and the focus lands on
// the field in error, on its checked radio (Space on any other would change
// the answer) or its first when none is checked.
func TestEntryErrorFocus(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")
	focus := regexp.MustCompile(`<(?:input|textarea|select)[^>]*autofocus[^>]*>`)
	post := func(v url.Values) (summary string, focused []string) {
		t.Helper()
		res, page := fac.post("/admin/sessions/"+code+"/entry", v)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("entry with an error: %d", res.StatusCode)
		}
		return regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(page), focus.FindAllString(page, -1)
	}

	summary, focused := post(url.Values{"topic": {"docentes"}, "message": {""}})
	if !strings.Contains(summary, "Escriba su sugerencia:") {
		t.Errorf("the error summary does not name the question: %s", summary)
	}
	if len(focused) != 1 || !strings.Contains(focused[0], `name="message"`) {
		t.Errorf("focus after a missing message: %v, want the message alone", focused)
	}

	summary, focused = post(url.Values{"topic": {"docentes"}, "message": {"Hola"}, "wants_reply": {"true"},
		"email": {"ana@example.com"}, "consent": {"false"}})
	if !strings.Contains(summary, "Autorizo al Ministerio") {
		t.Errorf("the error summary does not name the consent question: %s", summary)
	}
	if len(focused) != 1 || !strings.Contains(focused[0], `name="consent" value="false" checked`) {
		t.Errorf("focus after a refused consent: %v, want the checked «No» alone", focused)
	}

	_, focused = post(url.Values{"topic": {"nada"}, "message": {"Hola"}})
	if len(focused) != 1 || !strings.Contains(focused[0], `name="topic" value="informacion_presupuestaria"`) {
		t.Errorf("focus after a bad topic: %v, want the first option alone", focused)
	}
}
