package stem

import "testing"

func TestWord(t *testing.T) {
	for _, c := range []struct{ lang, a, b string }{
		{"es", "becas", "beca"},
		{"es", "inscripciones", "inscripción"},
		{"es", "maestros", "maestro"},
		{"quc", "escuelas", "escuela"},
		{"en", "teachers", "teacher"},
		{"en", "scholarships", "scholarship"},
	} {
		if x, y := Word(c.lang, c.a), Word(c.lang, c.b); x != y {
			t.Errorf("%s: %q → %q but %q → %q", c.lang, c.a, x, c.b, y)
		}
	}
	if Word("es", "becas") == Word("es", "maestros") {
		t.Error("different words share a stem")
	}
}
