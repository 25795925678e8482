package locale

import (
	"fmt"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Localizer renders messages in one language. Get one per request from
// Translator.Localizer; it is immutable and safe for concurrent use.
type Localizer struct {
	lang   string
	loc    *i18n.Localizer // the language, falling back to Spanish
	source *i18n.Localizer // Spanish alone, when the language's text fails
}

// Localizer returns the localizer of lang (a tag from Match or Languages);
// an unknown tag gives Spanish. It allocates nothing.
func (t *Translator) Localizer(lang string) *Localizer {
	st, ok := t.byTag[lang]
	if !ok {
		st = t.byTag[Source]
	}
	return st.public
}

// Lang returns the tag of the localizer's language.
func (l *Localizer) Lang() string { return l.lang }

// T returns the text of message id, filled with data (merged in order) when
// it is a template. It falls back to Spanish, and to id itself only when
// Spanish has no such message.
func (l *Localizer) T(id string, data ...map[string]any) string {
	return l.localize(id, nil, data)
}

// N is T for a plural message: count picks the plural form and is available
// to the template as {{.Count}}.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	return l.localize(id, &count, data)
}

func (l *Localizer) localize(id string, count *int, data []map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: templateData(count, data)}
	if count != nil {
		cfg.PluralCount = *count
	}
	// go-i18n returns its best effort with an error for fallbacks (missing
	// translation, missing plural form): any text is good to show.
	if text, _ := l.loc.Localize(cfg); text != "" {
		return text
	}
	if l.source != l.loc {
		if text, _ := l.source.Localize(cfg); text != "" {
			return text
		}
	}
	return id
}

// templateData merges the data maps and adds Count; nil when there is none.
func templateData(count *int, data []map[string]any) map[string]any {
	if count == nil && len(data) == 0 {
		return nil
	}
	if count == nil && len(data) == 1 {
		return data[0]
	}
	merged := map[string]any{}
	for _, d := range data {
		for k, v := range d {
			merged[k] = v
		}
	}
	if count != nil {
		merged["Count"] = *count
	}
	return merged
}

// Pairs turns template arguments given as key, value, key, value... into the
// data map of T and N; templates call it through their pages' T.
func Pairs(kv ...any) map[string]any {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return data
}

// TL is T for one plain message that also reports the language of the text
// returned: the localizer's own, or Spanish when the message fell back to it.
// Pages mark such fallback text with lang="es" (WCAG 3.1.2).
func (l *Localizer) TL(id string, data ...map[string]any) (text, lang string) {
	text, tag, _ := l.loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: templateData(nil, data)})
	switch {
	case text == "":
		return l.T(id, data...), Source
	case l.lang != Source && tag.String() == Source:
		return text, Source
	}
	return text, l.lang
}
