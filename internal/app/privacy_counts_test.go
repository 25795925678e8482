package app_test

// Attacks of issue 10, item 16: inside one document, figures that are
// published side by side gave away hidden small counts. Each test crafts
// responses with small counts, sends them through the public API of the
// running program, reads back what it publishes (the PDF report through
// pdftotext, the live results API) and subtracts every published figure from
// those it is tied to, as an analyst with the document would.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/forms"
)

// shown is a count as a document shows it.
type shown struct {
	n      int64
	hidden bool
}

// figures are the counts of one document by name ("chose:matricula").
type figures map[string]shown

// equation says that the figures of left add up to those of right. Names
// absent from the figures are counts the document does not publish.
type equation struct{ left, right []string }

// recover solves the equations by substitution, as an analyst would: while
// some equation has a single unknown, it is computed. It reports every
// hidden count so recovered, and every unpublished one recovered as a count
// from 1 to k−1.
func recoverCounts(f figures, eqs []equation, k int64) []string {
	known := map[string]int64{}
	for name, s := range f {
		if !s.hidden {
			known[name] = s.n
		}
	}
	var leaks []string
	for progress := true; progress; {
		progress = false
		for _, e := range eqs {
			unknown, side := "", 0
			var sum int64 // left − right over the known figures
			n := 0
			for i, part := range [][]string{e.left, e.right} {
				sign := int64(1 - 2*i)
				for _, name := range part {
					if v, ok := known[name]; ok {
						sum += sign * v
					} else {
						n++
						unknown, side = name, i
					}
				}
			}
			if n != 1 {
				continue
			}
			v := sum
			if side == 0 {
				v = -sum
			}
			known[unknown] = v
			progress = true
			switch s, published := f[unknown]; {
			case published && s.hidden:
				leaks = append(leaks, fmt.Sprintf("hidden %s = %d", unknown, v))
			case !published && v > 0 && v < k:
				leaks = append(leaks, fmt.Sprintf("unpublished %s = %d", unknown, v))
			}
		}
	}
	slices.Sort(leaks)
	return leaks
}

// primaryOnly is f as a document that hid only the counts under k would
// publish it: the control, which the attack must defeat.
func primaryOnly(f figures, k int64) figures {
	out := figures{}
	for name, s := range f {
		out[name] = shown{n: s.n, hidden: s.n > 0 && s.n < k}
	}
	return out
}

// Lines of the PDF text (pdftotext -layout).
var (
	barLine = regexp.MustCompile(`^\s*(\S.*?)\s{2,}(suprimido|[\d,]+ \([\d.]+ %\))\s*$`)
	// The ranking's rows may end with the previous period's share and the
	// change ("—" or "+4.1 *").
	tableLine = regexp.MustCompile(`^\s*(?:\d+\s+)?(\S.*?)\s{2,}(suprimido|[\d,]+)\s+(suprimido|[\d,]+)\s+(—|[\d.]+ %)(?:\s+(?:—|[-+]?[\d.]+(?: %)?(?: \*)?))*\s*$`)
	// withheldPage is a page the ranking names in its sentence about pages
	// whose "No" count is not published, with its total.
	withheldPage = regexp.MustCompile(`(/[^\s,]+) \(([\d,]+) respuestas\)`)
	nCaption     = regexp.MustCompile(`^\s*n = (suprimido|[\d,]+) `)
)

func parseShown(t *testing.T, s string) shown {
	t.Helper()
	if s == "suprimido" {
		return shown{hidden: true}
	}
	s, _, _ = strings.Cut(s, " (")
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("count %q: %v", s, err)
	}
	return shown{n: n}
}

// lineAfter returns the index of the first line from `from` that contains
// marker.
func lineAfter(t *testing.T, lines []string, from int, marker string) int {
	t.Helper()
	for i := from; i < len(lines); i++ {
		if strings.Contains(lines[i], marker) {
			return i
		}
	}
	t.Fatalf("%q not in the PDF text", marker)
	return -1
}

// chart reads the bar chart that follows line i: its n and the bar of each
// label (the first seen), named prefix+value.
func chart(t *testing.T, lines []string, i int, prefix string, opts []forms.Option, into figures) {
	t.Helper()
	label := map[string]string{}
	for _, o := range opts {
		label[o.Label] = o.Value
	}
	for _, line := range lines[i:min(i+60, len(lines))] {
		if m := nCaption.FindStringSubmatch(line); m != nil {
			if _, ok := into[prefix+"n"]; !ok {
				into[prefix+"n"] = parseShown(t, m[1])
			}
		}
		if m := barLine.FindStringSubmatch(line); m != nil {
			if v, ok := label[m[1]]; ok {
				if _, seen := into[prefix+v]; !seen {
					into[prefix+v] = parseShown(t, m[2])
				}
			}
		}
	}
	for _, o := range opts {
		if _, ok := into[prefix+o.Value]; !ok {
			t.Fatalf("no bar %q after line %d", o.Label, i)
		}
	}
}

// prefix is the first n characters of s: enough to find a heading that the
// PDF may have wrapped.
func prefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// need is a crafted group of needs-assessment answers.
type need struct {
	n       int
	sought  []string
	ease    int    // 0: not answered
	missing string // the free-text answer, if any
}

// TestAttackNeedsTableDifferences (issue 10, item 16): the needs table
// published "chose X" (the sought question's bar) and "rated" so that their
// difference was a hidden small count, and the same held between a row's
// figures and the scale's own (its n, its low and high points). The answers
// are crafted so that each such difference is small; every equation between
// the PDF's figures is then solved, and nothing may come out. The same
// attack on the true counts with only primary suppression (what the report
// did for these ties) must find them. Three written answers, a hidden count,
// must not be sampled either.
func TestAttackNeedsTableDifferences(t *testing.T) {
	const form = "necesidades-informacion"
	secret := []string{
		"Mi vecina la maestra Rosario no recibe su salario desde marzo",
		"El director Abelardo cobra cuotas a los padres de familia",
		"En la escuela de la aldea Chuisac no hay maestro de sexto",
	}
	groups := []need{
		{9, []string{"matricula", "establecimientos", "compras"}, 1, ""},
		{2, []string{"matricula", "establecimientos", "compras"}, 5, ""},
		{6, []string{"matricula", "establecimientos"}, 4, ""},
		{3, []string{"matricula", "establecimientos"}, 0, ""},
		{2, []string{"docentes"}, 4, ""},
		{17, []string{"establecimientos", "presupuesto"}, 3, ""},
		{1, []string{"establecimientos", "presupuesto"}, 3, secret[0]},
		{1, []string{"establecimientos", "presupuesto"}, 3, secret[1]},
		{1, []string{"establecimientos", "presupuesto"}, 3, secret[2]},
		{3, []string{"presupuesto", "establecimientos"}, 1, ""},
	}
	r := boot(t, t.TempDir())
	f, _ := r.app.Forms().Get(form)
	sought, scale := f.Question("info_sought"), f.Question("ease_find")
	truth := figures{}
	add := func(name string, n int) { s := truth[name]; s.n += int64(n); truth[name] = s }
	for _, o := range sought.Options {
		truth["chose:"+o.Value], truth["rated:"+o.Value], truth["hard:"+o.Value] = shown{}, shown{}, shown{}
	}
	for _, o := range scale.Options {
		truth["scale:"+o.Value] = shown{}
	}
	for _, g := range groups {
		for range g.n {
			answers := map[string]any{"role": "docente", "location": map[string]any{"department": "01", "municipality": "0101"},
				"info_sought": g.sought}
			if g.ease > 0 {
				answers["ease_find"] = g.ease
			}
			if g.missing != "" {
				answers["missing"] = g.missing
			}
			submit(t, r, form, "", answers)
		}
		add("sought:n", g.n)
		for _, s := range g.sought {
			add("chose:"+s, g.n)
			if g.ease > 0 {
				add("rated:"+s, g.n)
				if g.ease <= 2 {
					add("hard:"+s, g.n)
				}
			}
		}
		if g.ease > 0 {
			add("scale:n", g.n)
			add("scale:"+strconv.Itoa(g.ease), g.n)
		}
	}
	var eqs []equation
	scaleAll := []string{}
	for _, o := range scale.Options {
		scaleAll = append(scaleAll, "scale:"+o.Value)
	}
	eqs = append(eqs, equation{[]string{"scale:n"}, scaleAll})
	for _, o := range sought.Options {
		x := o.Value
		eqs = append(eqs,
			equation{[]string{"chose:" + x}, []string{"rated:" + x, "unrated:" + x}},
			equation{[]string{"rated:" + x}, []string{"hard:" + x, "easy:" + x}},
			equation{[]string{"sought:n"}, []string{"chose:" + x, "notchosen:" + x}},
			equation{[]string{"scale:n"}, []string{"rated:" + x, "ratedelse:" + x}},
			equation{[]string{"scale:1", "scale:2"}, []string{"hard:" + x, "hardelse:" + x}},
			equation{[]string{"scale:3", "scale:4", "scale:5"}, []string{"easy:" + x, "easyelse:" + x}})
	}

	text := reportPDF(t, r, form)
	lines := strings.Split(text, "\n")
	doc := figures{}
	results := lineAfter(t, lines, 0, "Resultados por pregunta")
	chart(t, lines, lineAfter(t, lines, results, prefix(sought.Label, 30)), "sought:", sought.Options, doc)
	for _, o := range sought.Options {
		doc["chose:"+o.Value] = doc["sought:"+o.Value]
		delete(doc, "sought:"+o.Value)
	}
	chart(t, lines, lineAfter(t, lines, results, prefix(scale.Label, 30)), "scale:", scale.Options, doc)
	label := map[string]string{}
	for _, o := range sought.Options {
		label[o.Label] = o.Value
	}
	table := lineAfter(t, lines, 0, "Información más difícil de encontrar")
	rows := 0
	for _, line := range lines[table:min(table+80, len(lines))] {
		if m := tableLine.FindStringSubmatch(line); m != nil {
			if x, ok := label[m[1]]; ok {
				doc["rated:"+x], doc["hard:"+x] = parseShown(t, m[2]), parseShown(t, m[3])
				rows++
			}
		}
	}
	if rows != len(sought.Options) {
		t.Fatalf("%d rows of the needs table read, want %d", rows, len(sought.Options))
	}

	hidden := 0
	for name, s := range doc {
		want, ok := truth[name]
		switch {
		case !ok:
			t.Errorf("the PDF has %s, which the test did not count", name)
		case s.hidden:
			hidden++
		case s.n != want.n:
			t.Errorf("%s = %d in the PDF, %d sent", name, s.n, want.n)
		}
	}
	if hidden == 0 {
		t.Fatal("nothing hidden in the PDF: the data test nothing")
	}
	if control := recoverCounts(primaryOnly(truth, 5), eqs, 5); len(control) == 0 {
		t.Error("the attack recovers nothing from counts with only primary suppression: it tests nothing")
	} else {
		t.Logf("with primary suppression only, the attack recovers %d counts: %v", len(control), control)
	}
	for _, leak := range recoverCounts(doc, eqs, 5) {
		t.Errorf("the PDF gives away %s", leak)
	}

	t.Run("no samples under a hidden count of written answers", func(t *testing.T) {
		i := lineAfter(t, lines, results, prefix(f.Question("missing").Label, 30))
		if !strings.Contains(strings.Join(lines[i:i+4], " "), "No se publica cuántas personas respondieron esta pregunta") {
			t.Errorf("3 written answers, and the count is not hidden: %q", lines[i:i+4])
		}
		flat := readable(text)
		for _, s := range secret {
			if strings.Contains(flat, s) {
				t.Errorf("comment %q printed under a hidden count", s)
			}
		}
	})
}

// TestAttackHiddenPageListed (issue 10, item 16): a page whose count of
// answers ended up hidden by complementary suppression was still listed in
// the ranking, named. The answers are crafted so that it happens: the page
// must not be named anywhere in the PDF, no listed page may have a hidden
// total, and no equation between the ranking's rows and columns and the
// usefulness question's bars may give a count away.
func TestAttackHiddenPageListed(t *testing.T) {
	const form = "utilidad-pagina"
	pages := []struct {
		path    string
		no, yes int
	}{
		{"/portal/becas", 1, 20},
		{"/portal/consulta-de-notas", 0, 5}, // its 5 "yes" end up hidden, and with them its total
		{"/portal/calendario", 10, 30},
		{"/portal/matricula", 8, 25},
	}
	r := boot(t, t.TempDir())
	truth := figures{}
	var eqs []equation
	var nos, yeses, totals []string
	var allNo, allYes int64
	for _, p := range pages {
		for i := range p.no + p.yes {
			body := map[string]any{"answers": map[string]any{"useful": i >= p.no}, "lang": "es",
				"page": "https://www.mineduc.gob.gt" + p.path}
			if status, _, out := postJSON(t, r, form, "", body); status != http.StatusCreated {
				t.Fatalf("submit: %d %s", status, out)
			}
		}
		name := p.path // the ranking names pages by their path under the portal
		truth["total:"+name] = shown{n: int64(p.no + p.yes)}
		truth["no:"+name] = shown{n: int64(p.no)}
		eqs = append(eqs, equation{[]string{"total:" + name}, []string{"no:" + name, "yes:" + name}})
		nos, yeses, totals = append(nos, "no:"+name), append(yeses, "yes:"+name), append(totals, "total:"+name)
		allNo, allYes = allNo+int64(p.no), allYes+int64(p.yes)
	}
	truth["useful:n"], truth["useful:true"], truth["useful:false"] = shown{n: allNo + allYes}, shown{n: allYes}, shown{n: allNo}
	const other = "Otras páginas o sin página"
	eqs = append(eqs, equation{[]string{"total:" + other}, []string{"no:" + other, "yes:" + other}},
		equation{[]string{"useful:false"}, append(nos, "no:"+other)},
		equation{[]string{"useful:true"}, append(yeses, "yes:"+other)},
		equation{[]string{"useful:n"}, append(totals, "total:"+other)},
		equation{[]string{"useful:n"}, []string{"useful:true", "useful:false"}})

	text := reportPDF(t, r, form)
	lines := strings.Split(text, "\n")
	doc := figures{}
	start := lineAfter(t, lines, 0, "Páginas con más respuestas «No»")
	listed := 0
	for _, line := range lines[start:min(start+40, len(lines))] {
		m := tableLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		doc["total:"+m[1]], doc["no:"+m[1]] = parseShown(t, m[2]), parseShown(t, m[3])
		if m[1] != other {
			listed++
			if doc["total:"+m[1]].hidden {
				t.Errorf("page %s listed with a hidden total", m[1])
			}
		}
	}
	// Pages with a published total but a withheld "No" count are named in a
	// sentence under the table, with their totals.
	for _, m := range withheldPage.FindAllStringSubmatch(strings.Join(strings.Fields(strings.Join(lines[start:min(start+40, len(lines))], " ")), " "), -1) {
		doc["total:"+m[1]], doc["no:"+m[1]] = parseShown(t, m[2]), shown{hidden: true}
		listed++
	}
	if listed == 0 {
		t.Fatalf("no page read from the ranking:\n%s", strings.Join(lines[start:min(start+40, len(lines))], "\n"))
	}
	if strings.Contains(text, "consulta-de-notas") {
		t.Error("the page whose total is hidden is named in the PDF")
	}
	f, _ := r.app.Forms().Get(form)
	useful := f.Question("useful")
	results := lineAfter(t, lines, 0, "Resultados por pregunta")
	chart(t, lines, lineAfter(t, lines, results, useful.Label), "useful:",
		[]forms.Option{{Value: "true", Label: "Sí"}, {Value: "false", Label: "No"}}, doc)

	truth["total:"+other], truth["no:"+other] = shown{}, shown{}
	if control := recoverCounts(primaryOnly(truth, 5), eqs, 5); len(control) == 0 {
		t.Error("the attack recovers nothing from counts with only primary suppression: it tests nothing")
	}
	for _, leak := range recoverCounts(doc, eqs, 5) {
		t.Errorf("the PDF gives away %s", leak)
	}
}

// TestAttackLiveTermsUnderK (issue 10, item 16): the live results API of a
// session counts small numbers on purpose (the room sees its own answers),
// but it listed the words of free text used by 2 answers or more. A word
// three participants wrote must not be listed; one all five wrote is.
func TestAttackLiveTermsUnderK(t *testing.T) {
	r := boot(t, t.TempDir())
	addStaff(t, r, "facilita@ong.test", "facilitator", "ong", staffPassword)
	facilitator := newStaff(t, r).mustSignIn("facilita@ong.test", staffPassword)
	code := openSession(t, facilitator, "sugerencias")
	messages := []string{
		"Más transparencia en las compras, dice el zapatero Anselmo",
		"Transparencia en la contratación; el zapatero Anselmo tiene razón",
		"Pedimos transparencia y que el zapatero Anselmo sea escuchado",
		"Transparencia en los nombramientos de docentes",
		"Publiquen con transparencia la ejecución presupuestaria",
	}
	for i, m := range messages {
		topic := "docentes"
		if i == 0 {
			topic = "establecimientos" // one answer: the room sees it
		}
		submit(t, r, "sugerencias", code, map[string]any{"topic": topic, "message": m})
	}
	a := facilitator.get("/admin/api/sessions/" + code + "/results")
	if a.status != http.StatusOK {
		t.Fatalf("live results: status %d", a.status)
	}
	var res struct {
		Questions []struct {
			ID      string
			Options []struct {
				Key string
				N   *int64
			}
			Terms []struct {
				Term string
				N    int64
			}
		}
	}
	if err := json.Unmarshal([]byte(a.body), &res); err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, q := range res.Questions {
		for _, term := range q.Terms {
			terms = append(terms, term.Term)
			if term.N < 5 {
				t.Errorf("word %q used by %d answers listed", term.Term, term.N)
			}
		}
		for _, o := range q.Options {
			if q.ID == "topic" && o.Key == "establecimientos" && (o.N == nil || *o.N != 1) {
				t.Errorf("the live view hides the room's own small count: %v", o.N)
			}
		}
	}
	if !slices.Contains(terms, "transparencia") || slices.Contains(terms, "zapatero") || slices.Contains(terms, "anselmo") {
		t.Errorf("terms %v: want transparencia (5 answers), not zapatero or anselmo (3)", terms)
	}
}
