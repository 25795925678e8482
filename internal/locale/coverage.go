package locale

import "strings"

// Coverage is the state of one language's translations, as printed by
// `consulta i18n check`. Spanish, the source, is always complete.
type Coverage struct {
	Language
	// Files has one entry per message file: ui.yaml first, then every form
	// (forms/<id>.yaml) in the order given to Load, then translation files of
	// forms that no longer exist (all their ids obsolete).
	Files []FileCoverage
}

// FileCoverage is the state of one message file of one language. Every
// Spanish message of the file is counted once: Total == Translated +
// len(Missing) + len(Outdated). Id lists are in the Spanish order.
type FileCoverage struct {
	Form       string   // form id; "" for the interface strings (ui.yaml)
	Path       string   // inside locales/: "en/ui.yaml", "en/forms/sugerencias.yaml"
	Total      int      // Spanish messages
	Translated int      // translations of the current Spanish text (served)
	Missing    []string // no translation, or a blank one: Spanish shows
	Outdated   []string // translated from an older Spanish text: Spanish shows
	Obsolete   []string // ids in the file with no Spanish source: ignored
}

// Complete reports whether every Spanish message has a current translation
// (obsolete entries do not count against it).
func (c Coverage) Complete() bool {
	for _, f := range c.Files {
		if len(f.Missing) > 0 || len(f.Outdated) > 0 {
			return false
		}
	}
	return true
}

// Totals returns the number of Spanish messages and of current translations
// over every file.
func (c Coverage) Totals() (total, translated int) {
	for _, f := range c.Files {
		total += f.Total
		translated += f.Translated
	}
	return total, translated
}

// Check reports the coverage of every language, in the order of Languages.
func (t *Translator) Check() []Coverage {
	out := make([]Coverage, 0, len(t.order))
	for _, tag := range t.order {
		out = append(out, t.coverage(t.byTag[tag]))
	}
	return out
}

// coverage computes one language's Coverage.
func (t *Translator) coverage(st *languageState) Coverage {
	c := Coverage{Language: st.Language}
	for _, unit := range t.allUnits(st) {
		f := FileCoverage{Form: formOf(unit), Path: st.Tag + "/" + unitFile(unit), Obsolete: st.obsolete[unit]}
		for _, id := range t.source.ids[unit] {
			f.Total++
			switch {
			case st.Tag == Source || st.translated[id] != nil:
				f.Translated++
			case st.outdated[id] != nil:
				f.Outdated = append(f.Outdated, id)
			default:
				f.Missing = append(f.Missing, id)
			}
		}
		c.Files = append(c.Files, f)
	}
	return c
}

// allUnits lists the source units, then the units a language has files for
// that have no source (a removed form).
func (t *Translator) allUnits(st *languageState) []string {
	units := append([]string(nil), t.source.units...)
	for _, unit := range st.units {
		if _, ok := t.source.ids[unit]; !ok {
			units = append(units, unit)
		}
	}
	return units
}

// formOf is the form id of a unit, "" for interface files.
func formOf(unit string) string {
	if unit == uiUnit || strings.HasPrefix(unit, uiPrefix) {
		return ""
	}
	return unit
}
