package report

import (
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// Lengths of the ranked tables.
const (
	topPages    = 15 // rows of the "by page" table
	rankingRows = 25 // rows of the page-feedback ranking
	topTerms    = 15 // frequent words per text question
)

// builder turns a tally into an Aggregate: it registers every count in a
// ledger while it lays out the tables, runs the suppression, then writes the
// published counts into the tables.
type builder struct {
	led      *ledger
	binds    []binding
	after    []func() // steps that need the suppression's outcome (means)
	geo      *geo.Catalog
	scrubber *Scrubber
	total    int // the cell of the number of responses
	// termK is the threshold of frequent words: the ledger's k, or more
	// (Options.TextK).
	termK int64
	// unlisted are pages never to name: their count was hidden in an
	// earlier layout (see assemble).
	unlisted map[string]bool
}

type binding struct {
	cell int
	dst  *Count
}

// bind registers v as a new cell published at dst.
func (b *builder) bind(v int64, dst *Count) int {
	c := b.led.add(v)
	b.binds = append(b.binds, binding{c, dst})
	return c
}

// also publishes an existing cell at a second place.
func (b *builder) also(c int, dst *Count) { b.binds = append(b.binds, binding{c, dst}) }

// build lays out the aggregate of t; a holds the identity fields already.
func (b *builder) build(a *Aggregate, t *tally) {
	b.total = b.bind(t.total, &a.Responses)
	total := b.total
	a.Channels = b.partition(total, channelCells(t.channels))
	a.Languages = b.partition(total, byCount(t.langs))
	if t.series != nil {
		a.Interval = t.series.interval
		cells := make([]Cell, len(t.series.starts))
		for i, s := range t.series.starts {
			cells[i] = Cell{Key: s.Format("2006-01-02"), Count: Count{N: t.series.counts[i]}}
		}
		a.Series = b.partition(total, cells)
	}
	if t.schema.form.Kind == forms.KindSuggestion {
		a.Statuses = b.partition(total, statusCells(t.statuses))
	}
	if t.ranking == nil && hasPages(t.pages) {
		a.Pages = b.partition(total, b.topCells(t.pages, topPages))
	}
	qcells := map[string]questionCells{}
	for _, qi := range t.schema.ordered() {
		qt := t.questions[qi.key]
		if qt == nil {
			if qi.retired {
				continue // an earlier version's question nobody answered here
			}
			qt = &qtally{info: qi, counts: map[string]int64{}}
		}
		qr, qc := b.question(qt)
		a.Questions = append(a.Questions, qr)
		qcells[qi.key] = qc
	}
	b.departments(a, t, qcells)
	if t.ranking != nil {
		a.PageRanking = b.ranking(t, qcells[t.rankingKey])
	}
	if t.needs != nil {
		if qc, ok := qcells[t.needs.sought]; ok {
			a.Needs = b.needsTable(t.needs, qc, qcells[t.needs.scale])
		}
	}
}

// needsTable lays out the NeedsTable. Its figures are tied to each other and
// to the questions' own, and every tie is an equation in the ledger, so that
// no difference between published figures is a hidden count:
//
//   - hard + raters who did not find it hard = rated (this third cell is
//     not published, but Rated − Hard would give it away);
//   - rated + those who chose it and did not rate = chose it (the sought
//     question's option);
//   - rated + raters who did not choose it = the scale's answered count;
//   - hard + low raters who did not choose it = the scale's low points, and
//     the same for the high points and the raters who did not find it hard.
func (b *builder) needsTable(n *needsTally, sought, scale questionCells) *NeedsTable {
	nt := &NeedsTable{Question: n.sought, Scale: n.scale, HardMax: n.hardMax}
	for _, o := range sought.result.Options {
		nt.Rows = append(nt.Rows, NeedRow{Key: o.Key, Label: o.Label, Rated: Count{N: n.rated[o.Key]}, Hard: Count{N: n.hard[o.Key]}})
	}
	low, high := scaleHalves(scale, n.hardMax)
	for i := range nt.Rows {
		r := &nt.Rows[i]
		rated := b.bind(r.Rated.N, &r.Rated)
		hard := b.bind(r.Hard.N, &r.Hard)
		easy := b.led.add(r.Rated.N - r.Hard.N)
		b.led.sum(rated, []int{hard, easy})
		if chose, ok := sought.options[r.Key]; ok {
			b.split([]int{chose}, rated)
		}
		if scale.result != nil {
			b.split([]int{scale.answered}, rated)
			b.split(low, hard)
			b.split(high, easy)
		}
	}
	// Ranked once suppression is done, on published shares only: an order
	// computed from hidden counts would hint at them.
	b.after = append(b.after, func() {
		sort.SliceStable(nt.Rows, func(i, j int) bool {
			si, oki := nt.Rows[i].HardShare()
			sj, okj := nt.Rows[j].HardShare()
			if oki != okj {
				return oki
			}
			return si > sj
		})
	})
	return nt
}

// scaleHalves returns the cells of a scale's points up to hardMax and above.
func scaleHalves(scale questionCells, hardMax int) (low, high []int) {
	if scale.result == nil {
		return nil, nil
	}
	for _, o := range scale.result.Options {
		v, err := strconv.Atoi(o.Key)
		switch {
		case err != nil:
		case v <= hardMax:
			low = append(low, scale.options[o.Key])
		default:
			high = append(high, scale.options[o.Key])
		}
	}
	return low, high
}

// split records that the cells of whole add up to part plus an unpublished
// rest, so that no difference of the published figures shows a hidden
// count: the rest is in the ledger like any other count.
func (b *builder) split(whole []int, part int) {
	var total int64
	for _, c := range whole {
		total += b.led.cells[c].v
	}
	rest := total - b.led.cells[part].v
	if len(whole) == 0 || rest < 0 {
		return // not a part of it after all (inconsistent answers): no equation
	}
	b.led.balance(whole, []int{part, b.led.add(rest)})
}

// partition publishes cells whose counts add up to the cell total.
func (b *builder) partition(total int, cells []Cell) []Cell {
	parts := make([]int, len(cells))
	for i := range cells {
		parts[i] = b.bind(cells[i].N, &cells[i].Count)
	}
	b.led.sum(total, parts)
	return cells
}

// questionCells remembers the ledger cells of a question, for the tables that
// share them (departments, the page ranking).
type questionCells struct {
	answered int
	options  map[string]int
	result   *QuestionResult
}

func (b *builder) question(qt *qtally) (*QuestionResult, questionCells) {
	qi := qt.info
	qr := &QuestionResult{ID: qi.key, Type: qi.typ, Label: qi.label, Parent: qi.parent, Retired: qi.retired}
	qc := questionCells{options: map[string]int{}, result: qr}
	qc.answered = b.bind(qt.n, &qr.Answered)
	if qi.typ == forms.TypeScale || qi.typ == forms.TypeRating {
		qr.Min, qr.Max = qi.min, qi.max
	}
	if qr.Categorical() {
		qr.Options = b.optionCells(qt)
		parts := make([]int, len(qr.Options))
		for i := range qr.Options {
			parts[i] = b.bind(qr.Options[i].N, &qr.Options[i].Count)
			qc.options[qr.Options[i].Key] = parts[i]
		}
		if qi.typ != forms.TypeMultiple {
			b.led.sum(qc.answered, parts)
		} else {
			// Each option of a multiple question splits those who answered
			// into those who chose it and those who did not.
			for _, p := range parts {
				b.split([]int{qc.answered}, p)
			}
		}
	}
	switch qi.typ {
	case forms.TypeScale, forms.TypeRating:
		b.after = append(b.after, func() { qr.Mean = b.scaleMean(qt, qc) })
	case forms.TypeNumber:
		b.after = append(b.after, func() {
			if !qr.Answered.Suppressed && qt.n > 0 {
				qr.Mean = round1(qt.sum / float64(qt.n))
			}
		})
	case forms.TypeText, forms.TypeTextarea:
		b.themes(qr, qt)
		if qt.terms != nil {
			qr.Terms = qt.terms.top(topTerms, max(b.termK, 2))
			for i, s := range qt.samples.items {
				qr.Samples = append(qr.Samples, b.scrubber.Scrub(s))
				qr.SampleAnswers = append(qr.SampleAnswers, qt.samples.tags[i])
			}
			// Under a hidden count of written answers, the words (each
			// used by k answers or more) and the samples would say how
			// many there are at least.
			b.after = append(b.after, func() {
				if qr.Answered.Suppressed {
					qr.Terms, qr.Samples, qr.SampleAnswers = nil, nil, nil
				}
			})
		}
	}
	return qr, qc
}

// scaleMean publishes the mean of a scale or rating unless it would give away
// a suppressed cell: with hidden cells, a mean rounded to one decimal pins the
// weighted sum within 0.1·n, which leaves each hidden cell an interval of at
// least k possible values only when n ≥ 10·k·(max−min).
func (b *builder) scaleMean(qt *qtally, qc questionCells) *float64 {
	if qt.n == 0 || b.led.isSuppressed(qc.answered) {
		return nil
	}
	for _, c := range qc.options {
		if b.led.isSuppressed(c) && qt.n < 10*b.led.k*int64(max(qt.info.max-qt.info.min, 1)) {
			return nil
		}
	}
	return round1(qt.sum / float64(qt.n))
}

func round1(x float64) *float64 {
	r := math.Round(x*10) / 10
	return &r
}

// optionCells lists the categories of a categorical question: its options in
// form order (current version first, then earlier versions'), then any other
// value seen, sorted; every category is listed, zeros included.
func (b *builder) optionCells(qt *qtally) []Cell {
	qi := qt.info
	var cells []Cell
	seen := map[string]bool{}
	add := func(key, label string, retired bool) {
		if !seen[key] {
			seen[key] = true
			cells = append(cells, Cell{Key: key, Label: label, Count: Count{N: qt.counts[key]}, Retired: retired})
		}
	}
	switch qi.typ {
	case forms.TypeYesNo, forms.TypeConsent:
		add("true", "", false)
		add("false", "", false)
	case forms.TypeScale, forms.TypeRating:
		labels := map[string]string{}
		for _, o := range qi.options {
			labels[o.Value] = o.Label
		}
		for v := qi.min; v <= qi.max; v++ {
			add(strconv.Itoa(v), labels[strconv.Itoa(v)], false)
		}
	case forms.TypeGeo:
		if b.geo != nil {
			for _, d := range b.geo.Departments() {
				add(d.Code, d.Name, false)
			}
		}
	default:
		for _, o := range qi.options {
			add(o.Value, o.Label, qi.retiredOpts[o.Value])
		}
	}
	var rest []string
	for k := range qt.counts {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(k, k, true)
	}
	return cells
}

// departments publishes the breakdown by department: the cells of the form's
// first geo question when it has one (the same counts, so one table cannot
// undo the other's suppression), else Response.Department.
func (b *builder) departments(a *Aggregate, t *tally, qcells map[string]questionCells) {
	for _, q := range t.schema.form.Questions {
		qc, ok := qcells[q.ID]
		if q.Type != forms.TypeGeo || !ok {
			continue
		}
		a.Departments = make([]Cell, len(qc.result.Options))
		for i, o := range qc.result.Options {
			a.Departments[i] = Cell{Key: o.Key, Label: o.Label}
			b.also(qc.options[o.Key], &a.Departments[i].Count)
		}
		return
	}
	if len(t.depts) == 0 || b.geo == nil {
		return
	}
	deps := b.geo.Departments()
	a.Departments = make([]Cell, len(deps))
	parts := make([]int, 0, len(deps)+1)
	var stated int64
	for i, d := range deps {
		a.Departments[i] = Cell{Key: d.Code, Label: d.Name}
		parts = append(parts, b.bind(t.depts[d.Code], &a.Departments[i].Count))
		stated += t.depts[d.Code]
	}
	// Responses without a department are not published, but they close the
	// sum: a hidden cell, so that the rule protects the others.
	unstated := b.led.add(t.total - stated)
	b.led.hide(unstated)
	b.led.sum(b.total, append(parts, unstated))
}

// topCells lists the n keys with the largest counts that reach k, then the
// rest together under Key "".
func (b *builder) topCells(m map[string]int64, n int) []Cell {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if k != "" && v >= b.led.k && !b.unlisted[k] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	var cells []Cell
	var listed int64
	for _, k := range keys {
		cells = append(cells, Cell{Key: k, Label: k, Count: Count{N: m[k]}})
		listed += m[k]
	}
	var all int64
	for _, v := range m {
		all += v
	}
	return append(cells, Cell{Key: "", Count: Count{N: all - listed}})
}

func hasPages(m map[string]int64) bool {
	for k := range m {
		if k != "" {
			return true
		}
	}
	return false
}

// ranking lays out the page-feedback table: pages with k answers or more,
// most "no" answers (as a share) first, then the other pages together. Its
// columns add up to the usefulness question's own cells, which are shared.
func (b *builder) ranking(t *tally, qc questionCells) *PageRanking {
	type row struct {
		page    string
		no, yes int64
	}
	var rows []row
	var other row
	for p, c := range t.ranking {
		if p != "" && c[0]+c[1] >= b.led.k && !b.unlisted[p] {
			rows = append(rows, row{p, c[0], c[1]})
		} else {
			other.no += c[0]
			other.yes += c[1]
		}
	}
	// The pages with the most answers make the table; they are ranked by
	// their published share of "no" once suppression is done.
	sort.Slice(rows, func(i, j int) bool {
		ni, nj := rows[i].no+rows[i].yes, rows[j].no+rows[j].yes
		if ni != nj {
			return ni > nj
		}
		return rows[i].page < rows[j].page
	})
	if len(rows) > rankingRows {
		for _, r := range rows[rankingRows:] {
			other.no += r.no
			other.yes += r.yes
		}
		rows = rows[:rankingRows]
	}
	rows = append(rows, other)
	pr := &PageRanking{Question: t.rankingKey, Rows: make([]PageRow, len(rows))}
	var totals, nos, yeses []int
	for i, r := range rows {
		out := &pr.Rows[i]
		out.Page = r.page
		if res := t.noComments[r.page]; res != nil && r.page != "" {
			for _, c := range res.items {
				out.Comments = append(out.Comments, b.scrubber.Scrub(c))
			}
		}
		tc := b.bind(r.no+r.yes, &out.Total)
		nc := b.bind(r.no, &out.No)
		yc := b.bind(r.yes, &out.Yes)
		b.led.sum(tc, []int{nc, yc})
		totals, nos, yeses = append(totals, tc), append(nos, nc), append(yeses, yc)
	}
	b.led.sum(qc.answered, totals)
	if c, ok := qc.options["false"]; ok {
		b.led.sum(c, nos)
	}
	if c, ok := qc.options["true"]; ok {
		b.led.sum(c, yeses)
	}
	b.after = append(b.after, func() {
		for i := range pr.Rows {
			// A comment under a hidden "no" count would say there is one.
			if r := &pr.Rows[i]; r.No.Suppressed || r.No.N == 0 {
				r.Comments = nil
			}
		}
		ranked := pr.Rows[:len(pr.Rows)-1] // the last row, the other pages, stays last
		sort.SliceStable(ranked, func(i, j int) bool {
			si, oki := ranked[i].NoShare()
			sj, okj := ranked[j].NoShare()
			if oki != okj {
				return oki
			}
			return si > sj
		})
	})
	return pr
}

// finish suppresses, publishes the counts and runs the deferred steps.
func (b *builder) finish() {
	b.led.suppress()
	for _, bd := range b.binds {
		if bd.dst != nil {
			*bd.dst = b.led.count(bd.cell)
		}
	}
	for _, f := range b.after {
		f()
	}
}

// channelCells lists the four channels in display order, then any other.
func channelCells(m map[string]int64) []Cell {
	var cells []Cell
	for _, ch := range consulta.Channels {
		cells = append(cells, Cell{Key: string(ch), Count: Count{N: m[string(ch)]}})
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(consulta.Channels, consulta.Channel(k)) {
			cells = append(cells, Cell{Key: k, Count: Count{N: m[k]}})
		}
	}
	return cells
}

// statusCells lists the triage statuses in workflow order, then any other.
func statusCells(m map[string]int64) []Cell {
	order := consulta.TriageStatuses()
	var cells []Cell
	for _, s := range order {
		cells = append(cells, Cell{Key: s, Count: Count{N: m[s]}})
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(order, k) {
			cells = append(cells, Cell{Key: k, Count: Count{N: m[k]}})
		}
	}
	return cells
}

// byCount lists the keys of m, most frequent first.
func byCount(m map[string]int64) []Cell {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	cells := make([]Cell, len(keys))
	for i, k := range keys {
		cells[i] = Cell{Key: k, Count: Count{N: m[k]}}
	}
	return cells
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
