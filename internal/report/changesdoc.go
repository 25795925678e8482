package report

import (
	"math"
	"sort"

	"github.com/consulta/consulta/internal/pdf"
)

// clearestChanges is how many changes the summary table of "what changed"
// lists: the largest of those whose interval excludes zero.
const clearestChanges = 12

// optionChange is one option of one question compared with the previous
// period, on published counts only.
type optionChange struct {
	question, option string
	now, before      string // shares as written
	change           Change
	ok               bool
}

// compareQuestion compares every option of q with the same option of the
// previous period's question; a share that rests on a hidden count is not
// compared.
func (d *docBuilder) compareQuestion(q *QuestionResult) []optionChange {
	pq := d.a.Previous.Question(q.ID)
	var out []optionChange
	for _, o := range q.Options {
		oc := optionChange{question: q.Label, option: o.Label, now: d.share(o.Count, q.Answered), before: "—"}
		if o.Retired {
			oc.option += " " + d.t("report.retired_option")
		}
		if pq != nil {
			for _, po := range pq.Options {
				if po.Key == o.Key {
					oc.before = d.share(po.Count, pq.Answered)
					oc.change, oc.ok = compareCounts(o.Count, q.Answered, po.Count, pq.Answered)
				}
			}
		}
		out = append(out, oc)
	}
	return out
}

// changes lays out "what changed": every option of every question against
// the previous period, in percentage points with their 95 % interval, the
// clearest changes first.
func (d *docBuilder) changes() (pdf.Section, bool) {
	if d.a.Previous == nil {
		return pdf.Section{}, false
	}
	header := []string{d.t("report.changes.option"), d.t("report.comparison.before"), d.t("report.comparison.now"),
		d.t("report.changes.change"), d.t("report.changes.interval_title")}
	widths := []float64{4.2, 1.5, 1.7, 1.5, 2.0}
	var tables []pdf.Block
	var clear []optionChange
	for _, q := range d.a.Questions {
		if !q.Categorical() || q.Retired || q.Parent != "" {
			continue
		}
		t := &pdf.Table{Title: d.questionTitle(q), Header: header, Widths: widths,
			Caption: d.nCaption("report.changes.caption", q.Answered, map[string]any{"Before": d.count(d.previousAnswered(q.ID))})}
		withheld := false
		for _, oc := range d.compareQuestion(q) {
			row := []string{oc.option, oc.before, oc.now, "—", "—"}
			if oc.ok {
				row[3] = changeText(oc.change, true)
				row[4] = d.t("report.changes.interval", map[string]any{"Lo": signed1(oc.change.Lo), "Hi": signed1(oc.change.Hi)})
				if oc.change.Significant() {
					clear = append(clear, oc)
				}
			} else {
				withheld = true
			}
			t.Rows = append(t.Rows, row)
		}
		if withheld {
			t.Note = d.t("report.changes.withheld", map[string]any{"K": d.a.K})
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		return pdf.Section{}, false
	}
	var blocks []pdf.Block
	sort.SliceStable(clear, func(i, j int) bool { return math.Abs(clear[i].change.Diff) > math.Abs(clear[j].change.Diff) })
	if len(clear) == 0 {
		blocks = append(blocks, &pdf.Paragraph{Text: d.t("report.changes.none")})
	} else {
		summary := &pdf.Table{
			Title:    d.t("report.changes.clearest"),
			Caption:  d.l.Loc.N("report.changes.clearest_caption", len(clear), map[string]any{"Shown": min(len(clear), clearestChanges)}),
			Header:   []string{d.t("report.changes.question"), d.t("report.changes.option"), d.t("report.comparison.before"), d.t("report.comparison.now"), d.t("report.changes.change")},
			Widths:   []float64{3.6, 3.0, 1.5, 1.5, 1.5},
			Align:    []string{"L", "L", "R", "R", "R"},
			Bookmark: true,
		}
		for _, oc := range clear[:min(len(clear), clearestChanges)] {
			summary.Rows = append(summary.Rows, []string{oc.question, oc.option, oc.before, oc.now, changeText(oc.change, true)})
		}
		blocks = append(blocks, summary)
	}
	blocks = append(blocks, &pdf.Paragraph{Small: true, Text: d.t("report.changes.star")})
	blocks = append(blocks, tables...)
	return pdf.Section{Title: d.t("report.section.changes"),
		Intro: d.t("report.changes.intro", map[string]any{"Period": d.periodText(d.a.Previous)}), Blocks: blocks}, true
}

// previousAnswered is how many answered question id in the previous period.
func (d *docBuilder) previousAnswered(id string) Count {
	if q := d.a.Previous.Question(id); q != nil {
		return q.Answered
	}
	return Count{}
}
