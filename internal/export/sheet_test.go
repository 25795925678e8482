package export

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/geo"
)

// testPlaces names the one department and municipality of testResponse.
type testPlaces struct{}

func (testPlaces) Department(code string) (geo.Department, bool) {
	return geo.Department{Code: code, Name: "Guatemala"}, code == "01"
}

func (testPlaces) Municipality(code string) (geo.Municipality, bool) {
	return geo.Municipality{Code: code, Name: "Ciudad"}, code == "0101"
}

// sheetCSV writes testResponse as a Sheet CSV and returns its header and row
// as a map.
func sheetCSVRow(t *testing.T, labels bool) map[string]string {
	t.Helper()
	loc := time.FixedZone("UTC-6", -6*3600)
	texts := map[string]string{"export.col.received": "Recibida", "export.col.status": "Estado",
		"export.col.department": "Departamento", "report.status.new": "Nueva", "form.other": "Otro"}
	s := &Sheet{Labels: labels, Location: loc, Places: testPlaces{},
		T: func(id string) string {
			if v, ok := texts[id]; ok {
				return v
			}
			return id
		}}
	var buf bytes.Buffer
	w, err := NewSheet(FormatCSV, &buf, testForm(), false, s)
	if err != nil {
		t.Fatal(err)
	}
	r, c := testResponse()
	r.Tags = []string{"aulas"}
	if err := w.Write(r, c); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v, %d rows", err, len(rows))
	}
	out := map[string]string{}
	for i, h := range rows[0] {
		out[h] = rows[1][i]
	}
	return out
}

// TestSheetCSV: local times with their offset, labels or codes as asked,
// the triage's fields, formula-like answers defused, no contact columns.
func TestSheetCSV(t *testing.T) {
	lab := sheetCSVRow(t, true)
	for h, want := range map[string]string{
		"Recibida (UTC-6, UTC-06:00)": "2026-10-03 09:04:05-06:00",
		"Estado":                      "Nueva",
		"Departamento":                "Guatemala",
		"export.col.tags":             "aulas",
		"form.f.q.topic.label":        "Presupuesto",
		"form.f.q.needs.label [PDF]":  "1",
		"form.f.q.needs.label [CSV]":  "0",
		"form.f.q.needs.label [Otro]": "1",
		"form.f.q.needs.label (Otro)": "API",
		"form.f.q.comment.label":      `'=HYPERLINK("http://x")`,
		"form.f.q.score.label":        "7",
	} {
		if got, ok := lab[h]; !ok || got != want {
			t.Errorf("labels: %q = %q, want %q (%v)", h, got, want, lab)
		}
	}
	codes := sheetCSVRow(t, false)
	for h, want := range map[string]string{"Estado": "new", "Departamento": "01", "topic": "budget",
		"place (form.municipality)": "0101", "needs [pdf]": "1"} {
		if got := codes[h]; got != want {
			t.Errorf("codes: %q = %q, want %q (%v)", h, got, want, codes)
		}
	}
	for h := range codes {
		if h == "email" {
			t.Error("a contact column without contacts")
		}
	}
}
