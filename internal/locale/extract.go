package locale

import (
	"fmt"
	"io"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// Extract writes, for translators of lang, every message that lang lacks or
// has outdated, as YAML documents (separated by ---), one per file to edit
// (ui.yaml, forms/<id>.yaml). Each entry is ready to fill in and paste into that
// file: `id: {hash: "sha1-…", other: ""}` (plus "one" for a plural source),
// under comments giving the Spanish text, its description, and the outdated
// translation if there is one. Blank entries may be merged as they are: they
// count as missing. lang may be a language not yet in locales/ (everything is
// then missing) but not Spanish, the source.
func (t *Translator) Extract(lang string, w io.Writer) error {
	st, err := t.extractState(lang)
	if err != nil {
		return err
	}
	cov := t.coverage(st)
	var docs []*yaml.Node
	for _, f := range cov.Files {
		if doc := t.extractDocument(st, f); doc != nil {
			docs = append(docs, doc)
		}
	}
	if _, err := fmt.Fprintf(w, "# Consulta: texts to translate into %s (%s).\n"+
		"# Paste each document into the file its first comment names, replacing any\n"+
		"# entry with the same id, and fill in the empty texts. Keep the hash: it says\n"+
		"# which Spanish text was translated.\n\n", st.EnglishName, st.Tag); err != nil {
		return err
	}
	if _, ok := t.byTag[st.Tag]; !ok {
		if _, err := fmt.Fprintf(w, "# New language: also create locales/%s/language.yaml (name, english_name,\n# status: draft, note).\n\n", st.Tag); err != nil {
			return err
		}
	}
	if len(docs) == 0 {
		_, err := fmt.Fprintf(w, "# Nothing to translate: %s is complete.\n", st.Tag)
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	for _, doc := range docs {
		if err := enc.Encode(doc); err != nil {
			return err
		}
	}
	return enc.Close()
}

// extractState returns the language to extract for; a new language gets an
// empty state, so that everything is missing.
func (t *Translator) extractState(lang string) (*languageState, error) {
	if st, ok := t.byTag[lang]; ok {
		if st.Tag == Source {
			return nil, fmt.Errorf("locale: %s is the source language: nothing to translate", Source)
		}
		return st, nil
	}
	tag, err := language.Parse(lang)
	if err != nil || tag.String() != lang {
		return nil, fmt.Errorf("locale: %q is not a canonical language tag", lang)
	}
	if lang == Source {
		return nil, fmt.Errorf("locale: %s is the source language: nothing to translate", Source)
	}
	return &languageState{Language: Language{Tag: lang, EnglishName: lang}}, nil
}

// extractDocument is the YAML document for one file, nil when it needs nothing.
func (t *Translator) extractDocument(st *languageState, f FileCoverage) *yaml.Node {
	todo := append(append([]string(nil), f.Missing...), f.Outdated...)
	if len(todo) == 0 {
		return nil
	}
	entries := &yaml.Node{Kind: yaml.MappingNode}
	for _, id := range t.source.ids[f.Form] { // in Spanish order
		if st.translated[id] != nil {
			continue
		}
		src := t.source.byID[id]
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: id, HeadComment: extractComment(src.msg, st.outdated[id])}
		entries.Content = append(entries.Content, key, blankEntry(src))
	}
	return &yaml.Node{
		Kind:        yaml.DocumentNode,
		HeadComment: fmt.Sprintf("locales/%s: %d to translate", f.Path, len(todo)),
		Content:     []*yaml.Node{entries},
	}
}

// blankEntry is `{hash: "sha1-…", other: ""}`, with "one" too for a plural source.
func blankEntry(src *sourceMessage) *yaml.Node {
	str := func(v string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.DoubleQuotedStyle}
	}
	plain := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	n.Content = append(n.Content, plain("hash"), str(src.hash))
	if pluralText(src.msg) != "" {
		n.Content = append(n.Content, plain("one"), str(""))
	}
	n.Content = append(n.Content, plain("other"), str(""))
	return n
}

// extractComment shows the translator the Spanish text, its description and
// the outdated translation, one line per form and per line of text.
func extractComment(src, outdated *i18n.Message) string {
	var b strings.Builder
	if src.Description != "" {
		commentLines(&b, "note", src.Description)
	}
	forEachForm(src, func(form, text string) { commentLines(&b, "es"+form, text) })
	if outdated != nil {
		forEachForm(outdated, func(form, text string) { commentLines(&b, "outdated"+form, text) })
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// forEachForm calls fn for every non-blank form of m: with "" for a plain
// message, " (one)", " (other)"... for a plural one.
func forEachForm(m *i18n.Message, fn func(form, text string)) {
	if pluralText(m) == "" {
		fn("", m.Other)
		return
	}
	forms := []struct{ name, text string }{
		{"zero", m.Zero}, {"one", m.One}, {"two", m.Two}, {"few", m.Few}, {"many", m.Many}, {"other", m.Other},
	}
	for _, f := range forms {
		if f.text != "" {
			fn(" ("+f.name+")", f.text)
		}
	}
}

// commentLines writes "label: text", indenting continuation lines.
func commentLines(b *strings.Builder, label, text string) {
	for i, line := range strings.Split(text, "\n") {
		if i == 0 {
			fmt.Fprintf(b, "%s: %s\n", label, line)
		} else {
			fmt.Fprintf(b, "    %s\n", line)
		}
	}
}
