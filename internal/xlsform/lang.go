package xlsform

import (
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

// langCode finds the code of an XLSForm language written "Name (code)".
var langCode = regexp.MustCompile(`\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\s*\)\s*$`)

// splitHeader splits a column header into its base name, lowercased
// ("label"), and its language ("English (en)"), "" for a plain column.
func splitHeader(h string) (base, lang string) {
	base, lang, _ = strings.Cut(strings.TrimSpace(h), "::")
	return strings.ToLower(strings.TrimSpace(base)), strings.TrimSpace(lang)
}

// langs maps the languages of an XLSForm's columns to Consulta's.
type langs struct {
	known []Language
	// plain is the tag of the columns without a language ("label"): the
	// settings' default_language, or Spanish when it names none.
	plain string
}

// resolve returns the tag of an XLSForm language: from "Name (code)", a
// name Consulta knows ("English", "Español"), or a bare tag ("en"). ok is
// false when the language is not recognised; known is false when it is, but
// Consulta has no such language.
func (l langs) resolve(spec string) (tag string, known, ok bool) {
	if spec == "" {
		return l.plain, true, true
	}
	if m := langCode.FindStringSubmatch(spec); m != nil {
		tag = canonical(m[1])
	} else {
		for _, k := range l.known {
			if strings.EqualFold(spec, k.Name) || strings.EqualFold(spec, k.EnglishName) {
				return k.Tag, true, true
			}
		}
		if t, err := language.Parse(spec); err == nil && len(spec) <= 3 {
			tag = t.String()
		}
	}
	if tag == "" {
		return "", false, false
	}
	for _, k := range l.known {
		if k.Tag == tag {
			return tag, true, true
		}
	}
	// "es-GT" is Spanish, "en-US" English: the base language will do.
	if base, _ := language.Make(tag).Base(); base.String() != tag {
		for _, k := range l.known {
			if k.Tag == base.String() {
				return k.Tag, true, true
			}
		}
	}
	return tag, false, true
}

// canonical returns the canonical form of a BCP 47 tag, or the tag
// lowercased when it is not one.
func canonical(tag string) string {
	if t, err := language.Parse(tag); err == nil {
		return t.String()
	}
	return strings.ToLower(tag)
}

// name is how an export's column names a language: "Español (es)".
func (l Language) header() string {
	name := l.Name
	if name == "" {
		name = l.Tag
	}
	return name + " (" + l.Tag + ")"
}
