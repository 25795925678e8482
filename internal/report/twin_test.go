package report

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestHTMLTwin generates one report as PDF and HTML twin and reads both back:
// the page has the structure of an accessible document (language, one h1,
// sections as h2, every chart a table with a caption and header cells, no
// script), the withheld counts are explained in words, languages named in
// their own tongue carry their lang, and every figure of the PDF's text
// (pdftotext) is on the page and every cell of the page in the PDF.
func TestHTMLTwin(t *testing.T) {
	fx := newFixture(t)
	from, to, prevFrom := semester(fx.loc)
	needs := fx.form(t, "necesidades-informacion")
	fx.seed(t, needs, 600, from, to, 31)
	fx.seed(t, needs, 400, prevFrom, from, 32)
	var rs []*consulta.Response
	for i := range 3 { // a small cell: suppressed
		rs = append(rs, &consulta.Response{ID: "twin-kek-" + itoa(int64(i)), FormID: needs.ID, FormVersion: 1, Lang: "kek",
			Channel: consulta.ChannelPage, ReceivedAt: time.Date(2026, 3, 3, 10, 0, 0, 0, fx.loc), Status: consulta.StatusNew,
			RequestHash: "x", Answers: map[string]any{"role": "periodista", "info_sought": []string{"matricula"}}})
	}
	fx.insert(t, rs, nil)

	var pdfBuf, htmlBuf bytes.Buffer
	a, err := GenerateTwin(ctxT(t), fx.deps(), Params{FormID: needs.ID, From: from, To: to, Lang: "es"}, &pdfBuf, &htmlBuf,
		TwinOptions{PDFURL: "/admin/reports/download?id=x"}, nil)
	if err != nil {
		t.Fatalf("GenerateTwin: %v", err)
	}
	dir := t.TempDir()
	if d := os.Getenv("CONSULTA_REPORT_DIR"); d != "" {
		dir = d
	}
	pdfPath := filepath.Join(dir, "twin.pdf")
	if err := os.WriteFile(pdfPath, pdfBuf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "twin.html"), htmlBuf.Bytes(), 0o644)
	page := htmlBuf.String()

	t.Run("structure", func(t *testing.T) {
		must := []string{`<html lang="es">`, `<link rel="stylesheet" href="/static/consulta.css">`, `<link rel="stylesheet" href="/static/admin.css">`,
			`<a href="/admin/reports/download?id=x" download>`}
		for _, m := range must {
			if !strings.Contains(page, m) {
				t.Errorf("%s missing", m)
			}
		}
		if n := strings.Count(page, "<h1"); n != 1 {
			t.Errorf("%d h1, want 1", n)
		}
		if strings.Count(page, "<h2") < 5 || strings.Count(page, "<h3") < 5 {
			t.Errorf("too few headings: %d h2, %d h3", strings.Count(page, "<h2"), strings.Count(page, "<h3"))
		}
		if strings.Contains(page, "<script") || regexp.MustCompile(`\son[a-z]+=`).MatchString(page) {
			t.Error("the page has script")
		}
		tables := regexp.MustCompile(`(?s)<table[^>]*>(.*?)</table>`).FindAllStringSubmatch(page, -1)
		if len(tables) < 8 {
			t.Fatalf("%d tables: every chart should be one", len(tables))
		}
		for _, tb := range tables {
			body := tb[1]
			if !regexp.MustCompile(`<caption>[^<]*\S[^<]*</caption>`).MatchString(body) {
				t.Errorf("a table without a caption: %.200s", body)
			}
			if !strings.Contains(body, `<th scope="col">`) || !strings.Contains(body, `<th scope="row"`) {
				t.Errorf("a table without header cells: %.200s", body)
			}
		}
	})

	t.Run("suppressed explained", func(t *testing.T) {
		word := fx.labels("es").Loc.T("report.suppressed")
		if !strings.Contains(page, "<td class=\"num\">"+word) {
			t.Fatalf("no suppressed cell (the Q'eqchi' answers are fewer than k)")
		}
		explain := fx.labels("es").Loc.T("reporthtml.suppressed", map[string]any{"Word": word, "K": a.K})
		if !strings.Contains(html.UnescapeString(page), explain) {
			t.Errorf("the suppressed cells are not explained: %q", explain)
		}
	})

	t.Run("languages marked", func(t *testing.T) {
		if !regexp.MustCompile(`<th scope="row" lang="en">English</th>`).MatchString(page) {
			t.Errorf("the English row of the language chart has no lang=en")
		}
		if strings.Count(page, `lang="es"`) != 1 {
			t.Errorf("Spanish names marked in a Spanish page")
		}
	})

	t.Run("same figures as the PDF", func(t *testing.T) {
		text := tool(t, "pdftotext", "-layout", pdfPath, "-")
		flatPDF := strings.Join(strings.Fields(text), " ")
		cells := regexp.MustCompile(`<td class="num">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
		if len(cells) < 40 {
			t.Fatalf("only %d figures on the page", len(cells))
		}
		for _, c := range cells {
			v := strings.Join(strings.Fields(html.UnescapeString(c[1])), " ")
			if !strings.Contains(flatPDF, v) {
				t.Errorf("figure %q of the page is not in the PDF", v)
			}
		}
		// Every number the PDF prints is on the page, but the page numbers.
		pageText := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " "))
		pageNums := map[string]bool{}
		for _, n := range regexp.MustCompile(`\d[\d,.]*\d|\d`).FindAllString(pageText, -1) {
			pageNums[n] = true
		}
		noPageLabel := regexp.MustCompile(`Página \d+ de \d+`).ReplaceAllString(flatPDF, "")
		missing := 0
		for _, n := range regexp.MustCompile(`\d[\d,.]*\d|\d`).FindAllString(noPageLabel, -1) {
			if !pageNums[n] {
				missing++
				t.Errorf("the PDF's number %s is not on the page", n)
			}
			if missing > 10 {
				break
			}
		}
	})
}
