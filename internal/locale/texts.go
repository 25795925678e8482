package locale

// Texts returns the text of message id in each language it is translated
// into, the source language first; a language that falls back to Spanish
// adds nothing. Imports read options written in any language with it.
func (t *Translator) Texts(id string) []string {
	var out []string
	for _, l := range t.Languages() {
		text, got := t.Localizer(l.Tag).TL(id)
		if got == l.Tag && text != id && text != "" {
			out = append(out, text)
		}
	}
	return out
}
