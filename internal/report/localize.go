package report

import (
	"slices"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/locale"
)

// Labels localizes aggregates: Loc gives the texts of the report language
// (form texts, yes/no, channels, statuses...), LanguageNames the native name
// of each language tag (from locale.Translator.Languages), Location the time
// zone of dates.
type Labels struct {
	Loc           *locale.Localizer
	LanguageNames map[string]string
	Location      *time.Location
}

// NewLabels returns the Labels of one language of t.
func NewLabels(t *locale.Translator, lang string, loc *time.Location) Labels {
	names := map[string]string{}
	for _, l := range t.Languages() {
		names[l.Tag] = l.Name
	}
	return Labels{Loc: t.Localizer(lang), LanguageNames: names, Location: loc}
}

// Lang is the tag of the labels' language.
func (l Labels) Lang() string { return l.Loc.Lang() }

// t is Loc.T with a fallback for ids that Spanish does not have (texts of
// questions and options that only earlier form versions had).
func (l Labels) t(id, fallback string) string {
	if s := l.Loc.T(id); s != id {
		return s
	}
	return fallback
}

func (l Labels) location() *time.Location {
	if l.Location != nil {
		return l.Location
	}
	return Options{}.location()
}

// Localize returns a copy of a with every label in the labels' language,
// and the placeholders of scrubbed samples too. a itself is not changed.
func Localize(a *Aggregate, l Labels) *Aggregate {
	if a == nil {
		return nil
	}
	c := *a
	form := "form." + a.FormID
	c.Title = l.t(form+".title", a.Title)
	c.Channels = relabel(a.Channels, func(x Cell) string {
		if a.Session != "" && x.Key == string(consulta.ChannelImport) {
			// A session's paper forms are typed in by its facilitators,
			// not imported by the ministry's team.
			return l.Loc.T("report.channel.import_session")
		}
		return l.t("report.channel."+x.Key, x.Key)
	})
	c.Languages = relabel(a.Languages, func(x Cell) string {
		if n, ok := l.LanguageNames[x.Key]; ok {
			return n
		}
		return x.Key
	})
	c.Statuses = relabel(a.Statuses, func(x Cell) string { return l.t("report.status."+x.Key, x.Key) })
	c.Departments = relabel(a.Departments, func(x Cell) string { return x.Label })
	c.Pages = relabel(a.Pages, func(x Cell) string {
		if x.Key == "" {
			return l.Loc.T("report.pages.other")
		}
		return PageLabel(x.Key)
	})
	c.Series = relabel(a.Series, func(x Cell) string { return l.bucketLabel(x.Key, a.Interval) })
	c.Questions = make([]*QuestionResult, len(a.Questions))
	for i, q := range a.Questions {
		c.Questions[i] = l.question(form, q)
	}
	if a.Needs != nil {
		n := *a.Needs
		n.Rows = make([]NeedRow, len(a.Needs.Rows))
		for i, r := range a.Needs.Rows {
			r.Label = l.optionLabel(form, a.Needs.Question, r.Key, r.Label)
			n.Rows[i] = r
		}
		c.Needs = &n
	}
	c.Previous = Localize(a.Previous, l)
	return &c
}

func relabel(cells []Cell, label func(Cell) string) []Cell {
	if cells == nil {
		return nil
	}
	out := make([]Cell, len(cells))
	for i, x := range cells {
		x.Label = label(x)
		out[i] = x
	}
	return out
}

func (l Labels) question(form string, q *QuestionResult) *QuestionResult {
	c := *q
	switch {
	case q.Parent != "":
		parent := l.t(form+".q."+q.Parent+".label", q.Label)
		c.Label = parent + " " + l.Loc.T("report.other_text")
	default:
		c.Label = l.t(form+".q."+q.ID+".label", q.Label)
	}
	c.Options = relabel(q.Options, func(x Cell) string {
		switch {
		case q.Type == "yesno" || q.Type == "consent":
			if x.Key == "true" {
				return l.Loc.T("form.yes")
			}
			return l.Loc.T("form.no")
		case q.Type == "geo":
			return x.Label
		}
		return l.optionLabel(form, q.ID, x.Key, x.Label)
	})
	es, here := SpanishPlaceholders(), l.Placeholders()
	r := strings.NewReplacer(es.Email, here.Email, es.Phone, here.Phone, es.DPI, here.DPI, es.Address, here.Address)
	if q.Samples != nil {
		c.Samples = make([]string, len(q.Samples))
		for i, s := range q.Samples {
			c.Samples[i] = r.Replace(s)
		}
	}
	if q.Themes != nil {
		c.Themes = make([]Theme, len(q.Themes))
		for i, th := range q.Themes {
			th.Examples = slices.Clone(th.Examples)
			for j, e := range th.Examples {
				th.Examples[j] = r.Replace(e)
			}
			c.Themes[i] = th
		}
	}
	return &c
}

// Placeholders are the scrubber's placeholders in the labels' language.
func (l Labels) Placeholders() Placeholders {
	return Placeholders{Email: l.Loc.T("report.scrubbed.email"), Phone: l.Loc.T("report.scrubbed.phone"),
		DPI: l.Loc.T("report.scrubbed.dpi"), Address: l.Loc.T("report.scrubbed.address")}
}

// optionLabel is the label of option value of question qid: the form's
// translation, the Spanish of an earlier version, "Other" for the other
// choice, or the value itself (scale points without labels).
func (l Labels) optionLabel(form, qid, value, spanish string) string {
	if value == "other" && spanish == "" {
		return l.Loc.T("form.other")
	}
	fallback := spanish
	if fallback == "" {
		fallback = value
	}
	return l.t(form+".q."+qid+".opt."+value, fallback)
}

// bucketLabel names a time bucket by its first day: "5 ene" for days and
// weeks, "ene 2026" for months.
func (l Labels) bucketLabel(key, interval string) string {
	t, err := time.Parse("2006-01-02", key)
	if err != nil {
		return key
	}
	if interval == "month" {
		return l.Loc.T("report.date.month_year", map[string]any{"Month": l.monthShort(t.Month()), "Year": t.Year()})
	}
	return l.Loc.T("report.date.day_month", map[string]any{"Day": t.Day(), "Month": l.monthShort(t.Month())})
}

func (l Labels) monthShort(m time.Month) string {
	names := strings.Fields(l.Loc.T("report.months.short"))
	if len(names) != 12 {
		return m.String()[:3]
	}
	return names[m-1]
}

func (l Labels) monthLong(m time.Month) string {
	names := strings.Fields(l.Loc.T("report.months.long"))
	if len(names) != 12 {
		return m.String()
	}
	return names[m-1]
}

// Date writes a day in full in the labels' language ("1 de enero de 2026").
func (l Labels) Date(t time.Time) string {
	t = t.In(l.location())
	return l.Loc.T("report.date.long", map[string]any{"Day": t.Day(), "Month": l.monthLong(t.Month()), "Year": t.Year()})
}

// Period writes [from, to) as the days it covers ("1 de enero de 2026 – 30
// de junio de 2026"): to is exclusive, so the last day shown is the day
// before it.
func (l Labels) Period(from, to time.Time) string {
	last := to.In(l.location()).Add(-time.Nanosecond)
	return l.Date(from) + " – " + l.Date(last)
}

// PageLabel is how a page is named in tables: its address without the scheme
// ("www.mineduc.gob.gt/portal/estadisticas").
func PageLabel(page string) string {
	_, rest, ok := strings.Cut(page, "://")
	if !ok {
		return page
	}
	return rest
}
