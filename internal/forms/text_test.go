package forms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      string
	}{
		{"plain", "Hola, ¿cómo está?", false, "Hola, ¿cómo está?"},
		{"trimmed", "  hola \u00a0", false, "hola"},
		{"NUL", "a\x00b", false, "ab"},
		{"C0 controls", "a\x01\x07\x08\x0b\x0c\x1b[31mb\x1f", false, "a[31mb"},
		{"DEL and C1", "a\x7fb\u0080c\u0085d\u009be\u009f", false, "abcde"},
		{"bidi overrides", "\u202ecod.exe\u202c", false, "cod.exe"},
		{"every embedding and override", "a\u202ab\u202bc\u202cd\u202de\u202ef", false, "abcdef"},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", false, "abc"},
		{"marks", "a\u200eb\u200fc\u061cd", false, "abcd"},
		{"byte-order mark", "\ufeff=cmd", false, "=cmd"},
		{"joiners kept", "👩\u200d💻 a\u200cb", false, "👩\u200d💻 a\u200cb"},
		{"textarea keeps newline and tab", "uno\r\ndos\rtres\n\tcuatro", true, "uno\ndos\ntres\n\tcuatro"},
		{"one line: tab and newline are spaces", "uno\tdos\r\ntres", false, "uno dos tres"},
		{"NFC", "Cafe\u0301", false, "Café"},
		{"NFC across a dropped control", "Cafe\u202e\u0301", false, "Café"},
		{"only controls is blank", "\x00\u202e\u2066\ufeff", true, ""},
		{"invalid UTF-8 dropped", "a\xffb", false, "ab"},
		{"line and paragraph separators are white space", "\u2028a\u2029", false, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in, tt.multiline); got != tt.want {
				t.Errorf("CleanText(%q, %t) = %q, want %q", tt.in, tt.multiline, got, tt.want)
			}
		})
	}
}

// TestCleanTextLeavesNothingItDrops checks every code point of the ranges the
// rule names, inside text, in both modes (tab and line breaks are tested
// above: keepRune keeps them before asking dropped).
func TestCleanTextLeavesNothingItDrops(t *testing.T) {
	for r := rune(0); r <= 0xffff; r++ {
		if r == '\t' || r == '\n' || r == '\r' || !dropped(r) || !utf8.ValidRune(r) {
			continue
		}
		for _, multiline := range []bool{false, true} {
			got := CleanText("x"+string(r)+"y", multiline)
			if got != "xy" {
				t.Errorf("CleanText(%U, %t) = %q", r, multiline, got)
			}
		}
	}
}

// TestValidateMeasuresCleanText: a text at its limit padded with controls is
// accepted and stored clean; a text over its limit is still too long.
func TestValidateMeasuresCleanText(t *testing.T) {
	f := &Form{ID: "f", Questions: []*Question{{ID: "t", Type: TypeText, MaxLength: 5}, {ID: "a", Type: TypeTextarea, MaxLength: 5}}}
	padded := "\u202e" + strings.Repeat("\x00é", 5) + "\u2066"
	answers, _, errs := f.Validate(map[string]any{"t": padded, "a": "a\tb\r\nc"}, nil)
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	if answers["t"] != "ééééé" || answers["a"] != "a\tb\nc" {
		t.Errorf("stored %q", answers)
	}
	_, _, errs = f.Validate(map[string]any{"t": "\x00" + strings.Repeat("e", 6)}, nil)
	if len(errs) != 1 || errs[0].Code != CodeTooLong {
		t.Errorf("errors %v, want too_long", errs)
	}
	_, _, errs = f.Validate(map[string]any{"t": "a\xffb"}, nil)
	if len(errs) != 1 || errs[0].Code != CodeInvalidUTF8 {
		t.Errorf("errors %v, want invalid_utf8", errs)
	}
}
