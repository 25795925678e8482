package workspace

import (
	"github.com/consulta/consulta/internal/importer"
	"github.com/consulta/consulta/internal/locale"
)

// importTranslations lets imports read options by their label in any
// language the form is translated into; nil without a translator.
func importTranslations(tr *locale.Translator) importer.Translations {
	if tr == nil {
		return nil
	}
	return tr.Texts
}
