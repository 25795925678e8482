package report

import (
	"strings"
	"testing"
)

// squeeze drops every space and line break, so that text wrapped over lines
// (a long path) can be found whole.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// between is the part of text from the first from to the next to (or the end).
func between(t *testing.T, text, from, to string) string {
	t.Helper()
	i := strings.Index(text, from)
	if i < 0 {
		t.Fatalf("%q not in the PDF text", from)
	}
	rest := text[i+len(from):]
	if j := strings.Index(rest, to); j >= 0 && to != "" {
		rest = rest[:j]
	}
	return rest
}

// TestPageRankingPDF: the ranking names each page by its whole path under
// the portal's base URL, with the previous period's share and the change,
// lists the pages whose "no" count is withheld in a sentence instead of rows
// of "—", and quotes what those who said "no" were looking for, page by page.
func TestPageRankingPDF(t *testing.T) {
	fx := newFixture(t)
	from, to, prevFrom := semester(fx.loc)
	pages := fx.form(t, "utilidad-pagina")
	fx.seed(t, pages, 1200, from, to, 23)
	fx.seed(t, pages, 900, prevFrom, from, 25)
	path, a := generatePDF(t, fx, Params{FormID: pages.ID, From: from, To: to, Lang: "es"})
	text := tool(t, "pdftotext", "-layout", path, "-")
	d := &docBuilder{l: fx.labels("es"), a: Localize(a, fx.labels("es"))}
	section := between(t, text, d.t("report.section.pages")+"\n", d.t("report.section.questions")+"\n")
	flat := squeeze(section)

	if strings.Contains(section, "…") {
		t.Errorf("a page is cut with an ellipsis:\n%s", section)
	}
	if !strings.Contains(section, "https://www.mineduc.gob.gt") {
		t.Error("the caption does not name the portal's base URL")
	}
	for _, h := range []string{d.t("report.ranking.no_share_before"), d.t("report.changes.change")} {
		for _, w := range strings.Fields(h) { // a header may wrap
			if !strings.Contains(section, w) {
				t.Errorf("no column %q", h)
			}
		}
	}
	named, compared, withheld, comments := 0, 0, 0, 0
	for _, r := range a.PageRanking.Rows {
		if r.Page == "" {
			continue
		}
		label := d.pageLabel(r.Page)
		if !strings.HasPrefix(label, "/portal/") {
			t.Errorf("page %s named %q, not by its path", r.Page, label)
		}
		if !strings.Contains(flat, squeeze(label)) {
			t.Errorf("page %q not in the ranking", label)
		}
		named++
		if _, ok := r.NoShare(); !ok {
			withheld++
			continue
		}
		if p, ok := d.previousRow(r.Page); ok {
			if c, ok := compareCounts(r.No, r.Total, p.No, p.Total); ok {
				compared++
				if !strings.Contains(flat, squeeze(d.count(r.No)+d.share(r.No, r.Total)+d.share(p.No, p.Total)+changeText(c, true))) {
					t.Errorf("page %s: previous share %s and change %s not in its row", label, d.share(p.No, p.Total), changeText(c, true))
				}
			}
		}
		if len(r.Comments) > 0 {
			comments += len(r.Comments)
			quote := squeeze(d.t("report.ranking.comment", map[string]any{"Page": label, "Text": d.t("report.ranking.quote", map[string]any{"Text": r.Comments[0]})}))
			if !strings.Contains(flat, quote) {
				t.Errorf("comment %q of %s not quoted with its page", r.Comments[0], label)
			}
		}
	}
	if named < 10 || compared < 5 || comments < 5 {
		t.Errorf("%d pages named, %d compared with the previous period, %d comments: the checks above test too little", named, compared, comments)
	}
	if withheld > 0 && !strings.Contains(flat, squeeze(d.l.Loc.N("report.ranking.withheld", withheld, map[string]any{"K": d.a.K, "Pages": ""})[:60])) {
		t.Errorf("%d pages withheld without the sentence that explains it", withheld)
	}
	if strings.Contains(section, d.t("report.suppressed")) && withheld > 0 {
		for _, line := range strings.Split(section, "\n") {
			if strings.Contains(line, d.t("report.suppressed")) && strings.Contains(line, "/portal/") {
				t.Errorf("a page row with a withheld count: %q", line)
			}
		}
	}
}
