package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

func countThemes(answers []string, lang string, prev *themeCounter) *themeCounter {
	tc := newThemeCounter(newThemeStops(), 1, true)
	tc.strip = NewScrubber(Placeholders{}).stripEmails
	for _, a := range answers {
		tc.add(a, lang)
	}
	return tc
}

func themeByLabel(ths []Theme, label string) (Theme, bool) {
	for _, th := range ths {
		if th.Label == label {
			return th, true
		}
	}
	return Theme{}, false
}

// TestThemes: stems join "beca" and "becas", empty verbs and "información"
// make no theme, a phrase that covers most uses of its word replaces it, and
// conjunctions and punctuation end phrases.
func TestThemes(t *testing.T) {
	answers := []string{
		"Deberían publicar cuándo abre la solicitud de becas",
		"Falta información sobre la solicitud de beca para primaria",
		"No hay fechas para la solicitud de becas, ni requisitos",
		"Hay que poder hacer la solicitud de becas en línea y sin filas",
		"La solicitud de beca debería poder hacerse desde el celular",
		"Falta información del calendario escolar",
		"Deberían poner el calendario escolar completo",
	}
	tc := countThemes(answers, "es", nil)
	ths := tc.themes(2, int64(len(answers)), nil, 0)
	labels := []string{}
	for _, th := range ths {
		labels = append(labels, fmt.Sprintf("%s=%d", th.Label, th.Count))
	}
	got := strings.Join(labels, ", ")
	if th, ok := themeByLabel(ths, "solicitud de beca"); !ok || th.Count != 5 {
		t.Errorf("no theme «solicitud de beca» in 5 answers: %s", got)
	}
	if th, ok := themeByLabel(ths, "calendario escolar"); !ok || th.Count != 2 {
		t.Errorf("no theme «calendario escolar» in 2 answers: %s", got)
	}
	for _, bad := range []string{"deberían", "falta", "hay", "poder", "información", "beca", "becas", "solicitud", "requisitos primaria"} {
		if _, ok := themeByLabel(ths, bad); ok {
			t.Errorf("%q is a theme: %s", bad, got)
		}
	}
	for _, th := range ths {
		if strings.Contains(th.Label, "filas") && strings.Contains(th.Label, "línea") {
			t.Errorf("a phrase spans «y»: %s", th.Label)
		}
		if len(th.Examples) == 0 || len(th.Examples) > 2 {
			t.Errorf("%s: examples %q", th.Label, th.Examples)
		}
	}
}

// TestThemesEnglish stems English answers with the English stemmer.
func TestThemesEnglish(t *testing.T) {
	tc := countThemes([]string{"We need the school calendars", "The school calendar should be online", "Where is the school calendar?"}, "en", nil)
	ths := tc.themes(2, 3, nil, 0)
	if th, ok := themeByLabel(ths, "school calendar"); !ok || th.Count != 3 {
		t.Errorf("themes %+v: no «school calendar» in 3 answers", ths)
	}
}

// TestThemesTrend: a theme fewer than k answers used before is new; one
// whose share grew by half or more is growing; the previous count is given
// only when k answers or more used the theme then.
func TestThemesTrend(t *testing.T) {
	var before, now []string
	for i := range 20 {
		switch {
		case i < 3:
			before = append(before, "quiero la solicitud de becas")
		case i < 8:
			before = append(before, []string{"el calendario escolar no aparece", "busco el calendario escolar"}[i%2])
		default:
			before = append(before, fmt.Sprintf("otra cosa distinta número %d", i))
		}
	}
	for i := range 20 {
		switch {
		case i < 6:
			now = append(now, []string{"la solicitud de becas no abre", "dónde está la solicitud de becas"}[i%2])
		case i < 16:
			now = append(now, []string{"el calendario escolar no aparece", "busco el calendario escolar"}[i%2])
		default:
			now = append(now, "horarios de atención")
		}
	}
	prev := countThemes(before, "es", nil)
	tc := countThemes(now, "es", nil)
	ths := tc.themes(5, 20, prev, 20)
	if th, _ := themeByLabel(ths, "solicitud de becas"); th.Trend != TrendNew || th.Previous != 0 {
		t.Errorf("solicitud de becas: %+v, want new without a previous count", th)
	}
	if th, _ := themeByLabel(ths, "calendario escolar"); th.Trend != TrendGrowing || th.Previous != 5 {
		t.Errorf("calendario escolar: %+v, want growing from 5", th)
	}
	// Without a previous period to compare with, nothing is new.
	for _, th := range tc.themes(5, 20, nil, 0) {
		if th.Trend != "" || th.Previous != 0 {
			t.Errorf("%+v: a trend without a previous period", th)
		}
	}
}

// TestGenerateThemes writes the suggestions report of a semester through the
// real store and reads it back: written answers are summarised as themes
// (not frequent words), with counts, the previous period's counts, what is
// new, and scrubbed examples.
func TestGenerateThemes(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "sugerencias")
	from, to, prevFrom := semester(fx.loc)
	var rs []*consulta.Response
	add := func(at time.Time, n int, texts ...string) {
		for i := range n {
			rs = append(rs, &consulta.Response{
				ID: "th-" + itoa(int64(len(rs))), FormID: f.ID, FormVersion: f.Version, Lang: "es",
				Channel: consulta.ChannelPage, ReceivedAt: at.Add(time.Duration(len(rs)) * time.Minute),
				Status: consulta.StatusNew, RequestHash: "x",
				Answers: map[string]any{"message": texts[i%len(texts)]},
			})
		}
	}
	add(prevFrom.Add(48*time.Hour), 10, "El calendario escolar no aparece en la página del ministerio")
	add(prevFrom.Add(48*time.Hour), 10, "Me gustaría ver los horarios de atención de las oficinas")
	add(from.Add(48*time.Hour), 12,
		"Deberían publicar cuándo abre la solicitud de becas para primaria",
		"Falta información sobre la solicitud de beca, nadie sabe las fechas",
		"No hay fechas para la solicitud de becas ni requisitos claros",
		"¿Dónde puedo hacer la solicitud de becas? escríbanme a ana.lopez@gmail.com por favor")
	add(from.Add(72*time.Hour), 6, "El calendario escolar no aparece en la página del ministerio")
	fx.insert(t, rs, nil)

	path, _ := generatePDF(t, fx, Params{FormID: f.ID, From: from, To: to, Lang: "es"})
	text := tool(t, "pdftotext", "-layout", path, "-")
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Temas de las respuestas", "Ejemplos de cada tema", "Periodo anterior"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(flat, "Palabras más frecuentes") {
		t.Error("the report still lists frequent words")
	}
	row := func(label string) string {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(label) + `\s{2,}(.*)$`).FindStringSubmatch(text)
		if m == nil {
			return ""
		}
		return strings.Join(strings.Fields(m[1]), " ")
	}
	if r := row("solicitud de beca"); !strings.HasPrefix(r, "12 ") || !strings.HasSuffix(r, "— nuevo") {
		t.Errorf("row «solicitud de beca»: %q, want 12 answers, none before, new", r)
	}
	if r := row("calendario escolar"); !strings.HasPrefix(r, "6 ") || !strings.HasSuffix(r, " 10") {
		t.Errorf("row «calendario escolar»: %q, want 6 answers, 10 before", r)
	}
	for _, empty := range []string{"deberían", "falta", "hay", "información", "gmail", "ana"} {
		if r := row(empty); r != "" {
			t.Errorf("%q is a theme: %q", empty, r)
		}
	}
	if strings.Contains(text, "ana.lopez") || !strings.Contains(flat, "[correo]") {
		t.Error("an example was not scrubbed")
	}
}
