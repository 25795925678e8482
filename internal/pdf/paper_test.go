package pdf

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriteQuestionnaire reads a paper form back with pdftotext: every
// question numbered in order, every option on a line of its own, the code
// on the first page, and a second page when the questions do not fit.
func TestWriteQuestionnaire(t *testing.T) {
	q := &Questionnaire{Lang: "es", Title: "Cuestionario", Created: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		Heading: "Necesidades de información", Lines: []string{"Código de sesión: KQ7MXA"},
		Intro: "Marque con una X.", Header: "Cuestionario · KQ7MXA", PageLabel: "Página %d de %s"}
	for i := 1; i <= 14; i++ {
		q.Questions = append(q.Questions, PaperQuestion{Number: i, Label: "¿Pregunta número " + string(rune('A'+i-1)) + "?",
			Hint: "Marque una opción", Boxes: []string{"Matrícula", "Presupuesto", "Otro"}, Inline: []string{"1", "2", "3"}, Blanks: 1})
	}
	var buf bytes.Buffer
	if err := WriteQuestionnaire(&buf, q); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "q.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := run(t, "pdftotext", "-layout", path, "-")
	last := -1
	for i := 1; i <= 14; i++ {
		at := strings.Index(text, "¿Pregunta número "+string(rune('A'+i-1))+"?")
		if at < 0 || at < last {
			t.Fatalf("question %d missing or out of order:\n%s", i, text)
		}
		last = at
	}
	for _, want := range []string{"Código de sesión: KQ7MXA", "Página 2 de", "Cuestionario · KQ7MXA"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "Matrícula") && strings.Contains(l, "Presupuesto") {
			t.Errorf("two options on one line: %q", l)
		}
	}
	if info := run(t, "pdfinfo", path); !strings.Contains(info, "Title:") || !strings.Contains(info, "Cuestionario") {
		t.Errorf("pdfinfo: %s", info)
	}
}

// TestWriteHandout reads the handout back: the code (drawn spaced out, which
// pdftotext joins again), the link and the steps.
func TestWriteHandout(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	h := &Handout{Lang: "es", Title: "Sesión KQ7MXA", Heading: "Necesidades", When: "Cobán · 2026-07-01 10:00", QR: img.Bytes(),
		Scan: "Escanee", Link: "https://x.example/f/a?session=KQ7MXA", CodeLabel: "Código", Code: "KQ7MXA",
		Steps: []string{"Paso uno"}, Privacy: "Privacidad"}
	if err := WriteHandout(&buf, h); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "h.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text := run(t, "pdftotext", path, "-")
	for _, want := range []string{"KQ7MXA", "https://x.example/f/a?session=KQ7MXA", "• Paso uno"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
}
