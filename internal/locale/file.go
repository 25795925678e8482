package locale

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"gopkg.in/yaml.v3"
)

// entry is one message of a message file and the line it is on (for errors).
type entry struct {
	msg  *i18n.Message
	line int
}

// empty reports whether a translation leaves every text blank: such an entry
// (as written by Extract) counts as missing.
func (e entry) empty() bool { return e.msg.Other == "" && pluralText(e.msg) == "" }

// pluralText concatenates the forms other than "other" (to test for blanks).
func pluralText(m *i18n.Message) string { return m.Zero + m.One + m.Two + m.Few + m.Many }

// fileKind says which rules a message file follows.
type fileKind int

const (
	sourceFile      fileKind = iota // Spanish: plain texts, no hash
	translationFile                 // other languages: every entry has a hash
)

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
	hashPattern = regexp.MustCompile(`^sha1-[0-9a-f]{40}$`)
)

// parseMessages parses a flat message file (see the package documentation).
// name is the file's path for error messages ("locales/en/ui.yaml").
func parseMessages(data []byte, name string, kind fileKind) ([]entry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil // empty file or only comments
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: expected a mapping of message ids to messages", name, root.Line)
	}
	entries := make([]entry, 0, len(root.Content)/2)
	seen := make(map[string]int, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		id := key.Value
		if key.Kind != yaml.ScalarNode || !idPattern.MatchString(id) {
			return nil, fmt.Errorf("%s:%d: %q is not a message id (letters, digits, _ and - joined by dots)", name, key.Line, id)
		}
		if first, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already defined on line %d", name, key.Line, id, first)
		}
		seen[id] = key.Line
		msg, err := parseMessage(id, value, kind)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %v", name, value.Line, id, err)
		}
		entries = append(entries, entry{msg: msg, line: key.Line})
	}
	return entries, nil
}

// parseMessage reads one message value: a string, or a mapping of plural forms
// with hash and description.
func parseMessage(id string, value *yaml.Node, kind fileKind) (*i18n.Message, error) {
	msg := &i18n.Message{ID: id}
	switch value.Kind {
	case yaml.ScalarNode:
		if kind == translationFile {
			return nil, fmt.Errorf(`a translation must be {hash: "sha1-…", other: "…"}`)
		}
		msg.Other = scalarText(value)
	case yaml.MappingNode:
		if err := parseMessageFields(msg, value); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("expected a text or a mapping of plural forms")
	}
	if err := checkMessage(msg, kind); err != nil {
		return nil, err
	}
	return msg, nil
}

// parseMessageFields fills msg from the keys of a message mapping.
func parseMessageFields(msg *i18n.Message, value *yaml.Node) error {
	for i := 0; i+1 < len(value.Content); i += 2 {
		k, v := value.Content[i], value.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s: expected a text", k.Value)
		}
		text := scalarText(v)
		switch k.Value {
		case "hash":
			msg.Hash = text
		case "description":
			msg.Description = text
		case "zero":
			msg.Zero = text
		case "one":
			msg.One = text
		case "two":
			msg.Two = text
		case "few":
			msg.Few = text
		case "many":
			msg.Many = text
		case "other":
			msg.Other = text
		default:
			return fmt.Errorf("unknown key %q (want hash, description, zero, one, two, few, many or other; ids are not nested: write the whole dotted id)", k.Value)
		}
	}
	return nil
}

// scalarText is the text of a scalar node; YAML null (`other:` or `~`) is empty.
func scalarText(n *yaml.Node) string {
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// checkMessage applies the rules of the file kind and checks that every text
// is a valid template, so that a typo fails at start-up, not on a page.
func checkMessage(msg *i18n.Message, kind fileKind) error {
	switch kind {
	case sourceFile:
		if msg.Hash != "" {
			return fmt.Errorf("the Spanish source has no hash")
		}
		if msg.Other == "" {
			return fmt.Errorf(`the text (or its "other" form) is empty`)
		}
	case translationFile:
		if !hashPattern.MatchString(msg.Hash) {
			return fmt.Errorf(`hash must be "sha1-" and 40 lowercase hex digits, got %q`, msg.Hash)
		}
		if msg.Other == "" && pluralText(msg) != "" {
			return fmt.Errorf(`the "other" form is required when another form is given`)
		}
	}
	for _, text := range []string{msg.Zero, msg.One, msg.Two, msg.Few, msg.Many, msg.Other} {
		if err := checkTemplate(text); err != nil {
			return err
		}
	}
	return nil
}

// checkTemplate parses text the way go-i18n will (text/template, {{ }}).
func checkTemplate(text string) error {
	if !strings.Contains(text, "{{") {
		return nil
	}
	if _, err := template.New("").Option("missingkey=default").Parse(text); err != nil {
		return fmt.Errorf("bad template: %v", err)
	}
	return nil
}
