package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/consulta/consulta/internal/report/scrubcorpus"
)

// TestAttackPersonalDataPublished (issue 10, item 14): comments carrying
// phone numbers, DPI numbers, e-mail and home addresses written the ways the
// audit found unscrubbed (dots, slashes, several spaces or dashes, spaced-out
// digits, no-break and zero-width spaces, full-width digits, "arroba",
// "[at]"...) reached PDF samples, session summaries and /acciones verbatim.
// Every comment of the scrubber's corpus goes in through the public API, in
// focus-group sessions of five (so that each summary samples all of them),
// and each is published by staff as a "you said, we did" action together
// with its partner. Then no datum may be read in any session summary, in the
// live results API, on /acciones or in the period's PDF report, while every
// comment is sampled with its placeholders and every partner is shown as
// written.
func TestAttackPersonalDataPublished(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole scrubbing corpus through reports and the live view: skipped in -short mode (make test runs it)")
	}
	cases, err := scrubcorpus.Cases()
	if err != nil {
		t.Fatal(err)
	}
	r := boot(t, t.TempDir())
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	addStaff(t, r, "facilita@ong.test", "facilitator", "ong", staffPassword)
	admin := newStaff(t, r).mustSignIn("admin@mineduc.test", staffPassword)
	facilitator := newStaff(t, r).mustSignIn("facilita@ong.test", staffPassword)

	var leaks []string
	check := func(where, text string, c scrubcorpus.Case) {
		seen := readable(text)
		for _, d := range c.Data {
			if strings.Contains(seen, readable(d)) {
				leaks = append(leaks, fmt.Sprintf("%s shows %q (corpus line %d)", where, d, c.Line))
			}
		}
	}
	placeholders := map[string]string{scrubcorpus.Phone: "[teléfono]", scrubcorpus.DPI: "[DPI]",
		scrubcorpus.Email: "[correo]", scrubcorpus.Address: "[dirección]"}

	const perSession = 5 // the summary samples five comments per question
	for start := 0; start < len(cases); start += perSession {
		group := cases[start:min(start+perSession, len(cases))]
		code := openSession(t, facilitator, "sugerencias")
		for _, c := range group {
			if n := utf8.RuneCountInString(c.Input); n < 25 || n > 400 {
				t.Fatalf("corpus line %d: %d characters, a sample has 25 to 400", c.Line, n)
			}
			submit(t, r, "sugerencias", code, map[string]any{"topic": "otro", "message": c.Input})
		}
		for len(group) < perSession { // k answers, so that the count is published
			submit(t, r, "sugerencias", code, map[string]any{"topic": "otro", "message": "Sin datos personales en este comentario."})
			group = append(group, scrubcorpus.Case{})
		}
		a := facilitator.get("/admin/sessions/" + code + "/summary.pdf")
		if a.status != http.StatusOK {
			t.Fatalf("summary of %s: status %d", code, a.status)
		}
		summary := pdfText(t, []byte(a.body))
		live := facilitator.get("/admin/api/sessions/" + code + "/results")
		if live.status != http.StatusOK {
			t.Fatalf("live results of %s: status %d", code, live.status)
		}
		for _, c := range group {
			if c.Line == 0 {
				continue
			}
			check("the summary of session "+code, summary, c)
			check("the live results of session "+code, jsonStrings(t, live.body), c)
			if want := readable(c.Want(placeholders[c.Kind])); !strings.Contains(readable(summary), want) {
				t.Errorf("the summary of %s does not sample %q (corpus line %d)", code, want, c.Line)
			}
		}
	}

	ids := exportIDs(t, r, "sugerencias")
	if len(ids) < len(cases) {
		t.Fatalf("%d responses stored, %d sent", len(ids), len(cases))
	}
	for i, c := range cases {
		action := c.Input + " — " + c.Partner
		if a := admin.post("/admin/responses/"+url.PathEscape(ids[i])+"/triage",
			url.Values{"status": {"actioned"}, "action": {action}}); a.status != http.StatusSeeOther {
			t.Fatalf("triage: status %d %.300s", a.status, a.body)
		}
	}
	acciones := newStaff(t, r).get("/acciones?lang=es")
	if acciones.status != http.StatusOK {
		t.Fatalf("/acciones: status %d", acciones.status)
	}
	page := html.UnescapeString(acciones.body)
	period := reportPDF(t, r, "sugerencias")
	for _, c := range cases {
		check("/acciones", page, c)
		check("the period's PDF report", period, c)
		if !strings.Contains(readable(page), readable(c.Partner)) {
			t.Errorf("/acciones does not show the partner %q as written (corpus line %d)", c.Partner, c.Line)
		}
	}
	for _, l := range leaks {
		t.Error(l)
	}
	t.Logf("%d comments through %d sessions, /acciones and the period's report", len(cases), (len(cases)+perSession-1)/perSession)
}
