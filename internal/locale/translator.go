package locale

import (
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Translator holds every language's messages. It is built once by Load and
// never changed afterwards, so it is safe for concurrent use.
type Translator struct {
	source  *catalog
	order   []string // language tags: es, en, then the others by tag
	byTag   map[string]*languageState
	matcher language.Matcher // over order; index 0 (es) when nothing matches
}

// languageState is what Load learnt about one language.
type languageState struct {
	Language
	units      []string                 // units with a file in this language, as read
	translated map[string]*i18n.Message // id -> current translation (served)
	outdated   map[string]*i18n.Message // id -> translation of an older Spanish text
	obsolete   map[string][]string      // unit -> ids with no Spanish source
	localizer  *i18n.Localizer
	public     *Localizer // handed out by Translator.Localizer
}

// Languages returns every language: Spanish first, then English, then the
// others by tag.
func (t *Translator) Languages() []Language {
	out := make([]Language, len(t.order))
	for i, tag := range t.order {
		out[i] = t.byTag[tag].Language
	}
	return out
}

// Language returns the language with this exact tag.
func (t *Translator) Language(tag string) (Language, bool) {
	st, ok := t.byTag[tag]
	if !ok {
		return Language{}, false
	}
	return st.Language, true
}

// Match picks the language for a request: the ?lang= value when it names a
// language we have (exactly, or by its base language: "en-US" gives en), else
// the best match of the Accept-Language header ("es-GT" gives es, "quc-GT"
// gives quc), else Spanish.
func (t *Translator) Match(query, acceptLanguage string) string {
	if tag, ok := t.lookup(query); ok {
		return tag
	}
	if acceptLanguage != "" {
		prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(prefs) > 0 {
			if _, i, conf := t.matcher.Match(prefs...); conf != language.No {
				return t.order[i]
			}
		}
	}
	return Source
}

// lookup finds the language a ?lang= value names, without guessing: "gl" is
// not taken for Spanish, as the Accept-Language matcher would.
func (t *Translator) lookup(query string) (string, bool) {
	if query == "" {
		return "", false
	}
	if _, ok := t.byTag[query]; ok { // "es", as every form page's links write it: no parsing
		return query, true
	}
	tag, err := language.Parse(query)
	if err != nil {
		return "", false
	}
	if _, ok := t.byTag[tag.String()]; ok {
		return tag.String(), true
	}
	base, _ := tag.Base()
	if _, ok := t.byTag[base.String()]; ok {
		return base.String(), true
	}
	return "", false
}
