package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

func TestOpenDataFiles(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	from, to, _ := semester(fx.loc)
	fx.seed(t, f, 800, from, to, 41)
	// Two responses in a language of their own: a small cell to hide.
	for i := range 2 {
		fx.insert(t, []*consulta.Response{{ID: "small-" + itoa(int64(i)), FormID: f.ID, FormVersion: 1, Lang: "mam",
			Channel: consulta.ChannelPage, ReceivedAt: from.Add(time.Hour), Status: consulta.StatusNew, RequestHash: "x",
			Answers: map[string]any{"role": "docente"}}}, nil)
	}
	a, err := OpenData(ctxT(t), fx.st, f, Semester{Year: 2026, Half: 1}, fx.options())
	if err != nil {
		t.Fatal(err)
	}
	if !a.From.Equal(from) || !a.To.Equal(to) || a.Previous != nil {
		t.Fatalf("period %v – %v, previous %v", a.From, a.To, a.Previous)
	}
	var csvBuf, jsonBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, a, fx.labels("es")); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jsonBuf, a, fx.labels("en")); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(csvBuf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	t.Run("CSV header", func(t *testing.T) {
		if strings.Join(rows[0], ",") != strings.Join(CSVHeader(), ",") {
			t.Errorf("header %v", rows[0])
		}
	})
	t.Run("CSV: no small count, suppressed rows empty", func(t *testing.T) {
		for _, r := range rows[1:] {
			suppressed := r[col["suppressed"]] == "true"
			count := r[col["count"]]
			if suppressed != (count == "") {
				t.Errorf("row %v: suppressed %v with count %q", r, suppressed, count)
			}
			if n, err := strconv.Atoi(count); err == nil && n > 0 && n < a.K {
				t.Errorf("row %v: small count", r)
			}
		}
	})
	t.Run("CSV has the figures and the small cell hidden", func(t *testing.T) {
		var total, mam []string
		for _, r := range rows[1:] {
			switch {
			case r[col["table"]] == "responses":
				total = r
			case r[col["table"]] == "language" && r[col["category"]] == "mam":
				mam = r
			}
		}
		if total == nil || total[col["count"]] != "802" || total[col["period_start"]] != "2026-01-01" || total[col["period_end"]] != "2026-06-30" {
			t.Errorf("responses row %v", total)
		}
		if mam == nil || mam[col["suppressed"]] != "true" {
			t.Errorf("mam row %v", mam)
		}
	})
	t.Run("JSON: no small count, labels in English, no samples", func(t *testing.T) {
		var v map[string]any
		if err := json.Unmarshal(jsonBuf.Bytes(), &v); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		published(t, a, func(path string, n *float64) {
			if n != nil && *n > 0 && *n < float64(a.K) {
				t.Errorf("%s: small count %v", path, *n)
			}
		})
		s := jsonBuf.String()
		if !strings.Contains(s, `"What education information do you need?"`) || strings.Contains(s, "samples") {
			t.Errorf("JSON: %.300s", s)
		}
	})
	t.Run("ETag follows the content", func(t *testing.T) {
		e1, e2 := ETag(csvBuf.Bytes()), ETag(jsonBuf.Bytes())
		if e1 == e2 || e1 != ETag(append([]byte(nil), csvBuf.Bytes()...)) || !strings.HasPrefix(e1, `"`) {
			t.Errorf("etags %s %s", e1, e2)
		}
	})
}
