// Package locale serves Consulta's user-facing texts in every language found
// under locales/, with Spanish as the source language and the fallback.
//
// # Files
//
// Each language is a directory named by its BCP 47 tag ("es", "en", "quc"):
//
//	<lang>/language.yaml       name, english_name, status (reviewed|draft), note
//	<lang>/ui.yaml             interface strings
//	<lang>/forms/<form>.yaml   texts of one form (forms/<form>.yaml in Spanish)
//
// Adding a language is adding such a directory: nothing else changes.
//
// Message files are flat YAML mappings from a dotted id to a message. Ids are
// never nested (`form: {other: ...}` would be ambiguous with the plural key
// "other", and "form.other" is a real id). In Spanish (es/ui.yaml) a message is a
// string or a mapping of CLDR plural forms, optionally with a description for
// translators:
//
//	form.submit: "Enviar"
//	form.error_summary: {one: "Hay un problema", other: "Hay {{.Count}} problemas"}
//
// The Spanish texts of forms are not in es/: they come from the form files
// themselves (forms.Form.Messages) and are given to Load.
//
// In every other language each entry records which Spanish text it was
// translated from, as "sha1-" followed by the hex SHA-1 of the Spanish text
// (of its "other" form when the Spanish is plural); see Hash:
//
//	form.submit: {hash: "sha1-…", other: "Submit"}
//
// When the Spanish changes the hash no longer matches: the translation is
// outdated, it is not served (Spanish is, until someone updates it) and Check
// and Extract list it. An entry with empty texts counts as missing, so the file
// written by Extract can be merged before every entry is filled in. Ids with no
// Spanish source are obsolete: reported, never served.
//
// # Fallback
//
// A message missing, outdated or empty in a language shows its Spanish text; a
// Localizer returns the id itself only when Spanish does not have it either.
//
// # Languages without CLDR plural rules
//
// go-i18n only accepts messages for languages it has plural rules for, and its
// rules table is internal, so K'iche' (quc), Q'eqchi' (kek), Kaqchikel (cak),
// Mam (mam) and most other Mayan languages would be refused. For such a
// language the translations are stored under the private-use tag
// "art-x-<lang>": go-i18n resolves "art" (artificial languages) to the English
// rules, so these languages have the forms "one" (exactly 1) and "other". A
// translation that gives only "other" uses it for every count. Every language
// has its own go-i18n bundle (its translations plus Spanish) because go-i18n's
// language matcher does not tell two private-use tags apart.
package locale
