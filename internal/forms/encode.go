package forms

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// Encode writes f as a form file laid out like the shipped ones (forms/*.yaml):
// the keys in the order docs/forms.md lists them, only the keys that are set,
// a blank line between questions, and header as comment lines on top. It is
// how tools that make forms (consulta forms import-xlsform) write them; what
// it writes parses back with Parse into the same form.
func Encode(f *Form, header string) ([]byte, error) {
	var buf bytes.Buffer
	if header = strings.TrimSpace(header); header != "" {
		for _, line := range strings.Split(header, "\n") {
			buf.WriteString(strings.TrimRight("# "+line, " \t"))
			buf.WriteByte('\n')
		}
	}
	var body bytes.Buffer
	enc := yaml.NewEncoder(&body)
	enc.SetIndent(2)
	if err := enc.Encode(encodedForm(f)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	// yaml.v3 writes no blank lines: put one before every question but the
	// first, as people write them.
	first := true
	for _, line := range strings.SplitAfter(body.String(), "\n") {
		if strings.HasPrefix(line, "  - id: ") {
			if !first {
				buf.WriteByte('\n')
			}
			first = false
		}
		buf.WriteString(line)
	}
	return buf.Bytes(), nil
}

// The yaml* types are a form as written: the same keys as Parse reads, each
// left out when it holds its default.
type yamlForm struct {
	ID          string         `yaml:"id"`
	Version     int            `yaml:"version"`
	Kind        Kind           `yaml:"kind"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description,omitempty"`
	ThankYou    string         `yaml:"thank_you,omitempty"`
	Origins     []string       `yaml:"origins,omitempty"`
	MinFillTime string         `yaml:"min_fill_time,omitempty"`
	Questions   []yamlQuestion `yaml:"questions"`
}

type yamlQuestion struct {
	ID         string         `yaml:"id"`
	Type       QuestionType   `yaml:"type"`
	Display    string         `yaml:"display,omitempty"`
	Required   bool           `yaml:"required,omitempty"`
	Other      bool           `yaml:"other,omitempty"`
	Personal   bool           `yaml:"personal,omitempty"`
	Min        *float64       `yaml:"min,omitempty"`
	Max        *float64       `yaml:"max,omitempty"`
	MaxLength  int            `yaml:"max_length,omitempty"`
	Label      string         `yaml:"label"`
	Help       string         `yaml:"help,omitempty"`
	Options    []Option       `yaml:"options,omitempty"`
	ShowIf     *yamlCondition `yaml:"show_if,omitempty"`
	RequiredIf *yamlCondition `yaml:"required_if,omitempty"`
}

type yamlCondition struct {
	Question string           `yaml:"question,omitempty"`
	Equals   any              `yaml:"equals,omitempty"`
	In       []string         `yaml:"in,omitempty,flow"`
	Answered *bool            `yaml:"answered,omitempty"`
	All      []*yamlCondition `yaml:"all,omitempty"`
	Any      []*yamlCondition `yaml:"any,omitempty"`
}

func encodedForm(f *Form) yamlForm {
	out := yamlForm{ID: f.ID, Version: f.Version, Kind: f.Kind, Title: f.Title,
		Description: f.Description, ThankYou: f.ThankYou, Origins: f.Origins}
	if f.MinFillTime != nil {
		out.MinFillTime = f.MinFillTime.String()
	}
	for _, q := range f.Questions {
		out.Questions = append(out.Questions, yamlQuestion{ID: q.ID, Type: q.Type, Display: q.Display,
			Required: q.Required, Other: q.Other, Personal: q.Personal, Min: q.Min, Max: q.Max,
			MaxLength: q.MaxLength, Label: q.Label, Help: q.Help, Options: q.Options,
			ShowIf: encodedCondition(q.ShowIf), RequiredIf: encodedCondition(q.RequiredIf)})
	}
	return out
}

func encodedCondition(c *Condition) *yamlCondition {
	if c == nil {
		return nil
	}
	out := &yamlCondition{Question: c.Question, In: c.In, Answered: c.Answered}
	if c.Equals != nil {
		// Through a pointer, so that omitempty keeps "equals: false" and
		// "equals: 0".
		v := c.Equals
		out.Equals = &v
	}
	for _, sub := range c.All {
		out.All = append(out.All, encodedCondition(sub))
	}
	for _, sub := range c.Any {
		out.Any = append(out.Any, encodedCondition(sub))
	}
	return out
}
