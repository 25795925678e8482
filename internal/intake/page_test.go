package intake

import (
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/forms"
)

func TestCleanPage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://www.mineduc.gob.gt/transparencia/", "https://www.mineduc.gob.gt/transparencia/"},
		{"query and fragment dropped", "https://www.mineduc.gob.gt/alumnos?token=secret&dpi=1234567890101#resultado", "https://www.mineduc.gob.gt/alumnos"},
		{"empty query and fragment", "https://www.mineduc.gob.gt/a?#", "https://www.mineduc.gob.gt/a"},
		{"user information dropped", "https://ana:clave@www.mineduc.gob.gt/a", "https://www.mineduc.gob.gt/a"},
		{"host lower-cased, port kept", "HTTP://WWW.Mineduc.gob.gt:8443/A", "http://www.mineduc.gob.gt:8443/A"},
		{"escaped path kept as sent", "https://www.mineduc.gob.gt/a%2Fb/c%20d", "https://www.mineduc.gob.gt/a%2Fb/c%20d"},
		{"bidi and accents escaped", "https://www.mineduc.gob.gt/estad\u00edsticas\u202e/", "https://www.mineduc.gob.gt/estad%C3%ADsticas%E2%80%AE/"},
		{"no path", "https://www.mineduc.gob.gt?dpi=1", "https://www.mineduc.gob.gt"},
		{"spaces around", "  https://www.mineduc.gob.gt/a  ", "https://www.mineduc.gob.gt/a"},
		{"not http", "javascript:alert(1)", ""},
		{"file", "file:///etc/passwd", ""},
		{"no host", "https:///a", ""},
		{"relative", "/transparencia", ""},
		{"control character", "https://www.mineduc.gob.gt/a\x00b", ""},
		{"invalid UTF-8", "https://www.mineduc.gob.gt/\xff", ""},
		{"too long", "https://www.mineduc.gob.gt/" + strings.Repeat("a", maxPageLength), ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanPage(tt.in); got != tt.want {
				t.Errorf("CleanPage(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := CleanPage(tt.want); again != tt.want {
				t.Errorf("CleanPage is not idempotent: %q → %q", tt.want, again)
			}
		})
	}
}

func TestKeepPage(t *testing.T) {
	s := &Service{PageHosts: []string{"consulta.example.org"}}
	f := &forms.Form{ID: "f", Origins: []string{"https://www.mineduc.gob.gt"}}
	tests := []struct{ page, kept, dropped string }{
		{"https://www.mineduc.gob.gt/portal?dpi=1", "https://www.mineduc.gob.gt/portal", ""},
		{"https://consulta.example.org/demo", "https://consulta.example.org/demo", ""},
		{"https://phish.example/www.mineduc.gob.gt", "", "phish.example"},
		{"not a page", "", ""},
	}
	for _, tt := range tests {
		sub := &Submission{Page: tt.page}
		if dropped := s.keepPage(f, sub); sub.Page != tt.kept || dropped != tt.dropped {
			t.Errorf("keepPage(%q) kept %q dropped %q, want %q and %q", tt.page, sub.Page, dropped, tt.kept, tt.dropped)
		}
	}
}
