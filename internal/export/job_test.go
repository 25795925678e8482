package export

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// fakeSource serves the test response and its contact, and records the
// filter it was asked for.
type fakeSource struct{ asked consulta.ResponseFilter }

func (s *fakeSource) EachResponse(_ context.Context, f consulta.ResponseFilter, _ []string, fn func(*consulta.Response) error) error {
	s.asked = f
	r, _ := testResponse()
	r.HasContact = true
	return fn(r)
}

func (s *fakeSource) Contact(context.Context, string) (*consulta.Contact, error) {
	_, c := testResponse()
	return c, nil
}

// TestResponses: the export reads the filter it is given, always of its own
// form, and the contact data only when asked to.
func TestResponses(t *testing.T) {
	for _, contacts := range []bool{false, true} {
		src := &fakeSource{}
		var buf bytes.Buffer
		n, err := Responses(src, testForm(), consulta.ResponseFilter{FormID: "another", Lang: "en"}, FormatCSV, contacts).
			Write(context.Background(), &buf)
		if err != nil || n != 1 {
			t.Fatalf("n %d err %v", n, err)
		}
		if src.asked.FormID != "f" || src.asked.Lang != "en" {
			t.Errorf("filter %+v: want form f, lang en", src.asked)
		}
		if got := strings.Contains(buf.String(), "ana@example.org"); got != contacts {
			t.Errorf("contacts %v: e-mail in the export %v", contacts, got)
		}
	}
}
