package seed

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

func shipped(t *testing.T) (*forms.Registry, *geo.Catalog) {
	t.Helper()
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	cat, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	return reg, cat
}

var (
	from = time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	to   = time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
)

func TestGenerateValidAnswers(t *testing.T) {
	reg, cat := shipped(t)
	for _, f := range reg.All() {
		t.Run(f.ID, func(t *testing.T) {
			rs, cs := Generate(f, cat, 1500, from, to, rand.New(rand.NewPCG(1, 2)))
			if len(rs) != 1500 {
				t.Fatalf("got %d responses", len(rs))
			}
			contacts := map[string]*consulta.Contact{}
			for _, c := range cs {
				contacts[c.ID] = c
			}
			ids := map[string]bool{}
			for _, r := range rs {
				if !strings.HasPrefix(r.ID, "seed-") || ids[r.ID] {
					t.Fatalf("bad or duplicate id %q", r.ID)
				}
				ids[r.ID] = true
				if r.ReceivedAt.Before(from) || !r.ReceivedAt.Before(to) {
					t.Fatalf("received %v outside the period", r.ReceivedAt)
				}
				raw := map[string]any{}
				for k, v := range r.Answers {
					raw[k] = v
				}
				c := contacts[r.ID]
				if c != nil {
					for k, v := range c.Fields {
						raw[k] = v
					}
				}
				if r.HasContact != (c != nil) {
					t.Fatalf("%s: HasContact %v but contact %v", r.ID, r.HasContact, c != nil)
				}
				answers, personal, errs := f.Validate(raw, cat)
				if len(errs) > 0 {
					t.Fatalf("%s does not validate: %+v (answers %v)", r.ID, errs, raw)
				}
				if !reflect.DeepEqual(answers, r.Answers) {
					t.Fatalf("%s: validation changed the answers:\n%v\n%v", r.ID, answers, r.Answers)
				}
				if c != nil && !reflect.DeepEqual(personal, c.Fields) {
					t.Fatalf("%s: personal answers differ", r.ID)
				}
				for id := range r.Answers {
					if q := f.Question(id); q != nil && !f.Visible(q, r.Answers) {
						t.Fatalf("%s: answer to hidden question %s", r.ID, id)
					}
				}
			}
		})
	}
}

// share counts how often key(r) is each value, as fractions.
func share(rs []*consulta.Response, key func(*consulta.Response) string) map[string]float64 {
	m := map[string]float64{}
	for _, r := range rs {
		m[key(r)] += 1 / float64(len(rs))
	}
	return m
}

func TestGenerateSpread(t *testing.T) {
	reg, cat := shipped(t)
	needs, _ := reg.Get("necesidades-informacion")
	pages, _ := reg.Get("utilidad-pagina")
	rs, _ := Generate(needs, cat, 4000, from, to, rand.New(rand.NewPCG(3, 4)))
	prs, _ := Generate(pages, cat, 2000, from, to, rand.New(rand.NewPCG(5, 6)))

	langs := share(rs, func(r *consulta.Response) string { return r.Lang })
	depts := share(rs, func(r *consulta.Response) string { return r.Department })
	channels := share(rs, func(r *consulta.Response) string { return string(r.Channel) })
	pageShare := share(prs, func(r *consulta.Response) string { return r.Page })
	var withPII int
	pii := regexp.MustCompile(`@|\d{4}`)
	for _, r := range rs {
		if s, ok := r.Answers["missing"].(string); ok && pii.MatchString(s) {
			withPII++
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"mostly Spanish", langs["es"] > 0.8},
		{"some K'iche'", langs["quc"] > 0.02},
		{"some English", langs["en"] > 0.01},
		{"Guatemala department the largest", depts["01"] > 0.15 && depts["01"] > depts["13"]},
		{"El Progreso small", depts["02"] < 0.03},
		{"all 22 departments", len(depts) == 22},
		{"every channel", len(channels) == 4 && channels["page"] > channels["import"]},
		{"focus groups have sessions", sessionsOnFocusGroups(rs)},
		{"page feedback comes from widget pages", pageShare[""] == 0 && len(pageShare) > 10},
		{"some comments carry personal data", withPII > 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("failed: langs %v depts %v channels %v", langs, depts, channels)
			}
		})
	}
}

func sessionsOnFocusGroups(rs []*consulta.Response) bool {
	for _, r := range rs {
		if (r.Channel == consulta.ChannelFocusGroup) != (r.Session != "") && r.Channel != consulta.ChannelImport {
			return false
		}
	}
	return true
}

func TestGenerateBatches(t *testing.T) {
	reg, cat := shipped(t)
	f, _ := reg.Get("sugerencias")
	all, allContacts := Generate(f, cat, 2500, from, to, rand.New(rand.NewPCG(7, 8)))
	var sizes []int
	var got []*consulta.Response
	var contacts int
	err := GenerateBatches(f, cat, 2500, from, to, rand.New(rand.NewPCG(7, 8)), 1000, func(rs []*consulta.Response, cs []*consulta.Contact) error {
		sizes = append(sizes, len(rs))
		got = append(got, rs...)
		contacts += len(cs)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("batch sizes", func(t *testing.T) {
		if !reflect.DeepEqual(sizes, []int{1000, 1000, 500}) {
			t.Errorf("sizes %v", sizes)
		}
	})
	t.Run("same data as Generate with the same seed", func(t *testing.T) {
		if !reflect.DeepEqual(got, all) || contacts != len(allContacts) {
			t.Error("batches differ from Generate")
		}
	})
	t.Run("suggestions get triage statuses", func(t *testing.T) {
		st := share(all, func(r *consulta.Response) string { return r.Status })
		if len(st) < 4 {
			t.Errorf("statuses %v", st)
		}
	})
}

// TestIDsDependOnSeedAndForm: the same seed gives two forms different ids (a
// second form seeded with it used to clash with the first midway through a
// run), and one seed and form the same k-th id whatever n and the period, so
// that a rerun clashes on its first response, which `consulta seed` checks.
func TestIDsDependOnSeedAndForm(t *testing.T) {
	reg, cat := shipped(t)
	ids := func(formID string, n int, from, to time.Time) []string {
		f, ok := reg.Get(formID)
		if !ok {
			t.Fatalf("no form %s", formID)
		}
		rs, _ := Generate(f, cat, n, from, to, rand.New(rand.NewPCG(42, 21)))
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	seen := map[string]string{}
	for _, formID := range []string{"sugerencias", "necesidades-informacion", "utilidad-pagina"} {
		for _, id := range ids(formID, 2000, from, to) {
			if other, ok := seen[id]; ok {
				t.Fatalf("id %s drawn for %s and %s with the same seed", id, other, formID)
			}
			seen[id] = formID
		}
	}
	long := ids("sugerencias", 300, from, to)
	short := ids("sugerencias", 100, from.AddDate(0, 1, 0), to.AddDate(0, 2, 0))
	if !slices.Equal(long[:100], short) {
		t.Errorf("same seed and form, other n and period: ids %v... and %v... differ", long[:3], short[:3])
	}
}
