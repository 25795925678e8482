// Package locales embeds Consulta's translations: one directory per language
// (named by its BCP 47 tag) with language.yaml, ui.yaml and forms/<form-id>.yaml.
// Adding a language is adding a directory; no code changes. The format is
// described in package internal/locale.
package locales

import "embed"

// FS holds every file of this directory, rooted here (FS.ReadDir(".") lists the
// language directories).
//
//go:embed *
var FS embed.FS
