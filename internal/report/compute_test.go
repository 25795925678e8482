package report

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

func TestComputeNeedsAssessment(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	from, to, prevFrom := semester(fx.loc)
	now := fx.seed(t, f, 1200, from, to, 1)
	before := fx.seed(t, f, 700, prevFrom, from, 2)
	fx.seed(t, f, 300, to, to.AddDate(0, 2, 0), 3) // after the period: ignored

	o := fx.options()
	o.Compare = true
	a, err := Compute(ctxT(t), fx.st, f, from, to, o)
	if err != nil {
		t.Fatal(err)
	}
	roles := expectCounts(now, func(r *consulta.Response) []string { s, _ := r.Answers["role"].(string); return []string{s} })
	sought := expectCounts(now, func(r *consulta.Response) []string { s, _ := r.Answers["info_sought"].([]string); return s })
	depts := expectCounts(now, func(r *consulta.Response) []string { return []string{r.Department} })
	var easeSum, easeN float64
	for _, r := range now {
		if v, ok := r.Answers["ease_find"].(float64); ok {
			easeSum, easeN = easeSum+v, easeN+1
		}
	}

	t.Run("responses of the period and of the previous one", func(t *testing.T) {
		if a.Responses.N != 1200 || a.Previous == nil || a.Previous.Responses.N != int64(len(before)) {
			t.Errorf("responses %v, previous %+v", a.Responses, a.Previous)
		}
	})
	t.Run("single question counts", func(t *testing.T) {
		q := a.Question("role")
		somePublished(t, "role", q.Options)
		for _, o := range q.Options {
			if !o.Suppressed && o.N != roles[o.Key] {
				t.Errorf("role %s: %d, want %d", o.Key, o.N, roles[o.Key])
			}
		}
	})
	t.Run("multiple question counts", func(t *testing.T) {
		q := a.Question("info_sought")
		somePublished(t, "info_sought", q.Options)
		for _, o := range q.Options {
			if !o.Suppressed && o.N != sought[o.Key] {
				t.Errorf("info_sought %s: %d, want %d", o.Key, o.N, sought[o.Key])
			}
		}
	})
	t.Run("departments are the geo question's cells", func(t *testing.T) {
		if len(a.Departments) != 22 {
			t.Fatalf("%d departments", len(a.Departments))
		}
		geo := a.Question("location")
		somePublished(t, "departments", a.Departments)
		for i, d := range a.Departments {
			if !d.Suppressed && d.N != depts[d.Key] {
				t.Errorf("department %s: %d, want %d", d.Key, d.N, depts[d.Key])
			}
			if d.Count != geo.Options[i].Count {
				t.Errorf("department %s differs from the geo question", d.Key)
			}
		}
		if a.Departments[0].Label != "Guatemala" {
			t.Errorf("label %q", a.Departments[0].Label)
		}
	})
	t.Run("scale mean", func(t *testing.T) {
		q := a.Question("ease_find")
		want := math.Round(easeSum/easeN*10) / 10
		if q.Mean == nil || *q.Mean != want || q.Max != 5 {
			t.Errorf("mean %v, want %v", q.Mean, want)
		}
	})
	t.Run("series adds up", func(t *testing.T) {
		var sum int64
		for _, c := range a.Series {
			sum += c.N
		}
		if a.Interval != "week" || len(a.Series) < 26 || sum != 1200 {
			t.Errorf("interval %s, %d buckets adding to %d", a.Interval, len(a.Series), sum)
		}
	})
	t.Run("needs table", func(t *testing.T) {
		if a.Needs == nil || len(a.Needs.Rows) != len(f.Question("info_sought").Options)+1 {
			t.Fatalf("needs %+v", a.Needs)
		}
		r := a.Needs.Rows[0]
		var rated, hard int64
		for _, resp := range now {
			v, ok := resp.Answers["ease_find"].(float64)
			choices, _ := resp.Answers["info_sought"].([]string)
			for _, c := range choices {
				if ok && c == r.Key {
					rated++
					if v <= 2 {
						hard++
					}
				}
			}
		}
		if r.Rated.Suppressed || r.Rated.N == 0 {
			t.Fatalf("%s: rated count hidden (%+v): nothing to check", r.Key, r.Rated)
		}
		if r.Rated.N != rated || (!r.Hard.Suppressed && r.Hard.N != hard) {
			t.Errorf("%s: rated %d hard %d, want %d %d", r.Key, r.Rated.N, r.Hard.N, rated, hard)
		}
	})
	t.Run("free text: terms and scrubbed samples", func(t *testing.T) {
		q := a.Question("missing")
		if len(q.Terms) == 0 || len(q.Samples) == 0 || len(q.Samples) > 5 {
			t.Fatalf("terms %v samples %v", q.Terms, q.Samples)
		}
		digits := regexp.MustCompile(`\d{4}`)
		for _, s := range q.Samples {
			if strings.Contains(s, "@") || digits.MatchString(s) {
				t.Errorf("sample not scrubbed: %q", s)
			}
		}
	})
	t.Run("contact questions never aggregated", func(t *testing.T) {
		for _, id := range []string{"name", "email", "phone", "consent"} {
			if a.Question(id) != nil {
				t.Errorf("personal question %s aggregated", id)
			}
		}
	})
	t.Run("no small count published", func(t *testing.T) {
		published(t, a, func(path string, n *float64) {
			if n != nil && *n > 0 && *n < float64(a.K) {
				t.Errorf("%s: small count %v published", path, *n)
			}
		})
	})
}

// checkPartition checks, as an outsider would, that a table adding up to
// total reveals no suppressed cell: none, or at least two whose published
// remainder is k or more.
func checkPartition(t *testing.T, name string, cells []Cell, total Count, k int) {
	t.Helper()
	hidden := 0
	rest := total.N
	for _, c := range cells {
		if c.Suppressed {
			hidden++
		} else {
			rest -= c.N
		}
	}
	if total.Suppressed || hidden == 0 {
		return
	}
	if hidden == 1 || rest < int64(k) {
		t.Errorf("%s: %d hidden cells adding up to %d can be recomputed or narrowed", name, hidden, rest)
	}
}

func TestComputeSuppression(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "utilidad-pagina")
	from, to, _ := semester(fx.loc)
	at := from.Add(48 * time.Hour)
	var rs []*consulta.Response
	add := func(page string, useful bool, n int, lang string) {
		for range n {
			rs = append(rs, &consulta.Response{
				ID: "t-" + itoa(int64(len(rs))), FormID: f.ID, FormVersion: 1, Lang: lang,
				Channel: consulta.ChannelWidget, Page: page, ReceivedAt: at, Status: consulta.StatusNew,
				Answers: map[string]any{"useful": useful}, RequestHash: "x",
			})
		}
	}
	add("https://www.mineduc.gob.gt/a", true, 40, "es")
	add("https://www.mineduc.gob.gt/a", false, 3, "es") // small "no" cell
	add("https://www.mineduc.gob.gt/b", true, 20, "es")
	add("https://www.mineduc.gob.gt/b", false, 12, "es")
	add("https://www.mineduc.gob.gt/c", false, 9, "es")
	add("https://www.mineduc.gob.gt/secret?q=dpi", true, 2, "en") // a page with 2 answers
	add("https://www.mineduc.gob.gt/d", true, 30, "quc")
	fx.insert(t, rs, nil)

	a, err := Compute(ctxT(t), fx.st, f, from, to, fx.options())
	if err != nil {
		t.Fatal(err)
	}
	q := a.Question("useful")
	t.Run("totals", func(t *testing.T) {
		if a.Responses.N != 116 || q.Answered.N != 116 {
			t.Errorf("responses %v answered %v", a.Responses, q.Answered)
		}
	})
	t.Run("the small no cell and its row partner are hidden", func(t *testing.T) {
		for _, r := range a.PageRanking.Rows {
			if r.Page == "https://www.mineduc.gob.gt/a" && !(r.No.Suppressed && r.Yes.Suppressed) {
				t.Errorf("row a: %+v", r)
			}
		}
	})
	t.Run("ranking columns and rows protect each other", func(t *testing.T) {
		var nos, yeses, totals []Cell
		for _, r := range a.PageRanking.Rows {
			checkPartition(t, "row "+r.Page, []Cell{{Count: r.No}, {Count: r.Yes}}, r.Total, a.K)
			nos, yeses, totals = append(nos, Cell{Count: r.No}), append(yeses, Cell{Count: r.Yes}), append(totals, Cell{Count: r.Total})
		}
		checkPartition(t, "no column", nos, q.Options[1].Count, a.K)
		checkPartition(t, "yes column", yeses, q.Options[0].Count, a.K)
		checkPartition(t, "total column", totals, q.Answered, a.K)
	})
	t.Run("pages under k are not listed, query strings never", func(t *testing.T) {
		data, _ := json.Marshal(a)
		if strings.Contains(string(data), "secret") {
			t.Errorf("a page with 2 answers is named: %s", data)
		}
	})
	t.Run("languages protected", func(t *testing.T) {
		checkPartition(t, "languages", a.Languages, a.Responses, a.K)
		for _, l := range a.Languages {
			if l.Key == "en" && !l.Suppressed {
				t.Errorf("2 English answers published")
			}
		}
	})
	t.Run("ranked by published share of no", func(t *testing.T) {
		rows := a.PageRanking.Rows
		if last := rows[len(rows)-1]; last.Page != "" {
			t.Errorf("other pages not last: %+v", last)
		}
		prev, hiddenSeen := 101.0, false
		for _, r := range rows[:len(rows)-1] {
			share, ok := r.NoShare()
			switch {
			case !ok:
				hiddenSeen = true
			case hiddenSeen || share > prev:
				t.Errorf("row %s out of order: %v after %v", r.Page, share, prev)
			default:
				prev = share
			}
		}
	})
}

func TestComputeEarlierVersions(t *testing.T) {
	fx := newFixture(t)
	v1, problems := forms.Parse("v1.yaml", []byte(`
id: encuesta
version: 1
kind: survey
title: Encuesta
questions:
  - id: color
    type: single
    label: Color favorito
    options:
      - {value: rojo, label: Rojo}
      - {value: verde, label: Verde}
  - id: antigua
    type: yesno
    label: Pregunta retirada
  - id: correo_viejo
    type: text
    label: Su correo
    personal: true
`))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	v2, problems := forms.Parse("v2.yaml", []byte(`
id: encuesta
version: 3
kind: survey
title: Encuesta
questions:
  - id: color
    type: single
    label: Color preferido
    options:
      - {value: rojo, label: Rojo}
      - {value: azul, label: Azul}
`))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	def, _ := json.Marshal(v1)
	ctx := ctxT(t)
	if err := fx.st.SaveFormVersion(ctx, "encuesta", 1, v1.Hash(), def); err != nil {
		t.Fatal(err)
	}
	from, to, _ := semester(fx.loc)
	var rs []*consulta.Response
	add := func(version int, n int, answers map[string]any) {
		for range n {
			rs = append(rs, &consulta.Response{ID: "v-" + itoa(int64(len(rs))), FormID: "encuesta", FormVersion: version,
				Lang: "es", Channel: consulta.ChannelPage, ReceivedAt: from.Add(time.Hour), Status: consulta.StatusNew,
				Answers: answers, RequestHash: "x"})
		}
	}
	add(1, 10, map[string]any{"color": "verde", "antigua": true, "correo_viejo": "ana@example.org", "misterio": "texto libre secreto"})
	add(3, 12, map[string]any{"color": "azul"})
	add(3, 8, map[string]any{"color": "rojo"})
	fx.insert(t, rs, nil)
	a, err := Compute(ctx, fx.st, v2, from, to, fx.options())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("retired option listed after the current ones", func(t *testing.T) {
		q := a.Question("color")
		keys := []string{}
		for _, o := range q.Options {
			keys = append(keys, o.Key)
		}
		if strings.Join(keys, ",") != "rojo,azul,verde" || !q.Options[2].Retired || q.Options[2].N != 10 || q.Options[2].Label != "Verde" {
			t.Errorf("options %+v", q.Options)
		}
	})
	t.Run("retired question with its old label", func(t *testing.T) {
		q := a.Question("antigua")
		if q == nil || !q.Retired || q.Label != "Pregunta retirada" || q.Answered.N != 10 {
			t.Errorf("antigua %+v", q)
		}
	})
	t.Run("personal in an earlier version: never aggregated", func(t *testing.T) {
		if a.Question("correo_viejo") != nil {
			t.Error("old personal question aggregated")
		}
	})
	// Version 2's definition was never saved, so answers to questions no
	// definition knows may exist: they are read and typed from their values.
	t.Run("unknown string answers are text, never categories", func(t *testing.T) {
		q := a.Question("misterio")
		if q == nil || q.Type != forms.TypeText || len(q.Options) != 0 {
			t.Errorf("misterio %+v", q)
		}
		data, _ := json.Marshal(a)
		if strings.Contains(string(data), "texto libre secreto") || strings.Contains(string(data), "ana@") {
			t.Errorf("raw text in the aggregate: %s", data)
		}
	})
}

func TestSummary(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	from, to, _ := semester(fx.loc)
	rs := fx.seed(t, f, 900, from, to, 9)
	counts := expectCounts(rs, func(r *consulta.Response) []string { return []string{r.Session} })
	var session string
	for s, n := range counts {
		if s != "" && n >= 10 {
			session = s
			break
		}
	}
	if session == "" {
		t.Fatalf("no session with 10 responses: %v", counts)
	}
	a, err := Summary(ctxT(t), fx.st, f, session, fx.options())
	if err != nil {
		t.Fatal(err)
	}
	if a.Session != session || a.Responses.N != counts[session] || a.Previous != nil || a.Series != nil {
		t.Errorf("summary of %s: %+v (want %d)", session, a.Responses, counts[session])
	}
	if _, err := Summary(context.Background(), fx.st, f, "", fx.options()); consulta.ErrorCode(err) != consulta.EINVALID {
		t.Errorf("empty session: %v", err)
	}
}

// TestHiddenPagesNotListed: a page with k answers or more whose count
// complementary suppression hides is not named (issue 10, item 16); it joins
// the other pages. The answers are laid out so that it happens: the lone
// small "no" of one page hides its "yes", which hides the smallest other
// "yes" of the column, a page whose answers are all "yes", and with it that
// page's total.
func TestHiddenPagesNotListed(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "utilidad-pagina")
	from, to, _ := semester(fx.loc)
	var rs []*consulta.Response
	add := func(page string, no, yes int) {
		for i := range no + yes {
			rs = append(rs, &consulta.Response{ID: "p-" + itoa(int64(len(rs))), FormID: f.ID, FormVersion: 1, Lang: "es",
				Channel: consulta.ChannelWidget, Page: "https://www.mineduc.gob.gt/" + page, ReceivedAt: from.Add(time.Hour),
				Status: consulta.StatusNew, Answers: map[string]any{"useful": i >= no}, RequestHash: "x"})
		}
	}
	add("becas", 1, 20)
	add("notas", 0, 5)
	add("calendario", 10, 30)
	add("matricula", 8, 25)
	fx.insert(t, rs, nil)

	t.Run("the first layout hides the page's total", func(t *testing.T) {
		tl := newTally(newSchema(ctxT(t), f, nil), nil, false, 1)
		for _, r := range rs {
			tl.add(r)
		}
		a := &Aggregate{}
		b := &builder{led: newLedger(DefaultK), scrubber: NewScrubber(SpanishPlaceholders()), termK: DefaultK, unlisted: map[string]bool{}}
		b.build(a, tl)
		b.finish()
		if !slices.Contains(hiddenPages(a), "https://www.mineduc.gob.gt/notas") {
			t.Fatalf("the data do not hide the page's total: %v", hiddenPages(a))
		}
	})
	a, err := Compute(ctxT(t), fx.st, f, from, to, fx.options())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(a)
	if strings.Contains(string(data), "notas") {
		t.Errorf("the page whose total is hidden is named: %s", data)
	}
	for _, r := range a.PageRanking.Rows {
		if r.Page != "" && r.Total.Suppressed {
			t.Errorf("page %s listed with a hidden total", r.Page)
		}
	}
	if other := a.PageRanking.Rows[len(a.PageRanking.Rows)-1]; other.Page != "" {
		t.Errorf("last row %+v, want the other pages", other)
	}
}
