package report

import (
	"net/url"
	"strings"

	"github.com/consulta/consulta/internal/pdf"
)

// pageBase is the scheme and host most of the pages named in the report
// share (the portal's base URL): tables name those pages by their path
// under it.
func (d *docBuilder) pageBase() string {
	seen := map[string]int{}
	best := ""
	var pages []string
	if d.a.PageRanking != nil {
		for _, r := range d.a.PageRanking.Rows {
			pages = append(pages, r.Page)
		}
	}
	for _, c := range d.a.Pages {
		pages = append(pages, c.Key)
	}
	for _, p := range pages {
		if b, _ := splitPage(p); b != "" {
			seen[b]++
			if seen[b] > seen[best] || (seen[b] == seen[best] && b < best) {
				best = b
			}
		}
	}
	return best
}

// splitPage splits a normalized page into its base URL (scheme and host)
// and its path.
func splitPage(page string) (base, path string) {
	u, err := url.Parse(page)
	if err != nil || u.Host == "" {
		return "", page
	}
	return u.Scheme + "://" + u.Host, u.EscapedPath()
}

// pageLabel names a page: its path under the portal's base URL, else its
// address without the scheme. Nothing is cut: long paths wrap.
func (d *docBuilder) pageLabel(page string) string {
	base, path := splitPage(page)
	if base != "" && base == d.pageBase() {
		if path == "" {
			return "/"
		}
		p, err := url.PathUnescape(path)
		if err != nil {
			return path
		}
		return p
	}
	return PageLabel(page)
}

// previousRow is the previous period's row of page, if it was listed there.
func (d *docBuilder) previousRow(page string) (PageRow, bool) {
	if d.a.Previous == nil || d.a.Previous.PageRanking == nil {
		return PageRow{}, false
	}
	for _, r := range d.a.Previous.PageRanking.Rows {
		if r.Page == page && page != "" {
			return r, true
		}
	}
	return PageRow{}, false
}

// changeText writes a change in percentage points, "+12.3", with a star when
// its 95 % interval excludes zero; "—" when it cannot be computed.
func changeText(c Change, ok bool) string {
	if !ok {
		return "—"
	}
	s := signed1(c.Diff)
	if c.Significant() {
		s += " *"
	}
	return s
}

func (d *docBuilder) pageFeedback() (pdf.Section, bool) {
	pr := d.a.PageRanking
	if pr == nil {
		return pdf.Section{}, false
	}
	q := d.a.Question(pr.Question)
	label := pr.Question
	if q != nil {
		label = q.Label
	}
	caption := d.t("report.ranking.caption", map[string]any{"Question": label, "K": d.a.K})
	if base := d.pageBase(); base != "" {
		caption += " " + d.t("report.ranking.base", map[string]any{"Base": base})
	}
	header := []string{"#", d.t("report.table.page"), d.t("report.table.answers"), d.t("report.ranking.no"), d.t("report.ranking.no_share")}
	widths := []float64{0.5, 6.2, 1.6, 1.2, 1.3}
	align := []string{"R", "L", "R", "R", "R"}
	compare := d.a.Previous != nil
	if compare {
		header = append(header, d.t("report.ranking.no_share_before"), d.t("report.changes.change"))
		widths = []float64{0.5, 4.3, 1.6, 1.4, 1.2, 1.4, 1.6} // "suprimido" fits the No column
		align = append(align, "R", "R")
	}
	t := &pdf.Table{Title: d.t("report.ranking.title"), Caption: caption, Header: header,
		Widths: widths, Align: align, Bookmark: true}
	var withheld []string
	var comments []string
	rank := 0
	suppressed := false
	for _, r := range pr.Rows {
		if _, ok := r.NoShare(); !ok && r.Page != "" {
			withheld = append(withheld, d.t("report.ranking.withheld_page", map[string]any{"Page": d.pageLabel(r.Page), "N": d.count(r.Total)}))
			continue
		}
		page, n := d.t("report.pages.other"), ""
		if r.Page != "" {
			rank++
			page, n = d.pageLabel(r.Page), itoa(int64(rank))
		}
		row := []string{n, page, d.count(r.Total), d.count(r.No), d.share(r.No, r.Total)}
		if compare {
			before, c, ok := "—", Change{}, false
			// The other pages are not the same pages in both periods: no
			// comparison for that row.
			if p, found := d.previousRow(r.Page); found {
				before = d.share(p.No, p.Total)
				c, ok = compareCounts(r.No, r.Total, p.No, p.Total)
			}
			row = append(row, before, changeText(c, ok))
		}
		t.Rows = append(t.Rows, row)
		suppressed = suppressed || r.No.Suppressed || r.Total.Suppressed
		if len(r.Comments) > 0 {
			quoted := make([]string, len(r.Comments))
			for i, c := range r.Comments {
				quoted[i] = d.t("report.ranking.quote", map[string]any{"Text": strings.TrimSpace(c)})
			}
			comments = append(comments, d.t("report.ranking.comment", map[string]any{"Page": d.pageLabel(r.Page), "Text": strings.Join(quoted, " · ")}))
		}
	}
	var notes []string
	if suppressed {
		notes = append(notes, d.t("report.note.suppressed", map[string]any{"K": d.a.K}))
	}
	if compare {
		notes = append(notes, d.t("report.ranking.note_before", map[string]any{"K": d.a.K}), d.t("report.changes.star"))
	}
	t.Note = strings.Join(notes, " ")
	blocks := []pdf.Block{t}
	if len(withheld) > 0 {
		blocks = append(blocks, &pdf.Paragraph{Small: true, Text: d.l.Loc.N("report.ranking.withheld", len(withheld), map[string]any{
			"K": d.a.K, "Pages": strings.Join(withheld, "; ")})})
	}
	if len(comments) > 0 {
		blocks = append(blocks, &pdf.Quotes{Title: d.t("report.ranking.comments_title", map[string]any{"Question": d.commentQuestion()}),
			Items: comments, Note: d.t("report.ranking.comments_note", map[string]any{"K": d.a.K})})
	}
	return pdf.Section{Title: d.t("report.section.pages"), Intro: d.t("report.ranking.intro"), Blocks: blocks}, true
}

// commentQuestion is the label of the text question whose answers the
// ranking quotes: the first written-answer question.
func (d *docBuilder) commentQuestion() string {
	for _, q := range d.a.Questions {
		if q.Text() && !q.Retired {
			return q.Label
		}
	}
	return ""
}

// pagesCaption names the base URL the pages of a table are paths under.
func (d *docBuilder) pagesCaption() string {
	if base := d.pageBase(); base != "" {
		return d.t("report.ranking.base", map[string]any{"Base": base})
	}
	return ""
}

// sampleText quotes sample i of q, with the Sí or No its author gave to the
// usefulness question of a page-feedback form.
func (d *docBuilder) sampleText(q *QuestionResult, i int, s string) string {
	text := d.t("report.ranking.quote", map[string]any{"Text": strings.TrimSpace(s)})
	if i >= len(q.SampleAnswers) || q.SampleAnswers[i] == "" {
		return text
	}
	answer := d.t("form.no")
	if q.SampleAnswers[i] == "true" {
		answer = d.t("form.yes")
	}
	return d.t("report.samples.answered", map[string]any{"Text": text, "Answer": answer})
}
