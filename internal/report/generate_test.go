package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install poppler-utils qpdf)", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// generatePDF writes the report to a file (kept under CONSULTA_REPORT_DIR
// when set, to look at) and returns its path.
func generatePDF(t *testing.T, fx *fixture, p Params) (string, *Aggregate) {
	t.Helper()
	var buf bytes.Buffer
	var mu sync.Mutex
	var calls [][2]int64
	a, err := Generate(ctxT(t), fx.deps(), p, &buf, func(done, total int64) {
		mu.Lock()
		calls = append(calls, [2]int64{done, total})
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(calls) == 0 || calls[len(calls)-1][0] != calls[len(calls)-1][1] {
		t.Errorf("progress calls %v: the last must have done == total", calls)
	}
	dir := os.Getenv("CONSULTA_REPORT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	name := p.FormID + "-" + p.Lang
	if p.Session != "" {
		name += "-" + p.Session
	}
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, a
}

func TestGeneratePDF(t *testing.T) {
	fx := newFixture(t)
	from, to, prevFrom := semester(fx.loc)
	needs := fx.form(t, "necesidades-informacion")
	fx.seed(t, needs, 1500, from, to, 21)
	fx.seed(t, needs, 900, prevFrom, from, 22)
	// Three answers in Q'eqchi', a language with no translation yet: a small cell.
	rare := time.Date(2026, 3, 3, 10, 0, 0, 0, fx.loc)
	var rs []*consulta.Response
	for i := range 3 {
		rs = append(rs, &consulta.Response{ID: "rare-" + itoa(int64(i)), FormID: needs.ID, FormVersion: 1, Lang: "kek",
			Channel: consulta.ChannelPage, ReceivedAt: rare, Status: consulta.StatusNew, RequestHash: "x",
			Answers: map[string]any{"role": "periodista", "info_sought": []string{"matricula"}}})
	}
	fx.insert(t, rs, nil)
	pages := fx.form(t, "utilidad-pagina")
	fx.seed(t, pages, 1200, from, to, 23)
	sugg := fx.form(t, "sugerencias")
	fx.seed(t, sugg, 400, from, to, 24)

	for _, tc := range []struct{ form, lang string }{
		{"necesidades-informacion", "es"}, {"necesidades-informacion", "en"},
		{"utilidad-pagina", "es"}, {"sugerencias", "es"},
	} {
		t.Run(tc.form+"/"+tc.lang, func(t *testing.T) {
			path, a := generatePDF(t, fx, Params{FormID: tc.form, From: from, To: to, Lang: tc.lang})
			text := tool(t, "pdftotext", "-layout", path, "-")
			flat := strings.Join(strings.Fields(text), " ")
			d := &docBuilder{l: fx.labels(tc.lang), a: Localize(a, fx.labels(tc.lang))}
			want := []string{
				groupDigits(a.Responses.N),
				d.t("report.title"),
				d.t("report.section.method"),
				strings.Split(d.t("report.page"), " ")[0] + " 2 ",
			}
			bars := 0
			for _, q := range d.a.Questions {
				if !q.Categorical() || q.Type == "geo" {
					continue
				}
				for _, o := range q.Options {
					if !o.Suppressed && o.N > 0 {
						want = append(want, d.barValue(o.Count, q.Answered))
						bars++
						break
					}
				}
			}
			if bars == 0 {
				t.Error("no question has a published bar: the bars' check would pass vacuously")
			}
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("%q not in the PDF text", w)
				}
			}
			if id := regexp.MustCompile(`\breport\.[a-z_]+`).FindString(flat); id != "" {
				t.Errorf("a message id instead of its text: %q", id)
			}
			if tc.form == "necesidades-informacion" {
				checkRareSuppressed(t, text, d)
			}
			t.Run("qpdf check", func(t *testing.T) { tool(t, "qpdf", "--check", path) })
			t.Run("font embedded", func(t *testing.T) {
				fonts := tool(t, "pdffonts", path)
				embedded := regexp.MustCompile(`(?m)^utf8dejavusans\S*\s+CID TrueType\s+Identity-H\s+yes`)
				if len(embedded.FindAllString(fonts, -1)) != 2 {
					t.Errorf("regular and bold not both embedded:\n%s", fonts)
				}
			})
			t.Run("language and title metadata", func(t *testing.T) {
				js := tool(t, "qpdf", "--json", "--json-key=qpdf", path)
				if !strings.Contains(js, `"/Lang": "u:`+tc.lang+`"`) {
					t.Errorf("no /Lang %s", tc.lang)
				}
				info := tool(t, "pdfinfo", path)
				if !strings.Contains(info, d.a.Title) {
					t.Errorf("title metadata: %s", info)
				}
			})
		})
	}
}

// checkRareSuppressed finds the bar of the language with 3 answers and checks
// that it shows the suppressed word, not the count.
func checkRareSuppressed(t *testing.T, text string, d *docBuilder) {
	t.Helper()
	other := "kek"
	suppressed := d.t("report.suppressed")
	found := false
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] != other {
			continue
		}
		found = true
		if !strings.Contains(line, suppressed) {
			t.Errorf("small cell shown: %q", line)
		}
	}
	if !found {
		t.Errorf("no %q bar in the PDF", other)
	}
}

func TestGenerateSessionSummary(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	from, to, _ := semester(fx.loc)
	rs := fx.seed(t, f, 600, from, to, 31)
	session := ""
	for _, r := range rs {
		if r.Session != "" {
			session = r.Session
			break
		}
	}
	path, a := generatePDF(t, fx, Params{FormID: f.ID, Session: session, Lang: "es"})
	text := tool(t, "pdftotext", path, "-")
	if !strings.Contains(text, session) || !strings.Contains(text, groupDigits(a.Responses.N)) {
		t.Errorf("session %s or its count %d missing from the summary", session, a.Responses.N)
	}
}
