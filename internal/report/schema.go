package report

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/consulta/consulta/internal/forms"
)

// VersionSource gives the definitions of a form's earlier versions, as the app
// stores them at start-up (the JSON of forms.Form). *store.Store is one. It is
// optional: without it, answers to questions that the current version lacks
// are still counted, typed from their values.
type VersionSource interface {
	FormVersion(ctx context.Context, formID string, version int) ([]byte, error)
}

// schema tells, for every answer key a form's responses may hold, what the
// question was: the current form's questions first, then those that only
// earlier versions asked.
type schema struct {
	form     *forms.Form
	order    []*qinfo
	byKey    map[string]*qinfo
	personal map[string]bool // keys that are contact data in some version
}

// qinfo is what the aggregation knows of one answer key.
type qinfo struct {
	key     string
	typ     forms.QuestionType
	label   string
	parent  string // for the "other" text of a multiple question
	retired bool
	min     int
	max     int
	options []forms.Option
	// retiredOpts are option values that the current version no longer has.
	retiredOpts map[string]bool
	// inferred marks a key found in no definition: its type came from the
	// first value seen.
	inferred bool
}

// skipped types are never aggregated: contact data even when a form forgot to
// mark it personal.
func skipped(t forms.QuestionType) bool {
	return t == forms.TypeEmail || t == forms.TypePhone
}

// newSchema builds the schema of f, reading earlier versions from vs when
// given. A version that cannot be read or decoded is skipped (its answers are
// then typed from their values, see infer): a report must not fail because of
// history.
func newSchema(ctx context.Context, f *forms.Form, vs VersionSource) *schema {
	s := &schema{form: f, byKey: map[string]*qinfo{}, personal: map[string]bool{}}
	s.addVersion(f, false)
	for v := f.Version - 1; v >= 1; v-- {
		if old := readVersion(ctx, vs, f.ID, v); old != nil {
			s.addVersion(old, true)
		}
	}
	// A key personal in any version is never aggregated.
	kept := s.order[:0]
	for _, qi := range s.order {
		if !s.personal[qi.key] {
			kept = append(kept, qi)
		} else {
			delete(s.byKey, qi.key)
		}
	}
	s.order = kept
	return s
}

func readVersion(ctx context.Context, vs VersionSource, formID string, v int) *forms.Form {
	if vs == nil {
		return nil
	}
	data, err := vs.FormVersion(ctx, formID, v)
	if err != nil || len(data) == 0 {
		return nil
	}
	var old forms.Form
	if json.Unmarshal(data, &old) != nil || old.ID != formID {
		return nil
	}
	return &old
}

// addVersion adds the questions of one definition; retired says it is an
// earlier version (so its new keys and options are retired ones).
func (s *schema) addVersion(f *forms.Form, retired bool) {
	for _, q := range f.Questions {
		if q.Personal || skipped(q.Type) {
			s.personal[q.ID] = true
			s.personal[q.OtherID()] = true
			continue
		}
		s.merge(q, retired)
		if q.Type == forms.TypeMultiple && q.Other {
			s.mergeOther(q, retired)
		}
	}
}

func (s *schema) merge(q *forms.Question, retired bool) {
	qi, ok := s.byKey[q.ID]
	if !ok {
		qi = &qinfo{key: q.ID, typ: q.Type, label: q.Label, retired: retired, retiredOpts: map[string]bool{}}
		qi.min, qi.max = q.ScaleRange()
		s.byKey[q.ID] = qi
		s.order = append(s.order, qi)
	}
	for _, o := range q.Options {
		if !hasOption(qi.options, o.Value) {
			qi.options = append(qi.options, o)
			if retired && !qi.retired {
				qi.retiredOpts[o.Value] = true
			}
		}
	}
	if q.Type == forms.TypeMultiple && q.Other && !hasOption(qi.options, forms.OtherValue) {
		qi.options = append(qi.options, forms.Option{Value: forms.OtherValue})
		if retired && !qi.retired {
			qi.retiredOpts[forms.OtherValue] = true
		}
	}
}

func (s *schema) mergeOther(q *forms.Question, retired bool) {
	key := q.OtherID()
	if _, ok := s.byKey[key]; ok {
		return
	}
	qi := &qinfo{key: key, typ: forms.TypeText, label: q.Label, parent: q.ID, retired: retired}
	s.byKey[key] = qi
	s.order = append(s.order, qi)
}

func hasOption(opts []forms.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// ordered lists the questions: the known ones in schema order, then those
// typed from their values, by key.
func (s *schema) ordered() []*qinfo {
	var known, inferred []*qinfo
	for _, qi := range s.order {
		if qi.inferred {
			inferred = append(inferred, qi)
		} else {
			known = append(known, qi)
		}
	}
	sort.Slice(inferred, func(i, j int) bool { return inferred[i].key < inferred[j].key })
	return append(known, inferred...)
}

// infer adds a key that no definition knows, typed from a value. It returns
// nil for keys that must not be aggregated.
func (s *schema) infer(key string, v any) *qinfo {
	if s.personal[key] {
		return nil
	}
	var t forms.QuestionType
	switch v.(type) {
	case string:
		t = forms.TypeText // never publish unknown strings as categories
	case []string:
		t = forms.TypeMultiple
	case bool:
		t = forms.TypeYesNo
	case float64:
		t = forms.TypeNumber
	default:
		if _, ok := asGeo(v); ok {
			t = forms.TypeGeo
		} else {
			s.personal[key] = true // unknown shape: leave it out
			return nil
		}
	}
	qi := &qinfo{key: key, typ: t, label: key, retired: true, inferred: true, retiredOpts: map[string]bool{}}
	s.byKey[key] = qi
	s.order = append(s.order, qi)
	return qi
}
