package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

func testForm() *forms.Form {
	return &forms.Form{ID: "f", Version: 2, Questions: []*forms.Question{
		{ID: "topic", Type: forms.TypeSingle, Options: []forms.Option{{Value: "budget", Label: "Presupuesto"}, {Value: "schools", Label: "Escuelas"}}},
		{ID: "needs", Type: forms.TypeMultiple, Other: true, Options: []forms.Option{{Value: "csv", Label: "CSV"}, {Value: "pdf", Label: "PDF"}}},
		{ID: "place", Type: forms.TypeGeo},
		{ID: "comment", Type: forms.TypeTextarea},
		{ID: "score", Type: forms.TypeRating},
		{ID: "email", Type: forms.TypeEmail, Personal: true},
	}}
}

func testResponse() (*consulta.Response, *consulta.Contact) {
	r := &consulta.Response{ID: "r1", FormID: "f", FormVersion: 2, Lang: "es", Channel: consulta.ChannelWidget,
		ReceivedAt: time.Date(2026, 10, 3, 15, 4, 5, 0, time.UTC), Status: consulta.StatusNew, Department: "01",
		Answers: map[string]any{"topic": "budget", "needs": []string{"pdf", "other"}, "needs_other": "API",
			"place": consulta.Geo{Department: "01", Municipality: "0101"}, "comment": "=HYPERLINK(\"http://x\")",
			"score": float64(7)}}
	return r, &consulta.Contact{ID: "r1", FormID: "f", Fields: map[string]any{"email": "ana@example.org"}}
}

func writeCSV(t *testing.T, withContacts bool) [][]string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(FormatCSV, &buf, testForm(), withContacts)
	if err != nil {
		t.Fatal(err)
	}
	r, c := testResponse()
	if err := w.Write(r, c); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Fatal("no UTF-8 byte-order mark: Excel would misread accents")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCSVColumns(t *testing.T) {
	rows := writeCSV(t, false)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	cell := map[string]string{}
	for i, h := range rows[0] {
		cell[h] = rows[1][i]
	}
	tests := []struct{ column, want string }{
		{"id", "r1"},
		{"received_at", "2026-10-03T15:04:05Z"},
		{"topic", "budget"},
		{"topic.label", "Presupuesto"},
		{"needs.csv", "0"},
		{"needs.pdf", "1"},
		{"needs.other", "1"},
		{"needs_other", "API"},
		{"place.department", "01"},
		{"place.municipality", "0101"},
		{"score", "7"},
		{"comment", "'=HYPERLINK(\"http://x\")"},
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			got, ok := cell[tt.column]
			if !ok || got != tt.want {
				t.Fatalf("%s = %q (present %v), want %q", tt.column, got, ok, tt.want)
			}
		})
	}
	if _, ok := cell["email"]; ok {
		t.Fatal("contact column exported without contacts")
	}
}

func TestCSVWithContacts(t *testing.T) {
	rows := writeCSV(t, true)
	for i, h := range rows[0] {
		if h == "email" {
			if rows[1][i] != "ana@example.org" {
				t.Fatalf("email %q", rows[1][i])
			}
			return
		}
	}
	t.Fatal("no email column for an admin export")
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hola", "hola"},
		{"=1+1", "'=1+1"},
		{"+502 5555 1234", "'+502 5555 1234"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"\nx", "'\nx"},
		{"a=b", "a=b"},
		{"\ufeff=cmd", "'\ufeff=cmd"},
		{" =1+1", "' =1+1"},
		{"   +1", "'   +1"},
		{"\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"},
		{"\t-2", "'\t-2"},
		{"\r\n=1", "'\r\n=1"},
		{"\u2003\u3000=1", "'\u2003\u3000=1"},
		{"\u200b=1", "'\u200b=1"},
		{"\u202e=1", "'\u202e=1"},
		{"\x00=1", "'\x00=1"},
		{"\ufeff\u00a0 -1", "'\ufeff\u00a0 -1"},
		{"\uff1d1+1", "'\uff1d1+1"},
		{" hola", " hola"},
		{"\ufeffhola", "\ufeffhola"},
		{"\u00a0", "\u00a0"},
		{"1-2", "1-2"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			if got := Neutralize(tt.in); got != tt.want {
				t.Fatalf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestJSONLines(t *testing.T) {
	for _, withContacts := range []bool{false, true} {
		var buf bytes.Buffer
		w, _ := New(FormatJSONL, &buf, testForm(), withContacts)
		r, c := testResponse()
		w.Write(r, c)
		w.Write(r, c)
		w.Close()
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d lines", len(lines))
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
			t.Fatal(err)
		}
		_, hasContact := rec["contact"]
		if rec["id"] != "r1" || hasContact != withContacts {
			t.Fatalf("withContacts=%v: %v", withContacts, rec)
		}
	}
	if _, err := New("xlsx", &bytes.Buffer{}, testForm(), false); err == nil {
		t.Fatal("unknown format accepted")
	}
}
