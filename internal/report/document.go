package report

import (
	"sort"
	"time"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/pdf"
)

// Action is one "you said, we did" entry of the period: what the ministry did
// in answer to what people said.
type Action struct {
	Date time.Time
	Text string
}

// DocumentOptions add to a report what the aggregate does not hold.
type DocumentOptions struct {
	Generated time.Time // when the report was made
	Actions   []Action  // the period's published actions, if any
	// Org and OrgLogo are the organisation (Deps.Org, Deps.OrgLogo).
	Org     string
	OrgLogo []byte
	// Session describes the session of a session summary (nil: unknown).
	Session *SessionInfo
}

// docBuilder lays out the report of one localized aggregate.
type docBuilder struct {
	l   Labels
	a   *Aggregate // localized
	opt DocumentOptions
}

func (d *docBuilder) t(id string, data ...map[string]any) string { return d.l.Loc.T(id, data...) }

// Document lays out the PDF report of aggregate a in the language of l.
func Document(a *Aggregate, l Labels, opt DocumentOptions) *pdf.Document {
	d := &docBuilder{l: l, a: Localize(a, l), opt: opt}
	return d.document()
}

func (d *docBuilder) document() *pdf.Document {
	a := d.a
	title := d.t("report.title")
	if a.Session != "" {
		title = d.t("report.title.session", map[string]any{"Code": a.Session})
	}
	period := d.periodText(a)
	doc := &pdf.Document{
		Lang:      d.l.Lang(),
		Title:     title + " · " + a.Title,
		Subject:   period,
		Author:    d.org(),
		Created:   d.opt.Generated,
		Header:    title + " · " + a.Title + " · " + period,
		Footer:    d.t("report.footer", map[string]any{"Date": d.l.Date(d.opt.Generated)}),
		PageLabel: d.t("report.page"),
		Cover:     d.cover(title, period),
	}
	doc.Sections = append(doc.Sections, d.keyFigures(), d.participation())
	if s, ok := d.pageFeedback(); ok {
		doc.Sections = append(doc.Sections, s)
	}
	if s, ok := d.needs(); ok {
		doc.Sections = append(doc.Sections, s)
	}
	if s, ok := d.changes(); ok {
		doc.Sections = append(doc.Sections, s)
	}
	doc.Sections = append(doc.Sections, d.questions())
	if s, ok := d.actions(); ok {
		doc.Sections = append(doc.Sections, s)
	}
	doc.Sections = append(doc.Sections, d.methodology())
	return doc
}

func (d *docBuilder) periodText(a *Aggregate) string {
	if a.From.IsZero() {
		return d.t("report.period.all")
	}
	return d.l.Period(a.From, a.To)
}

func (d *docBuilder) cover(title, period string) pdf.Cover {
	a := d.a
	c := pdf.Cover{
		Kicker:   d.org(),
		Logo:     d.opt.OrgLogo,
		Title:    title,
		Subtitle: a.Title,
		Note:     d.t("report.cover.note", map[string]any{"K": a.K}),
	}
	if a.Session != "" {
		c.Lines = append(c.Lines, d.sessionLines()...)
	} else {
		c.Lines = append(c.Lines, d.t("report.cover.period", map[string]any{"Period": period}))
		if d.inProgress() {
			c.Lines = append(c.Lines, d.t("report.cover.in_progress", map[string]any{"Date": d.l.Date(d.opt.Generated)}))
		}
	}
	if a.Previous != nil {
		c.Lines = append(c.Lines, d.t("report.cover.previous", map[string]any{"Period": d.periodText(a.Previous)}))
	}
	c.Lines = append(c.Lines,
		d.nText("report.cover.responses", a.Responses, nil),
		d.t("report.cover.generated", map[string]any{"Date": d.l.Date(d.opt.Generated)}),
	)
	return c
}

// org names the organisation: the configured one, else the translations'.
func (d *docBuilder) org() string {
	if d.opt.Org != "" {
		return d.opt.Org
	}
	return d.t("report.author")
}

// count writes a published count, or the word for a suppressed one.
func (d *docBuilder) count(c Count) string {
	if c.Suppressed {
		return d.t("report.suppressed")
	}
	return groupDigits(c.N)
}

func (d *docBuilder) percent(p float64) string {
	return d.t("report.percent", map[string]any{"Value": decimal1(p)})
}

// share writes "45.6 %" of c over base, or "—".
func (d *docBuilder) share(c, base Count) string {
	if p, ok := c.Percent(base); ok {
		return d.percent(p)
	}
	return "—"
}

// barValue writes "1,234 (45.6 %)", or the suppressed word.
func (d *docBuilder) barValue(c, base Count) string {
	if c.Suppressed {
		return d.t("report.suppressed")
	}
	if p, ok := c.Percent(base); ok {
		return groupDigits(c.N) + " (" + d.percent(p) + ")"
	}
	return groupDigits(c.N)
}

// bars makes chart bars of cells over base, in the given order.
func (d *docBuilder) bars(cells []Cell, base Count) []pdf.Bar {
	out := make([]pdf.Bar, 0, len(cells))
	for _, c := range cells {
		b := pdf.Bar{Label: c.Label, Value: d.barValue(c.Count, base), Suppressed: c.Suppressed}
		if c.Retired {
			b.Label += " " + d.t("report.retired_option")
		}
		if p, ok := c.Percent(base); ok {
			b.Fraction = p / 100
		}
		out = append(out, b)
	}
	return out
}

// byPublished sorts cells by published count, largest first; suppressed
// cells go last, in their original order (their true size must not show).
func byPublished(cells []Cell) []Cell {
	out := append([]Cell(nil), cells...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Suppressed != out[j].Suppressed {
			return !out[i].Suppressed
		}
		return out[i].N > out[j].N
	})
	return out
}

func (d *docBuilder) suppressedNote(cells []Cell) string {
	for _, c := range cells {
		if c.Suppressed {
			note := d.t("report.note.suppressed", map[string]any{"K": d.a.K})
			if z := d.zeroNote(cells); z != "" {
				note += " " + z
			}
			return note
		}
	}
	return ""
}

func (d *docBuilder) keyFigures() pdf.Section {
	a, prev := d.a, d.a.Previous
	var figs []pdf.Figure
	resp := pdf.Figure{Value: d.count(a.Responses), Label: d.t("report.kf.responses")}
	if a.Session != "" {
		resp.Label = d.t("report.kf.responses_session")
	}
	if prev != nil {
		resp.Note = d.changeNote(a.Responses, prev.Responses)
	}
	figs = append(figs, resp)
	for _, q := range d.headlineQuestions() {
		figs = append(figs, d.questionFigure(q))
	}
	if pr := a.PageRanking; pr != nil && len(pr.Rows) > 1 {
		if share, ok := pr.Rows[0].NoShare(); ok && pr.Rows[0].Page != "" {
			figs = append(figs, pdf.Figure{
				Value: d.percent(share),
				Label: d.t("report.kf.worst_page"),
				Note: d.t("report.kf.worst_page_note", map[string]any{
					"Page": d.pageLabel(pr.Rows[0].Page), "No": d.count(pr.Rows[0].No), "N": d.count(pr.Rows[0].Total)}),
			})
		}
	}
	if a.Needs != nil {
		if q := a.Question(a.Needs.Question); q != nil {
			if top := byPublished(q.Options); len(top) > 0 && !top[0].Suppressed {
				figs = append(figs, pdf.Figure{
					Value: d.share(top[0].Count, q.Answered),
					Label: d.t("report.kf.top_sought", map[string]any{"Option": top[0].Label}),
				})
			}
		}
	}
	if top := byPublished(a.Departments); len(top) > 0 && !top[0].Suppressed && top[0].N > 0 {
		figs = append(figs, pdf.Figure{
			Value: top[0].Label,
			Label: d.t("report.kf.top_department"),
			Note:  d.barValue(top[0].Count, d.departmentBase()),
		})
	}
	blocks := []pdf.Block{&pdf.KeyFigures{Items: figs}}
	if p := d.progressBlock(); p != nil {
		blocks = append([]pdf.Block{p}, blocks...)
	}
	if prev != nil {
		blocks = append(blocks, d.comparisonTable())
	}
	blocks = append(blocks, &pdf.Paragraph{Text: d.t("report.kf.how_to_read", map[string]any{"K": a.K}), Small: true})
	return pdf.Section{Title: d.t("report.section.key_figures"), Blocks: blocks}
}

// headlineQuestions are the questions with a single headline figure: the
// yes/no questions and the scales and ratings of the current version, at most
// three.
func (d *docBuilder) headlineQuestions() []*QuestionResult {
	var out []*QuestionResult
	for _, q := range d.a.Questions {
		if q.Retired || q.Parent != "" {
			continue
		}
		switch q.Type {
		case forms.TypeYesNo, forms.TypeScale, forms.TypeRating:
			out = append(out, q)
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// headline is the one figure of a yes/no (share of yes) or scale question
// (mean); ok is false when it is withheld.
func (d *docBuilder) headline(q *QuestionResult) (value float64, text string, ok bool) {
	if q == nil {
		return 0, "", false
	}
	switch q.Type {
	case forms.TypeYesNo:
		for _, o := range q.Options {
			if o.Key == "true" {
				p, ok := o.Percent(q.Answered)
				return p, d.percent(p), ok
			}
		}
	case forms.TypeScale, forms.TypeRating:
		if q.Mean != nil {
			return *q.Mean, d.t("report.mean_of", map[string]any{"Mean": decimal1(*q.Mean), "Max": q.Max}), true
		}
	}
	return 0, "", false
}

func (d *docBuilder) questionFigure(q *QuestionResult) pdf.Figure {
	f := pdf.Figure{Label: q.Label, Value: "—", Note: d.t("report.kf.withheld")}
	if q.Type == forms.TypeYesNo {
		f.Label = d.t("report.kf.yes_share", map[string]any{"Question": q.Label})
	}
	v, text, ok := d.headline(q)
	if ok {
		f.Value, f.Note = text, ""
	}
	if d.a.Previous == nil {
		return f
	}
	pv, ptext, pok := d.headline(d.a.Previous.Question(q.ID))
	if ok && pok {
		f.Note = d.t("report.kf.previous_value", map[string]any{"Value": ptext, "Change": signed1(v - pv)})
	}
	return f
}

// changeNote compares two counts: "+12.0 % respecto al periodo anterior (2,416)".
func (d *docBuilder) changeNote(now, before Count) string {
	if before.Suppressed {
		return d.t("report.kf.previous_hidden", map[string]any{"K": d.a.K})
	}
	if now.Suppressed || before.N == 0 {
		return d.t("report.kf.previous_count", map[string]any{"N": d.count(before)})
	}
	change := 100 * float64(now.N-before.N) / float64(before.N)
	return d.t("report.kf.change", map[string]any{"Change": signed1(change), "N": groupDigits(before.N)})
}

func (d *docBuilder) comparisonTable() *pdf.Table {
	a, prev := d.a, d.a.Previous
	t := &pdf.Table{
		Title:  d.t("report.comparison.title"),
		Header: []string{d.t("report.comparison.indicator"), d.t("report.comparison.now"), d.t("report.comparison.before"), d.t("report.comparison.change")},
		Widths: []float64{4.6, 1.7, 1.7, 1.2},
	}
	change := "—"
	if !a.Responses.Suppressed && !prev.Responses.Suppressed && prev.Responses.N > 0 {
		change = d.percent(100 * float64(a.Responses.N-prev.Responses.N) / float64(prev.Responses.N))
		if a.Responses.N >= prev.Responses.N {
			change = "+" + change
		}
	}
	t.Rows = append(t.Rows, []string{d.t("report.comparison.responses"), d.count(a.Responses), d.count(prev.Responses), change})
	for _, q := range a.Questions {
		if q.Retired || q.Parent != "" {
			continue
		}
		if q.Type != forms.TypeYesNo && q.Type != forms.TypeScale && q.Type != forms.TypeRating {
			continue
		}
		v, text, ok := d.headline(q)
		pv, ptext, pok := d.headline(prev.Question(q.ID))
		row := []string{q.Label, "—", "—", "—"}
		if q.Type == forms.TypeYesNo {
			row[0] = d.t("report.kf.yes_share", map[string]any{"Question": q.Label})
		}
		if ok {
			row[1] = text
		}
		if pok {
			row[2] = ptext
		}
		if ok && pok {
			row[3] = signed1(v - pv)
		}
		t.Rows = append(t.Rows, row)
	}
	t.Note = d.t("report.comparison.note")
	return t
}

func (d *docBuilder) participation() pdf.Section {
	a := d.a
	var blocks []pdf.Block
	if series := d.elapsedSeries(a.Series); len(series) > 0 {
		cols := make([]pdf.Bar, len(series))
		var max int64
		for _, c := range series {
			if !c.Suppressed && c.N > max {
				max = c.N
			}
		}
		for i, c := range series {
			cols[i] = pdf.Bar{Label: c.Label, Value: d.count(c.Count), Suppressed: c.Suppressed}
			if max > 0 && !c.Suppressed {
				cols[i].Fraction = float64(c.N) / float64(max)
			}
		}
		blocks = append(blocks, &pdf.ColumnChart{
			Title:    d.t("report.series.title." + a.Interval),
			Caption:  d.nCaption("report.series.caption", a.Responses, nil),
			Columns:  cols,
			Note:     d.seriesNote(series),
			Bookmark: true,
		})
	}
	chart := func(id string, cells []Cell, sorted bool) {
		if len(cells) == 0 {
			return
		}
		if sorted {
			cells = byPublished(cells)
		}
		blocks = append(blocks, &pdf.BarChart{
			Title:    d.t(id),
			Caption:  d.nCaption("report.caption.n", a.Responses, nil),
			Bars:     d.bars(cells, a.Responses),
			Note:     d.suppressedNote(cells),
			Bookmark: true,
		})
	}
	chart("report.by.channel", a.Channels, false)
	chart("report.by.language", a.Languages, true)
	if hasCounts(a.Departments) {
		deps := byPublished(a.Departments)
		total := d.departmentBase()
		blocks = append(blocks, &pdf.BarChart{
			Title:    d.t("report.by.department"),
			Caption:  d.nCaption("report.caption.n", total, nil),
			Bars:     d.bars(deps, total),
			Note:     d.suppressedNote(deps),
			Bookmark: true,
		})
	}
	chart("report.by.status", a.Statuses, false)
	if len(a.Pages) > 0 {
		t := &pdf.Table{
			Title:    d.t("report.by.page"),
			Header:   []string{d.t("report.table.page"), d.t("report.table.responses"), d.t("report.table.share")},
			Widths:   []float64{7, 1.3, 1.3},
			Caption:  d.pagesCaption(),
			Note:     d.suppressedNote(a.Pages),
			Bookmark: true,
		}
		for _, p := range a.Pages {
			label := p.Label
			if p.Key != "" {
				label = d.pageLabel(p.Key)
			}
			t.Rows = append(t.Rows, []string{label, d.count(p.Count), d.share(p.Count, a.Responses)})
		}
		blocks = append(blocks, t)
	}
	return pdf.Section{Title: d.t("report.section.participation"), Intro: d.t("report.participation.intro"), Blocks: blocks}
}

func hasCounts(cells []Cell) bool {
	for _, c := range cells {
		if c.N > 0 || c.Suppressed {
			return true
		}
	}
	return false
}

// departmentBase is what department shares are shares of: the answers to
// the geo question, else the responses.
func (d *docBuilder) departmentBase() Count {
	if q := d.firstGeo(); q != nil {
		return q.Answered
	}
	return d.a.Responses
}

func (d *docBuilder) firstGeo() *QuestionResult {
	for _, q := range d.a.Questions {
		if q.Type == forms.TypeGeo {
			return q
		}
	}
	return nil
}

func (d *docBuilder) needs() (pdf.Section, bool) {
	n := d.a.Needs
	if n == nil {
		return pdf.Section{}, false
	}
	sought := d.a.Question(n.Question)
	scale := d.a.Question(n.Scale)
	if sought == nil || scale == nil {
		return pdf.Section{}, false
	}
	opts := byPublished(sought.Options)
	most := &pdf.BarChart{
		Title:    d.t("report.needs.most_sought"),
		Caption:  d.nCaption("report.caption.multiple", sought.Answered, nil),
		Bars:     d.bars(opts, sought.Answered),
		Note:     d.suppressedNote(opts),
		Bookmark: true,
	}
	least := &pdf.Table{
		Title:    d.t("report.needs.least_found"),
		Caption:  d.t("report.needs.caption", map[string]any{"Scale": scale.Label, "Max": n.HardMax}),
		Header:   []string{d.t("report.needs.information"), d.t("report.needs.rated"), d.t("report.needs.hard"), d.t("report.needs.hard_share")},
		Widths:   []float64{5.2, 1.4, 1.6, 1.6},
		Bookmark: true,
	}
	suppressed := false
	for _, r := range n.Rows {
		least.Rows = append(least.Rows, []string{r.Label, d.count(r.Rated), d.count(r.Hard), d.share(r.Hard, r.Rated)})
		suppressed = suppressed || r.Rated.Suppressed || r.Hard.Suppressed
	}
	if suppressed {
		least.Note = d.t("report.note.suppressed", map[string]any{"K": d.a.K})
	}
	return pdf.Section{Title: d.t("report.section.needs"), Intro: d.t("report.needs.intro"), Blocks: []pdf.Block{most, least}}, true
}

func (d *docBuilder) questions() pdf.Section {
	var blocks []pdf.Block
	for _, q := range d.a.Questions {
		blocks = append(blocks, d.questionBlocks(q)...)
	}
	return pdf.Section{Title: d.t("report.section.questions"), Intro: d.t("report.questions.intro"), Blocks: blocks}
}

func (d *docBuilder) questionTitle(q *QuestionResult) string {
	if q.Retired {
		return q.Label + " " + d.t("report.retired_question")
	}
	return q.Label
}

func (d *docBuilder) questionBlocks(q *QuestionResult) []pdf.Block {
	title := d.questionTitle(q)
	switch {
	case q.Type == forms.TypeGeo:
		return []pdf.Block{&pdf.Heading{Text: title}, &pdf.Paragraph{Text: d.nText("report.q.geo", q.Answered, nil)}}
	case q.Categorical():
		cells := q.Options
		caption := d.nCaption("report.caption.single", q.Answered, nil)
		switch q.Type {
		case forms.TypeMultiple:
			cells = byPublished(cells)
			caption = d.nCaption("report.caption.multiple", q.Answered, nil)
		case forms.TypeScale, forms.TypeRating:
			caption = d.nCaption("report.caption.scale", q.Answered, nil)
			if q.Mean != nil {
				caption = d.nCaption("report.caption.scale_mean", q.Answered, map[string]any{"Mean": decimal1(*q.Mean), "Max": q.Max})
			}
		}
		return []pdf.Block{&pdf.BarChart{Title: title, Caption: caption, Bars: d.bars(cells, q.Answered), Note: d.suppressedNote(cells), Bookmark: true}}
	case q.Text():
		return d.textBlocks(q, title)
	case q.Type == forms.TypeNumber:
		text := d.nText("report.q.number", q.Answered, nil)
		if q.Mean != nil {
			text = d.nText("report.q.number_mean", q.Answered, map[string]any{"Mean": decimal1(*q.Mean)})
		}
		return []pdf.Block{&pdf.Heading{Text: title}, &pdf.Paragraph{Text: text}}
	}
	return nil
}

func (d *docBuilder) textBlocks(q *QuestionResult, title string) []pdf.Block {
	blocks := []pdf.Block{
		&pdf.Heading{Text: title},
		&pdf.Paragraph{Text: d.nText("report.q.text", q.Answered, nil)},
	}
	blocks = append(blocks, d.themeBlocks(q)...)
	if len(q.Samples) > 0 {
		items := make([]string, len(q.Samples))
		for i, s := range q.Samples {
			items[i] = d.sampleText(q, i, s)
		}
		blocks = append(blocks, &pdf.Quotes{Title: d.t("report.samples.title"), Items: items, Note: d.t("report.samples.note")})
	}
	return blocks
}

func (d *docBuilder) actions() (pdf.Section, bool) {
	if len(d.opt.Actions) == 0 {
		return pdf.Section{}, false
	}
	// Staff write them for the public, but a quotation may carry someone's
	// contact data: they are scrubbed like the comments.
	sc := NewScrubber(d.l.Placeholders())
	items := make([]string, len(d.opt.Actions))
	for i, act := range d.opt.Actions {
		items[i] = d.l.Date(act.Date) + ": " + sc.Scrub(act.Text)
	}
	return pdf.Section{
		Title:  d.t("report.section.actions"),
		Intro:  d.t("report.actions.intro"),
		Blocks: []pdf.Block{&pdf.Quotes{Items: items}},
	}, true
}

func (d *docBuilder) methodology() pdf.Section {
	k := map[string]any{"K": d.a.K}
	ids := []string{
		"report.method.sample", "report.method.channels", "report.method.time",
		"report.method.percent", "report.method.versions",
	}
	var blocks []pdf.Block
	if d.a.Previous != nil {
		ids = append(ids, "report.method.changes")
	}
	for _, id := range ids {
		blocks = append(blocks, &pdf.Paragraph{Text: d.methodText(id, k)})
	}
	blocks = append(blocks, d.sessionMethod()...)
	blocks = append(blocks, &pdf.Heading{Text: d.t("report.method.privacy_title")})
	for _, id := range []string{"report.method.suppression", "report.method.scrubbing", "report.method.contact"} {
		blocks = append(blocks, &pdf.Paragraph{Text: d.t(id, map[string]any{
			"K": d.a.K, "Email": d.t("report.scrubbed.email"), "Phone": d.t("report.scrubbed.phone"), "DPI": d.t("report.scrubbed.dpi"),
			"Address": d.t("report.scrubbed.address"),
		})})
	}
	return pdf.Section{Title: d.t("report.section.method"), Blocks: blocks}
}
