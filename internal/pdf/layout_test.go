package pdf

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func layoutDocument(sections []Section) *Document {
	return &Document{Lang: "es", Title: "Prueba", Created: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		Header: "Prueba", Footer: "Consulta", PageLabel: "Página %d de %s",
		Cover: Cover{Title: "Prueba"}, Sections: sections}
}

// TestNoteKeepsRows: a table's note, a bar chart's note and the last comment
// of a list never stand alone on a page: whatever the length of the block,
// the page holding the note also holds at least two of its rows, bars or
// comments.
func TestNoteKeepsRows(t *testing.T) {
	var blocks []Block
	for n := 1; n <= 40; n++ {
		rows := make([][]string, n)
		for i := range rows {
			rows[i] = []string{fmt.Sprintf("fila%d-%d", n, i), "17"}
		}
		blocks = append(blocks, &Table{Title: fmt.Sprintf("Tabla %d", n), Header: []string{"A", "B"}, Rows: rows,
			Note: fmt.Sprintf("notatabla%d.", n)})
		bars := make([]Bar, n%9+1)
		for i := range bars {
			bars[i] = Bar{Label: fmt.Sprintf("barra%d-%d", n, i), Value: "3", Fraction: 0.3}
		}
		blocks = append(blocks, &BarChart{Title: fmt.Sprintf("Barras %d", n), Bars: bars, Note: fmt.Sprintf("notabarras%d.", n)})
		quotes := make([]string, n%7+1)
		for i := range quotes {
			quotes[i] = fmt.Sprintf("comentario%d-%d %s", n, i, strings.Repeat("palabra ", 12))
		}
		blocks = append(blocks, &Quotes{Title: fmt.Sprintf("Comentarios %d", n), Items: quotes, Note: fmt.Sprintf("notacomentarios%d.", n)})
	}
	path := writeSample(t, layoutDocument([]Section{{Title: "Bloques", Blocks: blocks}}))
	pages := strings.Split(run(t, "pdftotext", "-layout", path, "-"), "\f")
	checked := 0
	for p, page := range pages {
		for _, kind := range []struct{ note, item string }{{"notatabla", "fila"}, {"notabarras", "barra"}, {"notacomentarios", "comentario"}} {
			for _, m := range regexp.MustCompile(kind.note+`(\d+)\.`).FindAllStringSubmatch(page, -1) {
				checked++
				n, _ := strconv.Atoi(m[1])
				items := regexp.MustCompile(kind.item+m[1]+`-\d+`).FindAllString(page, -1)
				total := map[string]int{"fila": n, "barra": n%9 + 1, "comentario": n%7 + 1}[kind.item]
				if len(items) < min(2, total) {
					t.Errorf("page %d: %s%s with %d of its items", p+1, kind.note, m[1], len(items))
				}
			}
		}
	}
	if checked != 120 {
		t.Errorf("%d notes found, want 120", checked)
	}
}

// TestFiguresAndValuesWhole: a key figure's long label is written whole
// (wrapped, never cut with …), and the values over the columns of a weekly
// chart are horizontal even when they are wider than a column.
func TestFiguresAndValuesWhole(t *testing.T) {
	label := "respondió «Sí» a «¿Le gustaría participar en un grupo focal sobre la información del Ministerio de Educación?»"
	var cols []Bar
	for i := range 27 {
		cols = append(cols, Bar{Label: fmt.Sprintf("%d jun", i+1), Value: fmt.Sprintf("1,%03d", 200+i), Fraction: 0.5 + float64(i%5)/10})
	}
	path := writeSample(t, layoutDocument([]Section{{Title: "Cifras", Blocks: []Block{
		&KeyFigures{Items: []Figure{{Value: "31.8 %", Label: label, Note: "Periodo anterior: 30.4 % (cambio: +1.5)"}, {Value: "900", Label: "respuestas"}}},
		&ColumnChart{Title: "Respuestas por semana", Columns: cols},
	}}}))
	if dir := os.Getenv("CONSULTA_REPORT_DIR"); dir != "" {
		data, _ := os.ReadFile(path)
		_ = os.WriteFile(filepath.Join(dir, "figures.pdf"), data, 0o644)
	}
	text := strings.Join(strings.Fields(run(t, "pdftotext", path, "-")), " ")
	if !strings.Contains(text, label) || strings.Contains(text, "…") {
		t.Errorf("the key figure's label is not whole:\n%s", text)
	}
	words := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(1,2\d\d)</word>`).
		FindAllStringSubmatch(run(t, "pdftotext", "-bbox", path, "-"), -1)
	if len(words) != len(cols) {
		t.Errorf("%d column values found, want %d", len(words), len(cols))
	}
	for _, w := range words {
		x0, _ := strconv.ParseFloat(w[1], 64)
		y0, _ := strconv.ParseFloat(w[2], 64)
		x1, _ := strconv.ParseFloat(w[3], 64)
		y1, _ := strconv.ParseFloat(w[4], 64)
		if x1-x0 < y1-y0 {
			t.Errorf("value %s is not horizontal (%.1f wide, %.1f high)", w[5], x1-x0, y1-y0)
		}
	}
}
