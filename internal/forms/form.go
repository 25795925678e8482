// Package forms defines Consulta's form format (forms/*.yaml), loads and validates
// form files, evaluates show_if conditions and validates submitted answers. It is
// pure domain code: no HTTP, no database.
package forms

import "time"

// Kind is what a form is for.
type Kind string

// Form kinds (docs/forms.md).
const (
	KindSuggestion      Kind = "suggestion"
	KindNeedsAssessment Kind = "needs_assessment"
	KindPageFeedback    Kind = "page_feedback"
	KindSurvey          Kind = "survey"
)

// QuestionType is the type of a question; it fixes the JSON type of its answer.
type QuestionType string

// Question types (docs/forms.md, "Question types and answer values").
const (
	TypeSingle   QuestionType = "single"   // string, one of Options
	TypeMultiple QuestionType = "multiple" // []string, subset of Options (+ "other" text)
	TypeText     QuestionType = "text"     // string
	TypeTextarea QuestionType = "textarea" // string
	TypeScale    QuestionType = "scale"    // integer Min..Max (default 1..5), labelled
	TypeRating   QuestionType = "rating"   // integer 0..10
	TypeYesNo    QuestionType = "yesno"    // bool
	TypeNumber   QuestionType = "number"   // float64 within Min..Max
	TypeEmail    QuestionType = "email"    // string
	TypePhone    QuestionType = "phone"    // string
	TypeGeo      QuestionType = "geo"      // consulta.Geo
	TypeConsent  QuestionType = "consent"  // bool; when required, must be true
)

// Form is one loaded form definition. Texts are the Spanish source; translations
// come from locales/ through the i18n package, keyed by MessageIDs.
type Form struct {
	ID          string   `yaml:"id" json:"id"`
	Version     int      `yaml:"version" json:"version"`
	Kind        Kind     `yaml:"kind" json:"kind"`
	Title       string   `yaml:"title" json:"title"`
	Description string   `yaml:"description" json:"description,omitempty"`
	ThankYou    string   `yaml:"thank_you" json:"thank_you,omitempty"`
	Origins     []string `yaml:"origins" json:"origins,omitempty"`
	// MinFillTime is the form's own least time between its page load and a
	// submission (nil: the server's CONSULTA_MIN_FILL_TIME). 0 suits one-tap
	// questions, which a person answers at once.
	MinFillTime *time.Duration `yaml:"min_fill_time" json:"min_fill_time,omitempty"`
	Questions   []*Question    `yaml:"questions" json:"questions"`

	// File is the path the form was loaded from (for messages).
	File string `yaml:"-" json:"-"`
}

// Question is one question of a form.
type Question struct {
	ID       string       `yaml:"id" json:"id"`
	Type     QuestionType `yaml:"type" json:"type"`
	Required bool         `yaml:"required" json:"required,omitempty"`
	Label    string       `yaml:"label" json:"label"`
	Help     string       `yaml:"help" json:"help,omitempty"`
	Options  []Option     `yaml:"options" json:"options,omitempty"`
	// Display is "radio" (default) or "select" for single questions.
	Display string `yaml:"display" json:"display,omitempty"`
	// Other adds a free-text "other" choice to a multiple question; its text is
	// answered under the id "<question>_other".
	Other bool `yaml:"other" json:"other,omitempty"`
	// Min and Max bound scale (default 1..5), rating (fixed 0..10) and number
	// answers, and the count of choices of a multiple question.
	Min *float64 `yaml:"min" json:"min,omitempty"`
	Max *float64 `yaml:"max" json:"max,omitempty"`
	// MaxLength bounds text answers in characters (defaults: text 200,
	// textarea 2000, email 254, phone 30).
	MaxLength int `yaml:"max_length" json:"max_length,omitempty"`
	// Personal marks contact data: stored apart, never in reports or open data.
	Personal bool       `yaml:"personal" json:"personal,omitempty"`
	ShowIf   *Condition `yaml:"show_if" json:"show_if,omitempty"`
	// RequiredIf makes a question required only when the condition holds on
	// the earlier answers (same rules as ShowIf): "Sí" to a reply makes a
	// contact required. It adds to Required, which is "always".
	RequiredIf *Condition `yaml:"required_if" json:"required_if,omitempty"`

	// Line is the line of the question in its file (for messages).
	Line int `yaml:"-" json:"-"`
}

// Option is one choice of a single or multiple question, or the label of one
// point of a scale (Value "1".."N").
type Option struct {
	Value string `yaml:"value" json:"value"`
	Label string `yaml:"label" json:"label"`
}

// Condition decides whether a question is shown, from answers to earlier
// questions. Exactly one of its forms is set: a leaf on Question (with Equals,
// In or Answered), or a combination All / Any of nested conditions.
type Condition struct {
	Question string       `yaml:"question" json:"question,omitempty"`
	Equals   any          `yaml:"equals" json:"equals,omitempty"`
	In       []string     `yaml:"in" json:"in,omitempty"`
	Answered *bool        `yaml:"answered" json:"answered,omitempty"`
	All      []*Condition `yaml:"all" json:"all,omitempty"`
	Any      []*Condition `yaml:"any" json:"any,omitempty"`
}
