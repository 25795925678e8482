package report

import (
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/report/scrubcorpus"
)

func TestScrub(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Escríbame a ana.lopez@example.org por favor", "Escríbame a [correo] por favor"},
		{"Mi correo: JUAN_P+gt@mineduc.gob.gt.", "Mi correo: [correo]."},
		{"Llámeme al +502 5512 3456", "Llámeme al [teléfono]"},
		{"Tel. (502) 2411-9595, gracias", "Tel. [teléfono], gracias"},
		{"mi celular 55123456", "mi celular [teléfono]"},
		{"whatsapp 5512-3456 o 4123 4567", "whatsapp [teléfono] o [teléfono]"},
		{"DPI 2456 78901 0101", "DPI [DPI]"},
		{"CUI 2456789010101.", "CUI [DPI]."},
		{"datos de 2019-2023 por favor", "datos de 2019-2023 por favor"},
		{"en 2024 hubo 1500 estudiantes", "en 2024 hubo 1500 estudiantes"},
		{"establecimiento 01-01-0123-43", "establecimiento 01-01-0123-43"},
		{"NIT 12345678-9", "NIT [teléfono]"},
		{"Sin datos personales: ñandú, ¿por qué?", "Sin datos personales: ñandú, ¿por qué?"},
		// Kept as written around what is taken: the no-break space, the
		// full-width digits of a grade.
		{"Nota:\u00a0８５ — llamar 5512\u00a03456", "Nota:\u00a0８５ — llamar [teléfono]"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Scrub(tt.in); got != tt.want {
				t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestScrubCorpus runs the scrubber on the corpus of internal/report/scrubcorpus
// (issue 10, item 14): every phone number, DPI number, e-mail address and home
// address comes out as its placeholder, the rest of the comment as written;
// every partner comes out unchanged.
func TestScrubCorpus(t *testing.T) {
	cases, err := scrubcorpus.Cases()
	if err != nil {
		t.Fatal(err)
	}
	sc := NewScrubber(SpanishPlaceholders())
	placeholder := map[string]string{scrubcorpus.Phone: placeholderPhone, scrubcorpus.DPI: placeholderDPI,
		scrubcorpus.Email: placeholderEmail, scrubcorpus.Address: placeholderAddress}
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.Kind]++
		if got, want := sc.Scrub(c.Input), c.Want(placeholder[c.Kind]); got != want {
			t.Errorf("line %d (%s):\n in   %q\n got  %q\n want %q", c.Line, c.Kind, c.Input, got, want)
		}
		if got := sc.Scrub(c.Partner); got != c.Partner {
			t.Errorf("line %d, partner changed:\n in  %q\n got %q", c.Line, c.Partner, got)
		}
	}
	if len(cases) < 100 {
		t.Errorf("%d cases, the corpus must have at least 100", len(cases))
	}
	for _, k := range []string{scrubcorpus.Phone, scrubcorpus.DPI, scrubcorpus.Email, scrubcorpus.Address} {
		if kinds[k] < 20 {
			t.Errorf("%d cases of %s, want 20 or more", kinds[k], k)
		}
	}
	t.Logf("%d cases: %v", len(cases), kinds)
}

// TestStripEmails: words are counted without e-mail addresses, however
// written, and the quick test lets through every text that may hold one.
func TestStripEmails(t *testing.T) {
	sc := NewScrubber(Placeholders{})
	cases, err := scrubcorpus.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.Kind != scrubcorpus.Email {
			continue
		}
		got := sc.stripEmails(c.Input)
		for _, d := range c.Data {
			if strings.Contains(got, d) {
				t.Errorf("line %d: %q keeps %q", c.Line, got, d)
			}
		}
	}
	if s := "Necesito datos de matrícula"; sc.stripEmails(s) != s {
		t.Errorf("a text without an address changed")
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Necesito DATOS de matrícula, 2024!", []string{"necesito", "datos", "matrícula"}},
		{"Jasäs kʼo wi, utz", []string{"jasäs", "kʼo", "utz"}},
		{"a b cd", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := words(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("words(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("words(%q) = %q, want %q", tt.in, got, tt.want)
				}
			}
		})
	}
}

func TestTermCounter(t *testing.T) {
	tc := newTermCounter(stopWords())
	for _, s := range []string{
		"Necesito la matricula por municipio",
		"Matrícula por municipio y por sexo, matrícula total",
		"Presupuesto de la matrícula",
	} {
		tc.add(s)
	}
	top := tc.top(3, 2)
	t.Run("counts answers, folds accents, shows the accented spelling", func(t *testing.T) {
		if len(top) != 2 || top[0] != (Term{"matrícula", 3}) || top[1] != (Term{"municipio", 2}) {
			t.Errorf("top = %v", top)
		}
	})
	t.Run("stop words left out", func(t *testing.T) {
		for _, term := range tc.top(100, 1) {
			if term.Term == "por" || term.Term == "necesito" {
				t.Errorf("stop word %q counted", term.Term)
			}
		}
	})
	t.Run("memory bounded", func(t *testing.T) {
		big := newTermCounter(nil)
		for i := range maxTerms * 3 {
			w := []rune("pal")
			for n := i; n > 0; n /= 26 {
				w = append(w, rune('a'+n%26))
			}
			big.add(string(w))
		}
		if len(big.counts) > maxTerms {
			t.Errorf("%d words kept, bound %d", len(big.counts), maxTerms)
		}
	})
}
