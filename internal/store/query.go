package store

import (
	"context"
	"strings"

	"github.com/consulta/consulta/internal/consulta"
)

// condition is one equality condition of a filter on a stored field.
type condition struct{ field, value string }

// equalities are the equality conditions of f, in the order of the fields.
func equalities(f consulta.ResponseFilter) []condition {
	var out []condition
	for _, c := range []condition{
		{fieldForm, f.FormID}, {fieldLang, f.Lang}, {fieldDepartment, f.Department},
		{fieldSession, f.Session}, {fieldStatus, f.Status}, {fieldChannel, string(f.Channel)},
		{fieldAssignee, f.Assignee}, {fieldTags, f.Tag}, {fieldReply, f.Reply},
	} {
		if c.value != "" {
			out = append(out, c)
		}
	}
	return out
}

// equalityFields are the fields of f's equality conditions.
func equalityFields(f consulta.ResponseFilter) []string {
	var out []string
	for _, c := range equalities(f) {
		out = append(out, c.field)
	}
	return out
}

// EachResponse calls fn for every response matching f, oldest first (by
// received_at, then ID), streaming them so that memory does not grow with their
// number; an error from fn stops the stream and is returned. The whole stream
// has the stream deadline (Options.StreamTimeout), not the operation deadline.
//
// fields, when non-nil, lists the question IDs whose answers to keep; other
// answers are left out. The other fields of a response always come.
func (s *Store) EachResponse(ctx context.Context, f consulta.ResponseFilter, fields []string, fn func(*consulta.Response) error) error {
	if err := checkFields(fields); err != nil {
		return err
	}
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	return s.backend.eachResponse(ctx, f, func(r *consulta.Response) error {
		if text != nil && !text.matchesAny(r.Answers) {
			return nil
		}
		if fields != nil {
			r.Answers = keepOnly(r.Answers, fields)
		}
		return fn(r)
	})
}

// CountResponses counts the responses matching f exactly. Without a text
// filter it reads an index only; with one it reads every candidate, so the
// responses browser uses EstimateResponses instead.
func (s *Store) CountResponses(ctx context.Context, f consulta.ResponseFilter) (int64, error) {
	if f.Text != "" {
		var n int64
		err := s.EachResponse(ctx, f, []string{}, func(*consulta.Response) error { n++; return nil })
		return n, err
	}
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	n, _, err := s.backend.countResponses(ctx, f, 0, 0)
	return n, err
}

// checkFields refuses question IDs that would be read as paths or operators.
func checkFields(fields []string) error {
	for _, q := range fields {
		if q == "" || strings.ContainsAny(q, ".$") {
			return consulta.Errorf(consulta.EINVALID, "store: bad question id %q in projection", q)
		}
	}
	return nil
}

// keepOnly returns the answers to the listed questions.
func keepOnly(answers map[string]any, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, q := range fields {
		if v, ok := answers[q]; ok {
			out[q] = v
		}
	}
	return out
}
