package locale

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/consulta/consulta/internal/forms"
)

// EncodeFormFile writes the translation file of form f into one language
// (<lang>/forms/<form>.yaml): texts holds the translations by message id.
// Each entry records the Hash of the Spanish text of f it translates, in the
// order translators read them (see orderFormIDs); translations of ids f has
// no Spanish text for are left out, and so are empty ones. header becomes
// comment lines on top.
func EncodeFormFile(f *forms.Form, header string, texts map[string]string) ([]byte, error) {
	spanish := f.Messages()
	doc := &yaml.Node{Kind: yaml.MappingNode}
	for _, id := range orderFormIDs(f, spanish) {
		text := texts[id]
		if text == "" {
			continue
		}
		value := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
			plain("hash"), quoted(Hash(spanish[id])), plain("other"), quoted(text)}}
		doc.Content = append(doc.Content, plain(id), value)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("locale: no translated text to write")
	}
	var buf bytes.Buffer
	if header = strings.TrimSpace(header); header != "" {
		for _, line := range strings.Split(header, "\n") {
			buf.WriteString(strings.TrimRight("# "+line, " \t") + "\n")
		}
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	// Read it back as Load will: a text go-i18n cannot take is caught here,
	// not when the server starts.
	if _, err := parseMessages(buf.Bytes(), "forms/"+f.ID+".yaml", translationFile); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func plain(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
func quoted(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: s}
}

// ReadLanguages lists the languages of a locales directory (fsys rooted at
// it) from their language.yaml files, without loading any message: what a
// tool that writes translation files needs to know about the languages there.
func ReadLanguages(fsys fs.FS) ([]Language, error) {
	dirs, err := languageDirs(fsys)
	if err != nil {
		return nil, err
	}
	out := make([]Language, 0, len(dirs))
	for _, dir := range dirs {
		if _, err := parseTag(dir); err != nil {
			return nil, err
		}
		lang, err := readLanguage(fsys, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, lang)
	}
	return out, nil
}
