package forms

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// CleanText is the one rule for free text that people type: answers (through
// Validate) and what staff write in the workspace (actions, notes). It is
// applied when the text comes in, so that what is stored, shown in the
// workspace and on /acciones, printed in PDFs and exported is already clean.
//
// It makes line breaks "\n" (browsers send "\r\n", which would count twice
// against a length limit); drops invalid UTF-8, the C0 and C1 control
// characters (NUL, escape sequences for terminals, NEL...) except tab and line
// feed, and the invisible bidirectional controls (embeddings, overrides,
// isolates, the LRM, RLM and ALM marks) and U+FEFF, with which a text can
// display differently from what it holds; puts the text in NFC, so that "é" is
// one character however it was typed; and trims white space. Unless
// multiline (a textarea), tabs and line breaks become spaces: a one-line field
// cannot hold them, so they only come from scripts.
//
// Lengths are to be measured on the result. web/static/form.js mirrors this
// function (clean) so that the page checks lengths as the server does.
func CleanText(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune { return keepRune(r, multiline) }, s)
	// NFC after the removals: a dropped control between a letter and its
	// accent would otherwise have kept them apart.
	return strings.TrimSpace(norm.NFC.String(s))
}

// keepRune returns r, a space for a tab or line break in one-line text, or -1
// (dropped, for strings.Map) for the characters CleanText removes.
func keepRune(r rune, multiline bool) rune {
	switch {
	case r == '\t' || r == '\n':
		if multiline {
			return r
		}
		return ' '
	case dropped(r):
		return -1
	}
	return r
}

// dropped reports whether CleanText removes r. The bidirectional marks
// (U+200E, U+200F, U+061C) go with the embeddings and isolates: Consulta's
// languages are all written left to right, so in its texts they only serve to
// reorder what a reader sees.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0 and DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0xfeff: // byte-order mark, a zero-width no-break space inside text
		return true
	}
	return false
}
