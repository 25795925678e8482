package importer

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// Departments lists the departments with their municipalities;
// *geo.Catalog does. When the Importer's Geo does too, places may be given
// by name as well as by code.
type Departments interface {
	Departments() []geo.Department
}

// places puts the geo answers of values in the form the catalog knows: codes
// that lost their leading zeros in a spreadsheet ("1", "110") padded again
// ("01", "0110"), and names ("Sacatepéquez", "antigua guatemala") turned
// into codes. Anything else is left for validation to refuse.
func (im *Importer) places(f *forms.Form, values url.Values) {
	for _, q := range f.Questions {
		if q.Type != forms.TypeGeo {
			continue
		}
		depKey, munKey := q.ID+"[department]", q.ID+"[municipality]"
		dep := im.department(values.Get(depKey))
		if dep != "" {
			values.Set(depKey, dep)
		}
		if mun := im.municipality(dep, values.Get(munKey)); mun != "" {
			values.Set(munKey, mun)
		}
	}
}

func (im *Importer) department(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if digits(s) {
		return pad(s, 2)
	}
	for _, d := range im.catalog() {
		if sameName(d.Name, s) {
			return d.Code
		}
	}
	return s
}

// municipality is the code of s, a code or a name (looked for in dep first,
// then anywhere when only one municipality has it).
func (im *Importer) municipality(dep, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if digits(s) {
		return pad(s, 4)
	}
	var found []string
	for _, d := range im.catalog() {
		for _, m := range d.Municipalities {
			if sameName(m.Name, s) {
				if d.Code == dep {
					return m.Code
				}
				found = append(found, m.Code)
			}
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return s
}

func (im *Importer) catalog() []geo.Department {
	if c, ok := im.Geo.(Departments); ok {
		return c.Departments()
	}
	return nil
}

// sameName compares place names ignoring case, accents and punctuation.
func sameName(a, b string) bool { return forms.QuestionIDFrom(a) == forms.QuestionIDFrom(b) }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// pad writes the zeros that a spreadsheet dropped before a code of n digits.
func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// decode is the file's text: UTF-8, or Windows-1252 (what Excel writes as
// "CSV" on Spanish-language Windows) when it is not valid UTF-8.
func decode(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return string(data)
	}
	return string(text)
}
