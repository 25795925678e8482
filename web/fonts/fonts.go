// Package fonts embeds the TrueType fonts that Consulta's PDF reports use.
//
// The fonts are DejaVu Sans and DejaVu Sans Bold, copied unchanged from Debian's
// fonts-dejavu-core package (version 2.37). Their licence (Bitstream Vera, with
// the DejaVu changes in the public domain) is in LICENSE-DejaVu.txt beside this
// file and allows redistribution. They cover Spanish, English and the Latin-based
// orthographies of the Mayan languages (ä, ʼ U+02BC and so on).
package fonts

import "embed"

// FS holds the embedded font files (a go:embed variable; never written).
//
//go:embed *.ttf LICENSE-DejaVu.txt
var FS embed.FS

// File names inside FS.
const (
	Regular = "DejaVuSans.ttf"
	Bold    = "DejaVuSans-Bold.ttf"
)
