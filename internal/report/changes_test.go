package report

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/seed"
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
	// The samples of "¿Qué estaba buscando?" say which answer each explains.
	tagged := 0
	for _, q := range d.a.Questions {
		for i, s := range q.Samples {
			if i < len(q.SampleAnswers) && q.SampleAnswers[i] != "" {
				tagged++
				if !strings.Contains(squeeze(text), squeeze(d.sampleText(q, i, s))) || !strings.Contains(d.sampleText(q, i, s), "respondió") {
					t.Errorf("sample %q not quoted with its answer %s", s, q.SampleAnswers[i])
				}
			}
		}
	}
	if tagged == 0 {
		t.Error("no sample carries its Sí/No answer")
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

// TestWhatChangedPDF: "what changed" compares every option of every
// categorical question (kinds of information, suggestion topics) with the
// previous period, and stars the changes whose 95 % interval excludes zero.
// A kind of information chosen far more often this period must be starred;
// the methodology names the interval.
func TestWhatChangedPDF(t *testing.T) {
	fx := newFixture(t)
	from, to, prevFrom := semester(fx.loc)
	needs := fx.form(t, "necesidades-informacion")
	fx.seed(t, needs, 900, prevFrom, from, 22)
	rs, cs := seed.Generate(needs, fx.cat, 900, from, to, rand.New(rand.NewPCG(21, 22)))
	for i, r := range rs {
		if i%2 == 0 { // half of this period's people now look for the collective agreements
			if v, ok := r.Answers["info_sought"].([]string); ok && !slices.Contains(v, "pactos_colectivos") {
				r.Answers["info_sought"] = append(v, "pactos_colectivos")
			}
		}
	}
	fx.insert(t, rs, cs)
	sugg := fx.form(t, "sugerencias")
	fx.seed(t, sugg, 400, from, to, 24)
	fx.seed(t, sugg, 300, prevFrom, from, 26)

	for _, tc := range []struct{ form, lang string }{{needs.ID, "es"}, {needs.ID, "en"}, {sugg.ID, "es"}} {
		t.Run(tc.form+"/"+tc.lang, func(t *testing.T) {
			path, a := generatePDF(t, fx, Params{FormID: tc.form, From: from, To: to, Lang: tc.lang})
			text := tool(t, "pdftotext", "-layout", path, "-")
			d := &docBuilder{l: fx.labels(tc.lang), a: Localize(a, fx.labels(tc.lang))}
			section := between(t, text, d.t("report.section.changes")+"\n", d.t("report.section.questions")+"\n")
			flat := squeeze(section)
			tables, compared, starred := 0, 0, 0
			for _, q := range d.a.Questions {
				if !q.Categorical() || q.Retired || q.Parent != "" {
					continue
				}
				tables++
				if !strings.Contains(flat, squeeze(d.questionTitle(q))) {
					t.Errorf("no table for %q", q.Label)
				}
				for _, oc := range d.compareQuestion(q) {
					if !oc.ok {
						continue
					}
					compared++
					interval := d.t("report.changes.interval", map[string]any{"Lo": signed1(oc.change.Lo), "Hi": signed1(oc.change.Hi)})
					if !strings.Contains(flat, squeeze(oc.before+oc.now+changeText(oc.change, true)+interval)) {
						t.Errorf("%s / %s: %s, %s, %s, %s not in the section", q.Label, oc.option, oc.before, oc.now, changeText(oc.change, true), interval)
					}
					if oc.change.Significant() {
						starred++
					}
				}
			}
			if tables < 2 || compared < 6 {
				t.Errorf("%d questions, %d options compared: too few to test", tables, compared)
			}
			if tc.form == needs.ID {
				q := d.a.Question("info_sought")
				var pacts string
				for _, o := range q.Options {
					if o.Key == "pactos_colectivos" {
						pacts = o.Label
					}
				}
				summary := squeeze(between(t, section, d.t("report.changes.clearest"), d.t("report.changes.star")[:20]))
				if starred == 0 || !strings.Contains(summary, squeeze(pacts)) || !strings.Contains(summary, "*") {
					t.Errorf("the pacts's jump (%q) is not among the clearest changes (%d starred):\n%s", pacts, starred, summary)
				}
				// The participation's pages table names pages as the ranking does.
				pagesTable := squeeze(between(t, text, d.t("report.by.page"), d.t("report.section.changes")))
				named := 0
				for _, c := range d.a.Pages {
					if c.Key == "" {
						continue
					}
					named++
					label := d.pageLabel(c.Key)
					if base, _ := splitPage(c.Key); base == d.pageBase() && !strings.HasPrefix(label, "/") {
						t.Errorf("page %s named %q, not by its path under %s", c.Key, label, base)
					}
					if !strings.Contains(pagesTable, squeeze(label)) {
						t.Errorf("page %q not in the pages table", label)
					}
				}
				if named == 0 || strings.Contains(pagesTable, "www.mineduc.gob.gt/portal") {
					t.Errorf("%d pages named; the pages table:\n%s", named, pagesTable)
				}
				method := squeeze(text[strings.LastIndex(text, d.t("report.section.method")):])
				if !strings.Contains(method, squeeze(d.t("report.method.changes"))) || !strings.Contains(method, "Newcombe") {
					t.Error("the methodology does not name the interval")
				}
			}
		})
	}
}
