package pdf

import (
	"bytes"
	"net/http"

	"github.com/jung-kurt/gofpdf"
)

// logoHeight is the height of the organisation's logo on the cover, in mm.
const logoHeight = 14

// logoPad is the white margin around it, in mm.
const logoPad = 2

// logoType is gofpdf's image type of a logo: PNG or JPEG. gofpdf cannot
// draw SVG, so an SVG logo (allowed on the web pages) is left out of PDFs,
// whose cover still names the organisation.
func logoType(b []byte) (string, bool) {
	switch http.DetectContentType(b) {
	case "image/png":
		return "PNG", true
	case "image/jpeg":
		return "JPG", true
	}
	return "", false
}

// logo draws the cover's logo with its top left corner at x, y, logoHeight
// high and as wide as its proportions say, and reports whether it drew one. A PNG or JPEG that gofpdf cannot
// read fails the whole document (Write returns the error): a report must not
// come out silently without its logo.
func (r *renderer) logo(b []byte, x, y float64) bool {
	typ, ok := logoType(b)
	if len(b) == 0 || !ok {
		return false
	}
	opt := gofpdf.ImageOptions{ImageType: typ}
	info := r.f.RegisterImageOptionsReader("org-logo", opt, bytes.NewReader(b))
	if r.f.Err() || info == nil || info.Height() == 0 {
		return false
	}
	// On a white plate: a logo drawn for white paper may vanish on the
	// cover's dark band.
	w := info.Width() / info.Height() * logoHeight
	r.fill(rgb{255, 255, 255})
	r.f.Rect(x-logoPad, y-logoPad, w+2*logoPad, logoHeight+2*logoPad, "F")
	r.f.ImageOptions("org-logo", x, y, w, logoHeight, false, opt, 0, "")
	return true
}
