package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// FuzzParse feeds the CSV importer arbitrary files for every shipped form: it must
// not panic, must either accept every data row or report problems on real rows,
// and never hold more than MaxRows rows.
func FuzzParse(f *testing.F) {
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		f.Fatal(err)
	}
	catalog, err := geo.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, fm := range reg.All() {
		f.Add([]byte("\ufeff" + strings.Join(Headers(fm), ",") + "\n"))
		f.Add([]byte(strings.Join(Headers(fm), ";") + "\n;;;\n"))
	}
	f.Add([]byte("useful,looking_for\ntrue,presupuesto\nfalse,\"varias\nlíneas\"\n"))
	f.Add([]byte("useful\tlooking_for\nsí\t\xff\n"))
	f.Add([]byte("location.department,location.municipality\n01,0101\n99,\n"))
	f.Add([]byte("\"unterminated\n"))
	im := &Importer{Geo: catalog, Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fm := range reg.All() {
			rows, res := im.parse(Request{Form: fm, Lang: "es", File: bytes.NewReader(data)}, data)
			if len(res.Errors) > 0 {
				for _, e := range res.Errors {
					if e.Row < 1 || e.Code == "" {
						t.Fatalf("%s: problem without row or code: %+v", fm.ID, e)
					}
				}
				continue
			}
			if len(rows) != res.Rows || res.Rows == 0 || res.Rows > MaxRows {
				t.Fatalf("%s: %d rows kept of %d read", fm.ID, len(rows), res.Rows)
			}
			for _, r := range rows {
				if r.response == nil || r.response.ID == "" || r.response.FormID != fm.ID {
					t.Fatalf("%s: row %d without a proper response: %+v", fm.ID, r.line, r.response)
				}
			}
		}
	})
}
