package report

import (
	"strings"

	"github.com/consulta/consulta/internal/pdf"
)

// themeBlocks lays out the themes of a text question: a table of the themes
// with their counts (and, when the previous period is compared, its count
// and what is new or growing), then one or two example answers of each.
func (d *docBuilder) themeBlocks(q *QuestionResult) []pdf.Block {
	if len(q.Themes) == 0 {
		return nil
	}
	compared := false
	for _, th := range q.Themes {
		compared = compared || th.Previous > 0 || th.Trend != ""
	}
	k := map[string]any{"K": d.a.K}
	t := &pdf.Table{
		Title:  d.t("report.themes.title"),
		Header: []string{d.t("report.themes.theme"), d.t("report.themes.answers"), d.t("report.table.share")},
		Widths: []float64{3.6, 1.4, 1.1},
		Align:  []string{"L", "R", "R"},
		Note:   d.t("report.themes.note", k),
	}
	if compared {
		t.Header = append(t.Header, d.t("report.themes.previous"), d.t("report.themes.trend"))
		t.Widths = append(t.Widths, 1.9, 1.3)
		t.Align = append(t.Align, "R", "L")
		t.Note += " " + d.t("report.themes.note_trend", k)
	}
	var examples []string
	shown := map[string]bool{}
	for _, th := range q.Themes {
		row := []string{th.Label, groupDigits(th.Count), d.share(Count{N: th.Count}, q.Answered)}
		if compared {
			prev := "—"
			if th.Previous > 0 {
				prev = groupDigits(th.Previous)
			}
			row = append(row, prev, d.trend(th.Trend))
		}
		t.Rows = append(t.Rows, row)
		for _, e := range th.Examples {
			if !shown[e] { // an answer may be an example of several themes
				shown[e] = true
				examples = append(examples, th.Label+": «"+strings.TrimSpace(e)+"»")
			}
		}
	}
	blocks := []pdf.Block{t}
	if len(examples) > 0 {
		blocks = append(blocks, &pdf.Quotes{Title: d.t("report.themes.examples"), Items: examples, Note: d.t("report.themes.examples_note")})
	}
	return blocks
}

func (d *docBuilder) trend(tr string) string {
	switch tr {
	case TrendNew:
		return d.t("report.themes.new")
	case TrendGrowing:
		return d.t("report.themes.growing")
	}
	return ""
}
