package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// suggestionAnswer is a valid no-JavaScript answer to sugerencias (no reply
// wanted), with the page's hidden fields.
func suggestionAnswer(fields url.Values) url.Values {
	v := url.Values{"message": {"Presupuesto por departamento"}}
	for k := range fields {
		v.Set(k, fields.Get(k))
	}
	return v
}

var referenceOnPage = regexp.MustCompile(`<strong class="ref-code">([A-Z2-7]{4}-[A-Z2-7]{4})</strong>`)

// "Sí" to a reply needs an e-mail or a phone; given one, the thank-you page
// confirms the reply and shows a reference the person can quote.
func TestReplyNeedsAContactAndIsConfirmed(t *testing.T) {
	a := abuseApp(t, "30")
	fields := a.pageFields(t, "/f/sugerencias")
	time.Sleep(fillTime + 100*time.Millisecond)

	noContact := suggestionAnswer(fields)
	noContact.Set("wants_reply", "true")
	noContact.Set("consent", "true")
	r := a.postForm(t, "sugerencias", noContact)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#q-phone"`) ||
		!strings.Contains(r.body, "Obligatorio si no dejó un correo electrónico") {
		t.Fatalf("a reply without a contact: %d, want 422 pointing at the phone; body %.400s", r.status, r.body)
	}
	if r.header.Get("Retry-After") != "" {
		t.Fatal("a missing answer is not something to wait out")
	}

	withMail := suggestionAnswer(hiddenFields(r.body))
	withMail.Set("wants_reply", "true")
	withMail.Set("consent", "true")
	withMail.Set("email", "ana@example.org")
	r = a.postForm(t, "sugerencias", withMail)
	if r.status != http.StatusSeeOther {
		t.Fatalf("a reply with an e-mail: %d, want 303; body %.300s", r.status, r.body)
	}
	thanks := a.get(t, r.header.Get("Location"), nil)
	m := referenceOnPage.FindStringSubmatch(thanks.body)
	if m == nil || !strings.Contains(thanks.body, "Pidió que le respondamos") {
		t.Fatalf("the thank-you page %s neither confirms the reply nor shows a reference:\n%.1500s", r.header.Get("Location"), thanks.body)
	}
	if n := strings.Count(thanks.body, "Gracias") + strings.Count(thanks.body, "¡Gracias!"); n > 1 {
		t.Fatalf("the thank-you page thanks %d times", n)
	}

	// The JSON API names the same reference, and a response without a
	// contact gets no confirmation of a reply.
	page := a.pageFields(t, "/f/sugerencias")
	time.Sleep(fillTime + 100*time.Millisecond)
	api := a.postJSON(t, "sugerencias", page.Get("_key"), map[string]any{"message": "Horarios", "wants_reply": false},
		map[string]string{"Consulta-Token": page.Get("_t")})
	if api.status != http.StatusCreated || !regexp.MustCompile(`"reference":"[A-Z2-7]{4}-[A-Z2-7]{4}"`).MatchString(api.body) {
		t.Fatalf("API: %d %s, want 201 with a reference", api.status, api.body)
	}
	plain := a.get(t, "/f/sugerencias/thanks?lang=es&ref=NOT-VALID<b>", nil)
	if strings.Contains(plain.body, "Pidió que le respondamos") || strings.Contains(plain.body, "ref-code") {
		t.Fatal("a thank-you page without a reply or a valid reference shows them")
	}
}

// What to answer comes before any wait: an empty post sent at once is told
// to answer, not to wait; a one-tap form takes an answer at once; a form
// sent too soon is told why and what to do.
func TestValidationBeforeAbuseChecks(t *testing.T) {
	a := abuseApp(t, "30")
	fields := a.pageFields(t, "/f/utilidad-pagina")
	r := a.postForm(t, "utilidad-pagina", fields) // nothing answered, at once
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Responda esta pregunta") {
		t.Fatalf("an empty post: %d, want 422 with \"Responda esta pregunta\"; body %.400s", r.status, r.body)
	}
	again := hiddenFields(r.body)
	again.Set("useful", "true")
	if r := a.postForm(t, "utilidad-pagina", again); r.status != http.StatusSeeOther {
		t.Fatalf("a one-tap answer at once: %d, want 303; body %.300s", r.status, r.body)
	}
	api := a.postJSON(t, "utilidad-pagina", "", map[string]any{}, nil)
	if errs := errorBody(t, api); api.status != http.StatusUnprocessableEntity || len(errs) != 1 || errs[0]["code"] != "required" {
		t.Fatalf("an empty API answer: %d %v, want 422 required", api.status, errs)
	}

	page := a.pageFields(t, "/f/sugerencias")
	r = a.postForm(t, "sugerencias", suggestionAnswer(page)) // at once
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Espere unos segundos y vuelva a enviarlo") {
		t.Fatalf("too fast: %d, want 429 saying what to do; body %.400s", r.status, r.body)
	}
}

// The error summary names a consent by one word, not its three-line label,
// separates a question from its problem without "?:", and a question
// required only when shown says "required in that case", not plain
// "required", beside "answer only if…".
func TestErrorSummaryWording(t *testing.T) {
	a := abuseApp(t, "30")
	fields := a.pageFields(t, "/f/sugerencias")
	blank := a.get(t, "/f/sugerencias", nil)
	if !strings.Contains(blank.body, "(obligatoria en ese caso)") {
		t.Error("the conditional consent is not marked as required in that case")
	}
	time.Sleep(fillTime + 100*time.Millisecond)
	v := suggestionAnswer(fields)
	v.Set("wants_reply", "true")
	v.Set("email", "ana@example.org")
	r := a.postForm(t, "sugerencias", v)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<a href="#q-consent">Consentimiento — Marque la casilla`) {
		t.Fatalf("%d, summary without the short consent link:\n%.2000s", r.status, r.body)
	}
	if strings.Contains(r.body, "?: ") {
		t.Error(`the summary still reads "?: "`)
	}
}

// On a K'iche' page, the Spanish that stands in for a missing translation is
// marked as Spanish: the draft notice and the "answer only if" hints.
func TestSpanishFallbackMarkedOnKiche(t *testing.T) {
	a := startApp(t, nil)
	r := a.get(t, "/f/sugerencias?lang=quc", nil)
	for _, want := range []string{`<p class="draft" lang="es">Traducción en revisión</p>`, `id="q-name-cond" lang="es">`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("no %q in the K'iche' page", want)
		}
	}
	if r := a.get(t, "/f/sugerencias?lang=es", nil); strings.Contains(r.body, `-cond" lang=`) {
		t.Error("a Spanish page marks its own hints as another language")
	}
}

// Without JavaScript every municipality is listed, grouped by department; a
// municipality of another department is refused with what is wrong and
// what to do.
func TestGeoMismatchSaysWhatIsWrong(t *testing.T) {
	a := abuseApp(t, "30")
	fields := a.pageFields(t, "/f/necesidades-informacion")
	page := a.get(t, "/f/necesidades-informacion", nil)
	if !strings.Contains(page.body, `<optgroup label="Guatemala" data-dep="01">`) {
		t.Fatal("the municipalities are not grouped by department")
	}
	v := url.Values{"location[department]": {"01"}, "location[municipality]": {"1601"}} // Cobán is in Alta Verapaz
	for k := range fields {
		v.Set(k, fields.Get(k))
	}
	r := a.postForm(t, "necesidades-informacion", v)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "El municipio elegido no es de ese departamento") {
		t.Fatalf("%d, mismatch not explained:\n%.1500s", r.status, r.body)
	}
}
