package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// TestBrowserAgreesWithServer runs form.js's show_if and validation rules in
// headless Chromium on every shipped form's real page and checks that, for
// hundreds of answer sets (valid, invalid, blank, odd white space, wrong
// types), they decide exactly what forms.Visible and forms.Validate decide:
// which questions are shown, and which problems (question, code, limits) are
// reported in which order. It is skipped when Chromium is not installed (CI
// installs it, see .ci/run).
func TestBrowserAgreesWithServer(t *testing.T) {
	chromium := findChromium(t)
	a := startApp(t, nil)
	catalog, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range reg.All() {
		t.Run(f.ID, func(t *testing.T) {
			gen := &caseGen{rnd: rand.New(rand.NewPCG(7, uint64(len(f.ID)))), geo: catalog}
			cases := gen.cases(f, 400)
			got := runInChromium(t, chromium, a, f.ID, cases)
			if len(got) != len(cases) {
				t.Fatalf("browser answered %d cases of %d", len(got), len(cases))
			}
			mismatches := 0
			for i, raw := range cases {
				var answers map[string]any
				if err := json.Unmarshal(raw, &answers); err != nil {
					t.Fatal(err)
				}
				want := serverVerdict(f, answers, catalog)
				if !reflect.DeepEqual(normalize(t, want), normalize(t, got[i])) {
					mismatches++
					if mismatches <= 5 {
						t.Errorf("case %d %.300s:\n server  %s\n browser %s", i, raw, mustJSON(want), mustJSON(got[i]))
					}
				}
			}
			if mismatches > 0 {
				t.Fatalf("%d of %d cases disagree", mismatches, len(cases))
			}
			t.Logf("%d cases agree", len(cases))
		})
	}
}

// verdict is what both sides decide about one answer set.
type verdict struct {
	Visible map[string]bool `json:"visible"`
	Errors  []verdictError  `json:"errors"`
}

type verdictError struct {
	Question string         `json:"question"`
	Code     string         `json:"code"`
	Params   map[string]any `json:"params"`
}

func serverVerdict(f *forms.Form, answers map[string]any, catalog *geo.Catalog) verdict {
	v := verdict{Visible: map[string]bool{}, Errors: []verdictError{}}
	for _, q := range f.Questions {
		v.Visible[q.ID] = f.Visible(q, answers)
	}
	_, _, errs := f.Validate(answers, catalog)
	for _, e := range errs {
		params := e.Params
		if params == nil {
			params = map[string]any{}
		}
		v.Errors = append(v.Errors, verdictError{Question: e.Question, Code: e.Code, Params: params})
	}
	return v
}

// normalize compares verdicts through JSON, where 5 and 5.0 are one number.
func normalize(t *testing.T, v verdict) any {
	t.Helper()
	var out any
	if err := json.Unmarshal(mustJSON(v), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func findChromium(t *testing.T) string {
	if testing.Short() {
		t.Skip("a Chromium test: skipped in -short mode (make test runs it)")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium installed (apt-get install chromium): the browser half of the agreement is not checked")
	return ""
}

var agreementOut = regexp.MustCompile(`(?s)<pre id="agreement">(.*?)</pre>`)

// runInChromium serves the real form page with the cases and a runner added,
// from a harness origin, and reads what form.js decided from the DOM Chromium
// dumps after the page has loaded.
func runInChromium(t *testing.T, chromium string, a *testApp, formID string, cases []json.RawMessage) []verdict {
	t.Helper()
	harness := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/cases.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, "window.CASES = %s;\n", mustJSON(cases))
		case r.URL.Path == "/run.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, agreementRunner)
		default: // the app's page and assets, as served
			res, err := http.Get(a.base + r.URL.RequestURI())
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if strings.HasPrefix(r.URL.Path, "/f/") {
				body = bytes.Replace(body, []byte("</body>"), []byte(`<script src="/cases.js" defer></script><script src="/run.js" defer></script></body>`), 1)
			}
			w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
			w.Write(body)
		}
	}))
	defer harness.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, append(chromiumFlags(t), "--dump-dom", harness.URL+"/f/"+formID)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := agreementOut.FindSubmatch(out)
	if m == nil {
		t.Fatalf("the runner wrote nothing; chromium said:\n%.2000s", stderr.String())
	}
	var got []verdict
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// chromiumFlags keep a headless Chromium off the network it does not have.
func chromiumFlags(t *testing.T) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
}

const agreementRunner = `(function () {
  var F = window.ConsultaForm, out = [];
  window.CASES.forEach(function (c) {
    out.push({ visible: F.visible(F.questions, c), errors: F.validate(F.questions, c) });
  });
  var pre = document.createElement('pre');
  pre.id = 'agreement';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
`

// caseGen makes answer sets for a form: each question absent, or answered
// with a value drawn from valid and invalid ones of every kind.
type caseGen struct {
	rnd *rand.Rand
	geo *geo.Catalog
}

func (g *caseGen) cases(f *forms.Form, n int) []json.RawMessage {
	out := make([]json.RawMessage, 0, n)
	for i := 0; i < n; i++ {
		answers := map[string]any{}
		for _, q := range f.Questions {
			if g.rnd.IntN(10) < 3 {
				continue
			}
			answers[q.ID] = g.value(q)
			if q.Type == forms.TypeMultiple && q.Other && g.rnd.IntN(3) == 0 {
				answers[q.OtherID()] = g.pick("Revistas", "  ", strings.Repeat("x", 201), 5, "Otra fuente\u0085")
			}
		}
		out = append(out, mustJSON(answers))
	}
	return out
}

func (g *caseGen) pick(values ...any) any { return values[g.rnd.IntN(len(values))] }

func (g *caseGen) option(q *forms.Question) string {
	if len(q.Options) == 0 {
		return "x"
	}
	return q.Options[g.rnd.IntN(len(q.Options))].Value
}

// strangeText is text that tests trimming, normalization and length.
func (g *caseGen) strangeText(limit int) any {
	return g.pick("", "   ", "\u0085", "\ufeff", "\u00a0hola\u00a0", "Cafe\u0301", "línea\r\notra",
		"\x00\u202e\u2066\ufeff", "uno\tdos\x1b[0m", "Cafe\u202e\u0301", strings.Repeat("é\x00", limit),
		strings.Repeat("é", limit), strings.Repeat("é", limit+1), strings.Repeat("😀", limit)+" ",
		strings.Repeat("😀", limit+1), "  "+strings.Repeat("a", limit)+"  ", nil, 42, true, []any{"a"})
}

func (g *caseGen) value(q *forms.Question) any {
	switch q.Type {
	case forms.TypeSingle:
		o := g.option(q)
		return g.pick(o, o, " "+o+" ", "no-such-option", "", 3, true, nil, []any{o})
	case forms.TypeMultiple:
		var list []any
		for _, o := range q.Options {
			if g.rnd.IntN(3) == 0 {
				list = append(list, o.Value)
			}
		}
		o := g.option(q)
		return g.pick(list, list, list, append(list, "other"), []any{}, []any{o, o}, []any{"nope"},
			[]any{o, 1}, o, []any{" " + o, "  "}, nil)
	case forms.TypeText, forms.TypeTextarea:
		return g.strangeText(q.TextLimit())
	case forms.TypeEmail:
		return g.pick("ana@example.org", " ana.perez@mineduc.gob.gt ", "ana@localhost", "ana", "a@b.c", g.strangeText(q.TextLimit()))
	case forms.TypePhone:
		return g.pick("5555 1234", "+502 5555-1234", "00502 2411 9595", "(502) 2411.9595", "1234 5678",
			"+1 202 555 0143", "5555\t1234", "\u202e5555 1234", "+0123456789", "555 1234", "5555 12345", "+502 1234 5678", "tel 5555", "", 55551234)
	case forms.TypeScale, forms.TypeRating, forms.TypeNumber:
		lo, hi := -1.0, 11.0
		if q.Min != nil {
			lo = *q.Min - 1
		}
		if q.Max != nil {
			hi = *q.Max + 1
		}
		whole := float64(int(lo) + g.rnd.IntN(int(hi-lo)+1))
		return g.pick(whole, whole, whole, whole+0.5, "3", true, nil, lo, hi, 1e9)
	case forms.TypeYesNo, forms.TypeConsent:
		return g.pick(true, false, true, false, "true", 1, nil)
	case forms.TypeGeo:
		deps := g.geo.Departments()
		d := deps[g.rnd.IntN(len(deps))]
		m := d.Municipalities[g.rnd.IntN(len(d.Municipalities))]
		return g.pick(
			map[string]any{"department": d.Code, "municipality": m.Code},
			map[string]any{"department": d.Code, "municipality": m.Code},
			map[string]any{"department": d.Code},
			map[string]any{"department": " " + d.Code + " ", "municipality": ""},
			map[string]any{"department": d.Code, "municipality": "9999"},
			map[string]any{"department": "99"},
			map[string]any{"municipality": m.Code},
			map[string]any{"department": 1},
			map[string]any{"country": "GT"},
			map[string]any{},
			d.Code, nil)
	}
	return nil
}
