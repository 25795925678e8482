package xlsform

import (
	"strings"
)

// textBases are the columns that hold texts people read, in every language.
var textBases = []string{colLabel, colHint, colFormTitle}

// langPlan says which column of each text is the Spanish source and which
// are translations, by the language part of their headers.
type langPlan struct {
	source  string            // the language part of the source columns
	spanish map[string]bool   // every language part that is Spanish
	tags    map[string]string // language part → tag, for translations
	order   []string          // the translations' language parts, as met
}

// planLanguages decides the languages of the text columns of every sheet and
// reports the columns whose language cannot be used.
func (im *importer) planLanguages(tables map[string]*table, defaultLang string) {
	im.langs = langs{known: im.opt.Languages, plain: "es"}
	if defaultLang != "" {
		tag, known, ok := im.langs.resolve(defaultLang)
		switch {
		case !ok:
			im.skip(sheetSettings, 2, colDefaultLang, "language_unrecognised", "Lang", defaultLang)
		case !known:
			im.skip(sheetSettings, 2, colDefaultLang, "language_unknown", "Lang", defaultLang, "Tag", tag)
		default:
			im.langs.plain = tag
		}
	}
	p := &langPlan{spanish: map[string]bool{}, tags: map[string]string{}}
	reported := map[string]bool{}
	// The source is chosen among the question texts: the settings' plain
	// form_title says nothing about the language of the questions.
	explicitSpanish, plainQuestions := "", false
	for _, name := range []string{sheetSurvey, sheetChoices, sheetSettings} {
		t := tables[name]
		for _, base := range textBases {
			for _, c := range t.byBase[base] {
				if _, done := p.tags[c.lang]; done || p.spanish[c.lang] || reported[c.lang] {
					continue
				}
				tag, known, ok := im.langs.resolve(c.lang)
				switch {
				case !ok:
					reported[c.lang] = true
					im.skip(name, 1, c.header, "language_unrecognised", "Lang", c.lang)
				case !known:
					reported[c.lang] = true
					im.skip(name, 1, c.header, "language_unknown", "Lang", c.lang, "Tag", tag)
				case tag == "es":
					p.spanish[c.lang] = true
					if c.lang != "" && explicitSpanish == "" && name != sheetSettings {
						explicitSpanish = c.lang
					}
					plainQuestions = plainQuestions || (c.lang == "" && name != sheetSettings)
				default:
					p.tags[c.lang] = tag
					p.order = append(p.order, c.lang)
				}
			}
		}
	}
	switch {
	case explicitSpanish != "":
		p.source = explicitSpanish
	case plainQuestions || len(p.order) == 0:
		p.source = ""
	default:
		// No Spanish column: the first language stands in as the source,
		// and is no translation any more.
		p.source = p.order[0]
		im.skip(sheetSurvey, 1, "", "source_not_spanish", "Lang", p.source)
		delete(p.tags, p.source)
		p.order = p.order[1:]
		p.spanish[p.source] = true
	}
	im.plan = p
}

// text is one text of the form in every language of the XLSForm.
type text struct {
	spanish string
	tr      map[string]string // tag → translation (empty ones left out)
}

// text reads the text under column base of a row (see readText) and
// reports what it had to change. row is the spreadsheet row.
func (im *importer) text(t *table, sheetName string, rowNum int, row []string, base string) text {
	out, fallbackLang, braces := im.readText(t, row, base)
	if fallbackLang != "" {
		im.skip(sheetName, rowNum, base, "no_spanish_text", "Lang", fallbackLang)
	}
	if braces {
		im.skip(sheetName, rowNum, base, "text_braces")
	}
	return out
}

// readText reads the text under column base of a row: the Spanish from the
// source column or, when that is empty, from another (fallbackLang names
// it); the translations from the others. "{{" and "}}", which the message
// files read as templates, are written "{ {" and "} }" (braces).
func (im *importer) readText(t *table, row []string, base string) (out text, fallbackLang string, braces bool) {
	get := func(i int) string {
		v := cell(row, i)
		if strings.Contains(v, "{{") || strings.Contains(v, "}}") {
			braces = true
			v = strings.ReplaceAll(strings.ReplaceAll(v, "{{", "{ {"), "}}", "} }")
		}
		return v
	}
	var spanish, fallback string
	for _, c := range t.byBase[base] {
		v := get(c.index)
		if v == "" {
			continue
		}
		switch {
		case c.lang == im.plan.source:
			out.spanish = v
		case im.plan.spanish[c.lang] && spanish == "":
			spanish = v // another Spanish column: the plain one
		case fallback == "" && im.plan.tags[c.lang] != "":
			fallback, fallbackLang = v, langName(c.lang)
		}
	}
	switch {
	case out.spanish != "":
		fallbackLang = ""
	case spanish != "":
		out.spanish, fallbackLang = spanish, ""
	default:
		out.spanish = fallback
	}
	for _, c := range t.byBase[base] {
		tag := im.plan.tags[c.lang]
		v := get(c.index)
		if tag == "" || v == "" {
			continue
		}
		if out.tr == nil {
			out.tr = map[string]string{}
		}
		if _, seen := out.tr[tag]; !seen {
			out.tr[tag] = v
		}
	}
	return out, fallbackLang, braces
}

// langName names the language part of a header in messages.
func langName(lang string) string {
	if lang == "" {
		return colLabel
	}
	return lang
}

// hasReference reports whether a text shows another answer (${name}).
func hasReference(s string) bool { return strings.Contains(s, "${") }
