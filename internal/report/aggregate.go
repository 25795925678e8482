package report

import (
	"encoding/json"
	"time"

	"github.com/consulta/consulta/internal/forms"
)

// Aggregate is the published summary of a form's responses over a period (or
// of one focus-group session): every count in it has already been through the
// privacy rules (Count.Suppressed). It feeds the PDF report, /datos and the
// workspace. Labels hold the Spanish source texts until Localize fills them in
// another language; channel, language, status and yes/no labels are filled by
// Localize only.
type Aggregate struct {
	FormID      string     `json:"form"`
	FormVersion int        `json:"form_version"`
	Kind        forms.Kind `json:"kind"`
	Title       string     `json:"title"`
	// From and To bound the period, [From, To); zero when open (a session).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Session is the focus-group session code of a session summary.
	Session string `json:"session,omitempty"`
	// K is the suppression threshold applied.
	K int `json:"k"`
	// Interval is the bucket of Series: "week" or "month".
	Interval string `json:"interval,omitempty"`

	Responses   Count  `json:"responses"`
	Channels    []Cell `json:"channels"`
	Languages   []Cell `json:"languages"`
	Departments []Cell `json:"departments,omitempty"`
	// Pages are the embedding pages with the most responses, then the rest
	// together (Key "" = other pages or none). Absent for page-feedback forms,
	// whose PageRanking says more.
	Pages    []Cell `json:"pages,omitempty"`
	Statuses []Cell `json:"statuses,omitempty"`
	// Series counts responses per Interval; Key is the bucket's first day
	// (YYYY-MM-DD in the report's time zone).
	Series    []Cell            `json:"series,omitempty"`
	Questions []*QuestionResult `json:"questions"`
	// PageRanking ranks pages by their share of "no" answers to the
	// usefulness question (page-feedback forms only).
	PageRanking *PageRanking `json:"page_ranking,omitempty"`
	// Needs crosses the information sought with how hard it is to find
	// (needs-assessment forms only).
	Needs *NeedsTable `json:"needs,omitempty"`
	// Previous is the same aggregate over the period of the same length just
	// before (nil for sessions and open data).
	Previous *Aggregate `json:"previous,omitempty"`
}

// Count is a published count. When Suppressed, N is zero and must not be
// shown: the true count was under k, or would let one under k be recomputed.
type Count struct {
	N          int64
	Suppressed bool
}

// published clears N of a suppressed count, so that it cannot leak.
func (c Count) published() Count {
	if c.Suppressed {
		return Count{Suppressed: true}
	}
	return c
}

// MarshalJSON writes {"n": 12} or {"n": null, "suppressed": true}.
func (c Count) MarshalJSON() ([]byte, error) {
	return json.Marshal(c.fields())
}

type countFields struct {
	N          *int64 `json:"n"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

func (c Count) fields() countFields {
	if c.Suppressed {
		return countFields{Suppressed: true}
	}
	n := c.N
	return countFields{N: &n}
}

// Percent is 100·c/base, and false when either is suppressed or base is 0.
func (c Count) Percent(base Count) (float64, bool) {
	if c.Suppressed || base.Suppressed || base.N == 0 {
		return 0, false
	}
	return 100 * float64(c.N) / float64(base.N), true
}

// Cell is one row of a table: a category and its count.
type Cell struct {
	Key   string
	Label string
	Count
	// Retired marks an option that the current form version no longer offers.
	Retired bool
}

// MarshalJSON writes {"key", "label", "n", "suppressed", "retired"} flat.
func (c Cell) MarshalJSON() ([]byte, error) {
	f := c.fields()
	return json.Marshal(struct {
		Key        string `json:"key"`
		Label      string `json:"label,omitempty"`
		N          *int64 `json:"n"`
		Suppressed bool   `json:"suppressed,omitempty"`
		Retired    bool   `json:"retired,omitempty"`
	}{c.Key, c.Label, f.N, f.Suppressed, c.Retired})
}

// QuestionResult aggregates the answers to one question.
type QuestionResult struct {
	ID    string             `json:"id"`
	Type  forms.QuestionType `json:"type"`
	Label string             `json:"label"`
	// Parent is set on the "other" text of a multiple question: the id of
	// that question.
	Parent string `json:"parent,omitempty"`
	// Retired marks a question that the current form version no longer asks
	// (its label comes from the last version that did).
	Retired bool `json:"retired,omitempty"`
	// Answered counts the responses that answer the question.
	Answered Count `json:"answered"`
	// Options is the distribution of a single, multiple, yes/no, scale, rating
	// or geo (department) question. For multiple questions a response counts
	// once per option chosen, so options add up to more than Answered.
	Options []Cell `json:"options,omitempty"`
	// Mean of a scale, rating or number question; nil when withheld.
	Mean *float64 `json:"mean,omitempty"`
	// Min and Max of a scale or rating (for "3.4 out of 5").
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// Terms are the most frequent words of text answers, each used by k
	// answers or more.
	Terms []Term `json:"terms,omitempty"`
	// Samples are a few text answers with personal data scrubbed. Not part of
	// open data.
	Samples []string `json:"-"`
	// SampleAnswers[i] is the author of Samples[i]'s answer to the
	// usefulness question of a page-feedback form ("true" or "false"), so
	// that a comment is read with the Sí or No it explains; "" otherwise.
	SampleAnswers []string `json:"-"`
	// Themes summarise the text answers: stems and phrases used by k answers
	// or more, with example answers (scrubbed) and their trend against the
	// previous period. Not part of open data, which keeps Terms.
	Themes []Theme `json:"-"`
}

// Categorical reports whether the question has an Options distribution.
func (q *QuestionResult) Categorical() bool {
	switch q.Type {
	case forms.TypeSingle, forms.TypeMultiple, forms.TypeYesNo, forms.TypeConsent,
		forms.TypeScale, forms.TypeRating, forms.TypeGeo:
		return true
	}
	return false
}

// Text reports whether the question takes free text.
func (q *QuestionResult) Text() bool {
	return q.Type == forms.TypeText || q.Type == forms.TypeTextarea
}

// Question returns the result of the question with the given id, or nil.
func (a *Aggregate) Question(id string) *QuestionResult {
	for _, q := range a.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// PageRanking is the page-feedback table: for each page, how many answered
// the usefulness question and how many said no.
type PageRanking struct {
	Question string    `json:"question"`
	Rows     []PageRow `json:"rows"`
}

// PageRow is one page of the ranking. Page "" gathers the pages with fewer
// than k answers, or beyond the ranking's length, and answers without a page.
type PageRow struct {
	Page  string `json:"page"`
	Total Count  `json:"total"`
	No    Count  `json:"no"`
	Yes   Count  `json:"yes"`
	// Comments are a few answers, scrubbed, of those who said "no" on this
	// page to the form's first text question (what they were looking for);
	// only on a named page whose "no" count is published. Not part of open
	// data.
	Comments []string `json:"-"`
}

// NoShare is the percentage of "no" answers of the row, if published.
func (r PageRow) NoShare() (float64, bool) { return r.No.Percent(r.Total) }

// NeedsTable answers "what information is most sought and least found" for a
// needs-assessment form: for each option of the form's first multiple
// question (the information sought), how many of those who chose it rated the
// form's first scale question (how easy it is to find), and how many of them
// gave it a low rating (HardMax or less: "difficult" or "very difficult" on a
// 1-5 scale).
type NeedsTable struct {
	Question string    `json:"question"`
	Scale    string    `json:"scale"`
	HardMax  int       `json:"hard_max"`
	Rows     []NeedRow `json:"rows"`
}

// NeedRow is one kind of information of the NeedsTable.
type NeedRow struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	Rated Count  `json:"rated"`
	Hard  Count  `json:"hard"`
}

// HardShare is the percentage of Rated that found it hard, if published.
func (r NeedRow) HardShare() (float64, bool) { return r.Hard.Percent(r.Rated) }
