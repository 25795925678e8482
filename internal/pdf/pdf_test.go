package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleDocument uses every kind of block and the characters the brief names:
// Spanish accents, ¿ ¡, and Mayan orthography (ä, ʼ U+02BC).
func sampleDocument() *Document {
	bars := []Bar{
		{Label: "Matrícula y estudiantes", Value: "1,234 (45.6 %)", Fraction: 0.456},
		{Label: "Ejecución presupuestaria por departamento y municipio, con detalle mensual", Value: "845 (31.2 %)", Fraction: 0.312},
		{Label: "Pactos colectivos", Value: "suprimido", Suppressed: true},
		{Label: "Otro", Value: "0 (0.0 %)"},
	}
	var cols []Bar
	for i := 0; i < 26; i++ {
		cols = append(cols, Bar{Label: "2026-" + string(rune('A'+i)), Value: "12", Fraction: float64(i%7+1) / 7})
	}
	cols[3].Suppressed = true
	rows := make([][]string, 60)
	for i := range rows {
		rows[i] = []string{"https://www.mineduc.gob.gt/portal/una-pagina-con-un-nombre-muy-largo-que-no-cabe/" + strings.Repeat("x", i), "17", "42.5 %"}
	}
	return &Document{
		Lang:      "es",
		Title:     "Informe de participación ciudadana",
		Subject:   "Necesidades de información",
		Author:    "Ministerio de Educación",
		Created:   time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC),
		Header:    "Informe · Necesidades de información · enero–junio 2026",
		Footer:    "Consulta",
		PageLabel: "Página %d de %s",
		Cover: Cover{
			Kicker:   "Ministerio de Educación · Portal de transparencia",
			Title:    "Informe semestral de participación ciudadana",
			Subtitle: "Evaluación de necesidades de información",
			Lines:    []string{"Periodo: 1 de enero – 30 de junio de 2026", "¿Qué dijo la ciudadanía? ¡Todo cuenta!"},
			Note:     "Este informe resume respuestas voluntarias; no es una muestra representativa.",
		},
		Sections: []Section{
			{Title: "Cifras clave", Blocks: []Block{&KeyFigures{Items: []Figure{
				{Value: "2,706", Label: "respuestas en el periodo", Note: "+12.0 % respecto al periodo anterior"},
				{Value: "3.4 / 5", Label: "facilidad para encontrar la información"},
				{Value: "62.5 %", Label: "encontró lo que buscaba"},
			}}}},
			{Title: "Preguntas", Intro: "Kʼicheʼ: Jasäs kʼo wi. Ñandú, pingüino, acción.", Blocks: []Block{
				&Heading{Text: "Qué información busca"},
				&BarChart{Title: "¿Qué datos busca?", Caption: "n = 2,706", Bars: bars, Note: "Las barras rayadas están suprimidas.", Bookmark: true},
				&ColumnChart{Title: "Respuestas por semana", Columns: cols, Bookmark: true},
				&Table{Title: "Páginas", Header: []string{"Página", "n", "No útil"}, Rows: rows, Widths: []float64{6, 1, 1.4}},
				&Quotes{Title: "Comentarios", Items: []string{"Necesito los datos por municipio 😀.", "Escríbame a [correo]."}},
				&Paragraph{Text: strings.Repeat("Texto de la nota metodológica. ", 80)},
				&Paragraph{Text: "Nota pequeña.", Small: true},
			}},
		},
	}
}

func writeSample(t *testing.T, d *Document) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install poppler-utils qpdf)", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func TestWrite(t *testing.T) {
	path := writeSample(t, sampleDocument())
	text := run(t, "pdftotext", "-layout", path, "-")
	fonts := run(t, "pdffonts", path)
	info := run(t, "pdfinfo", path)
	tests := []struct {
		name, haystack, needle string
	}{
		{"accents", text, "Matrícula y estudiantes"},
		{"inverted marks", text, "¿Qué dijo la ciudadanía? ¡Todo cuenta!"},
		{"mayan orthography", text, "Kʼicheʼ: Jasäs kʼo wi"},
		{"ñ and ü", text, "Ñandú, pingüino"},
		{"bar value", text, "1,234 (45.6 %)"},
		{"suppressed value", text, "suprimido"},
		{"key figure", text, "2,706"},
		{"page numbers", text, "Página 2 de "},
		{"table cell shortened", text, "https://www.mineduc.gob.gt/portal/una-pagina"},
		{"font embedded", fonts, "utf8dejavusans "},
		{"bold font embedded", fonts, "utf8dejavusansB "},
		{"title metadata", info, "Informe de participación ciudadana"},
		{"letter size", info, "612 x 792 pts (letter)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.haystack, tt.needle) {
				t.Errorf("%q not found in:\n%s", tt.needle, tt.haystack)
			}
		})
	}
	t.Run("fonts are embedded", func(t *testing.T) {
		for _, line := range strings.Split(fonts, "\n") {
			if strings.Contains(line, "dejavu") && !strings.Contains(line, "Identity-H       yes") {
				t.Errorf("font not embedded: %s", line)
			}
		}
	})
	t.Run("page count resolves", func(t *testing.T) {
		if strings.Contains(text, "{nb}") {
			t.Error("page-count alias left in the text")
		}
	})
	t.Run("qpdf check", func(t *testing.T) {
		run(t, "qpdf", "--check", path)
	})
	t.Run("language and outline in the catalog", func(t *testing.T) {
		js := run(t, "qpdf", "--json", "--json-key=qpdf", path)
		if !strings.Contains(js, `"/Lang": "es"`) && !strings.Contains(js, `"/Lang": "u:es"`) {
			t.Errorf("no /Lang es in catalog: %.400s", js)
		}
		if !strings.Contains(js, `"/Outlines"`) {
			t.Error("no outline (bookmarks) in catalog")
		}
	})
}

func TestWriteIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, sampleDocument()); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, sampleDocument()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same document gave different bytes")
	}
}

func TestWithLanguage(t *testing.T) {
	tests := []struct {
		name, lang string
		wantErr    bool
	}{
		{"spanish", "es", false},
		{"region", "es-GT", false},
		{"empty keeps the file", "", false},
		{"injection refused", "es) /Foo (x", true},
	}
	var buf bytes.Buffer
	if err := Write(&buf, &Document{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := withLanguage(buf.Bytes(), tt.lang)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && tt.lang != "" && !bytes.Contains(out, []byte("/Lang ("+tt.lang+")")) {
				t.Error("language missing")
			}
		})
	}
}
