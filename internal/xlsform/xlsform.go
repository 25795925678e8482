// Package xlsform converts between Consulta's forms and XLSForm, the
// spreadsheet form format of ODK Collect and KoboToolbox (https://xlsform.org):
// Import makes a form (and its translations) from an XLSForm, listing what it
// could not carry over; Export writes a form as an XLSForm for offline
// collection. docs/integrations.md describes the mapping; both directions
// use the same conventions, so that a form exported and imported again is the
// same form.
//
// The package is pure conversion: it reads and writes bytes, never files or
// the store, and its messages are codes that the caller localizes
// ("xlsform.skip.<code>").
package xlsform

import "errors"

// ErrTooLarge says the file is over the limits (MaxBytes, the rows of a
// sheet).
var ErrTooLarge = errors.New("xlsform: file too large")

// ErrNothingUsable says the XLSForm gave no form: no survey sheet, or not one
// question Consulta can ask. Import returns it with the list of what was
// skipped, which says why.
var ErrNothingUsable = errors.New("xlsform: nothing usable in the XLSForm")

// Language is one of Consulta's languages (locales/<Tag>/language.yaml).
type Language struct {
	Tag         string // "es", "en", "quc"
	Name        string // in the language itself: "Español"
	EnglishName string // "Spanish"
}

// Sheet names and the columns this package reads and writes.
const (
	sheetSurvey   = "survey"
	sheetChoices  = "choices"
	sheetSettings = "settings"

	colType        = "type"
	colName        = "name"
	colLabel       = "label"
	colHint        = "hint"
	colRequired    = "required"
	colRelevant    = "relevant"
	colConstraint  = "constraint"
	colAppearance  = "appearance"
	colParameters  = "parameters"
	colChoiceFilt  = "choice_filter"
	colPersonal    = "consulta_personal" // Consulta's own: contact data (personal: true)
	colListName    = "list_name"
	colFormTitle   = "form_title"
	colFormID      = "form_id"
	colVersion     = "version"
	colDefaultLang = "default_language"
	colKind        = "consulta_kind"          // Consulta's own: the form's kind
	colOrigins     = "consulta_origins"       // Consulta's own: origins, space-separated
	colMinFillTime = "consulta_min_fill_time" // Consulta's own: the form's min_fill_time
)

// Conventions shared by Export and Import.
const (
	// noteIntro and noteThankYou name the notes that carry the form's title
	// (label) and description (hint), first, and its thank-you text, last,
	// in every language: the settings sheet has no translations.
	noteIntro    = "consulta_intro"
	noteThankYou = "consulta_thank_you"
	// listYesNo is the choice list of yes/no questions; its choices are
	// yesName and noName.
	listYesNo = "consulta_yesno"
	yesName   = "yes"
	noName    = "no"
	// A geo question is two select_one questions, <id>_department on
	// listDepartment and <id>_municipality on listMunicipality, whose
	// choices are filtered by the column colDepartment.
	listDepartment   = "consulta_department"
	listMunicipality = "consulta_municipality"
	colDepartment    = "department"
	suffixDepartment = "_department"
	suffixMunicip    = "_municipality"
	// acknowledged is what ODK and Kobo record for an acknowledge question
	// that was ticked (a consent).
	acknowledged = "OK"
	// The regular expressions of e-mail and phone questions' constraints.
	regexEmail = `^[^@\s]+@[^@\s]+\.[^@\s]+$`
	regexPhone = `^\+?[0-9 ()-]{8,20}$`
)

// SkipCodes lists every Skipped.Code Import gives, for the callers that
// localize them ("xlsform.skip.<code>") and their tests.
func SkipCodes() []string {
	return []string{
		"appearance", "choice_column", "choice_filter", "choice_no_name", "column_unsupported", "constraint",
		"date", "duplicate_choice", "duplicate_name", "form_id", "group", "integer", "kind", "label_reference",
		"language_unknown", "language_unrecognised", "list_missing", "min_fill_time", "municipality_optional", "no_label",
		"no_list", "no_name", "no_spanish_text", "no_survey", "no_title", "no_type", "note", "origin",
		"other_taken", "range_step", "relevant_dropped", "relevant_function", "relevant_geo", "relevant_later",
		"relevant_operator", "relevant_syntax", "relevant_unknown", "relevant_value", "relevant_whole_selection",
		"renamed_choice", "renamed_question", "repeat", "required_expression", "select_one_other",
		"setting_unsupported", "sheet_unsupported", "source_not_spanish", "text_braces", "type_calculate",
		"type_geopoint", "type_metadata", "type_unsupported", "version",
	}
}
