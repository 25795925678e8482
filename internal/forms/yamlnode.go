package forms

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// parser collects the problems of one form file while it walks the YAML node
// tree, so that one run reports every problem with its line.
type parser struct {
	file       string
	problems   Problems
	conditions int // decoded so far, see maxConditions
}

func (p *parser) add(line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// entry is one key/value pair of a YAML mapping.
type entry struct {
	key, value *yaml.Node
}

// line is where problems about the entry's value point: the value's own line,
// or the key's when the value is empty.
func (e entry) line() int {
	if e.value.Line > 0 {
		return e.value.Line
	}
	return e.key.Line
}

// deref follows YAML aliases (*anchor) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// entries returns the pairs of mapping n keyed by key, reporting duplicate keys
// and keys that are not in known (with a suggestion when one is close).
// where names the level ("form", "question", ...) in messages.
func (p *parser) entries(n *yaml.Node, where string, known []string) map[string]entry {
	out := make(map[string]entry)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := deref(n.Content[i]), deref(n.Content[i+1])
		if key.Kind != yaml.ScalarNode {
			p.add(key.Line, "%s keys must be plain words", where)
			continue
		}
		name := key.Value
		if !slices.Contains(known, name) {
			p.add(key.Line, "unknown %s key %q%s", where, name, suggestion(name, known))
			continue
		}
		if first, dup := out[name]; dup {
			p.add(key.Line, "duplicate key %q (first at line %d)", name, first.key.Line)
			continue
		}
		out[name] = entry{key: key, value: value}
	}
	return out
}

// str decodes a text value. Any scalar is accepted as its literal text (so
// `value: 1` is "1"); null is "".
func (p *parser) str(e entry) string {
	if e.value.Kind != yaml.ScalarNode {
		p.add(e.line(), "%q must be text", e.key.Value)
		return ""
	}
	if e.value.ShortTag() == "!!null" {
		return ""
	}
	return strings.TrimSpace(e.value.Value)
}

// boolean decodes a true/false value.
func (p *parser) boolean(e entry) bool {
	if e.value.Kind != yaml.ScalarNode || e.value.ShortTag() != "!!bool" {
		p.add(e.line(), "%q must be true or false", e.key.Value)
		return false
	}
	b, _ := strconv.ParseBool(strings.ToLower(e.value.Value))
	return b
}

// integer decodes a whole number.
func (p *parser) integer(e entry) (int, bool) {
	var n int
	if e.value.Kind != yaml.ScalarNode || e.value.ShortTag() != "!!int" || e.value.Decode(&n) != nil {
		p.add(e.line(), "%q must be a whole number", e.key.Value)
		return 0, false
	}
	return n, true
}

// number decodes a finite number.
func (p *parser) number(e entry) (float64, bool) {
	f, ok := scalarNumber(e.value)
	if !ok {
		p.add(e.line(), "%q must be a number", e.key.Value)
	}
	return f, ok
}

// scalarNumber reads an integer or float scalar, refusing .nan and .inf.
func scalarNumber(n *yaml.Node) (float64, bool) {
	var f float64
	if n.Kind != yaml.ScalarNode {
		return 0, false
	}
	if tag := n.ShortTag(); tag != "!!int" && tag != "!!float" {
		return 0, false
	}
	if n.Decode(&f) != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// list returns the items of a sequence value, reporting any other kind.
func (p *parser) list(e entry, what string) []*yaml.Node {
	if e.value.ShortTag() == "!!null" {
		return nil
	}
	if e.value.Kind != yaml.SequenceNode {
		p.add(e.line(), "%q must be a list of %s", e.key.Value, what)
		return nil
	}
	items := make([]*yaml.Node, len(e.value.Content))
	for i, item := range e.value.Content {
		items[i] = deref(item)
	}
	return items
}

// strList decodes a list of texts.
func (p *parser) strList(e entry) []string {
	var out []string
	for _, item := range p.list(e, "texts") {
		if item.Kind != yaml.ScalarNode || item.ShortTag() == "!!null" {
			p.add(item.Line, "%q must be a list of texts", e.key.Value)
			continue
		}
		out = append(out, strings.TrimSpace(item.Value))
	}
	return out
}

// suggestion proposes the known key closest to a misspelt one, if any is close.
func suggestion(name string, known []string) string {
	best, bestDist := "", 3 // at most two edits away
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes (keys are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
