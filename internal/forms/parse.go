package forms

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Read-only lookup tables of the form format.
var (
	formIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	formKeys      = []string{"id", "version", "kind", "title", "description", "thank_you", "origins", "min_fill_time", "questions"}
	kinds         = []Kind{KindSuggestion, KindNeedsAssessment, KindPageFeedback, KindSurvey}
	originSchemes = []string{"http", "https"}
)

// Parse reads one form file. It reports every problem it finds, each with the
// line of the offending key or value, and returns the form only when there is
// none. file names the file in problems and is kept in Form.File.
func Parse(file string, data []byte) (*Form, Problems) {
	p := &parser{file: file}
	f := p.parseForm(data)
	if len(p.problems) > 0 {
		sortProblems(p.problems)
		return nil, p.problems
	}
	return f, nil
}

// parseForm decodes data as far as it can: the form it returns may be partial
// when p has problems (LoadDir still uses its id to find duplicates).
func (p *parser) parseForm(data []byte) *Form {
	root := p.document(data)
	if root == nil {
		return nil
	}
	f := &Form{File: p.file}
	if root.Kind != yaml.MappingNode {
		p.add(root.Line, "a form must be a mapping of keys (id, version, kind, title, questions...)")
		return f
	}
	e := p.entries(root, "form", formKeys)
	p.formHeader(f, root, e)
	if q, ok := e["questions"]; ok {
		p.questions(f, q)
	} else {
		p.add(root.Line, `missing "questions"`)
	}
	return f
}

// document decodes the YAML of a file into its root node, reporting syntax
// errors, an empty file and extra documents.
func (p *parser) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(0, "the file is empty")
		} else {
			p.yamlError(err)
		}
		return nil
	}
	if len(doc.Content) == 0 {
		p.add(0, "the file is empty")
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		p.add(extra.Line, "a form file holds one YAML document: remove the second one")
	case !errors.Is(err, io.EOF):
		p.yamlError(err)
	}
	return deref(doc.Content[0])
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: ...") into a problem.
func (p *parser) yamlError(err error) {
	msg := err.Error()
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.add(line, "invalid YAML: %s", m[2])
		return
	}
	p.add(0, "invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// formHeader decodes and checks the form-level keys other than questions.
func (p *parser) formHeader(f *Form, root *yaml.Node, e map[string]entry) {
	if id, ok := e["id"]; !ok {
		p.add(root.Line, `missing "id"`)
	} else if f.ID = p.str(id); !formIDPattern.MatchString(f.ID) {
		p.add(id.line(), "invalid form id %q: use lowercase letters, digits and hyphens, starting with a letter or digit", f.ID)
	}
	if v, ok := e["version"]; !ok {
		p.add(root.Line, `missing "version"`)
	} else if n, ok := p.integer(v); ok {
		f.Version = n
		if n < 1 {
			p.add(v.line(), `"version" must be 1 or more`)
		}
	}
	if k, ok := e["kind"]; !ok {
		p.add(root.Line, `missing "kind" (%s)`, kindNames)
	} else if f.Kind = Kind(p.str(k)); !slices.Contains(kinds, f.Kind) {
		p.add(k.line(), "unknown kind %q (use %s)", f.Kind, kindNames)
	}
	if t, ok := e["title"]; !ok {
		p.add(root.Line, `missing "title"`)
	} else if f.Title = p.str(t); f.Title == "" {
		p.add(t.line(), `empty "title"`)
	}
	if d, ok := e["description"]; ok {
		f.Description = p.str(d)
	}
	if t, ok := e["thank_you"]; ok {
		f.ThankYou = p.str(t)
	}
	if o, ok := e["origins"]; ok {
		p.origins(f, o)
	}
	if m, ok := e["min_fill_time"]; ok {
		p.minFillTime(f, m)
	}
}

// MaxMinFillTime bounds a form's min_fill_time: a longer wait would refuse
// people who write quickly, and it must stay far below the token's life.
const MaxMinFillTime = time.Minute

// minFillTime decodes the form's own minimum fill time: a Go duration
// ("0s", "3s", "1m"), 0 for one-tap forms.
func (p *parser) minFillTime(f *Form, e entry) {
	d, err := time.ParseDuration(p.str(e))
	switch {
	case err != nil:
		p.add(e.line(), `"min_fill_time" must be a duration such as 0s, 3s or 1m`)
	case d < 0 || d > MaxMinFillTime:
		p.add(e.line(), `"min_fill_time" must be from 0s to %s`, MaxMinFillTime)
	default:
		f.MinFillTime = &d
	}
}

// origins decodes the web origins allowed to embed the form. They go into a
// Content-Security-Policy frame-ancestors list and are compared with Origin
// headers, so each must be exactly scheme://host[:port].
func (p *parser) origins(f *Form, e entry) {
	items := p.list(e, "origins")
	for _, item := range items {
		if item.Kind != yaml.ScalarNode {
			p.add(item.Line, `"origins" must be a list of origins like https://www.example.org`)
			continue
		}
		origin := strings.TrimSpace(item.Value)
		if err := checkOrigin(origin); err != nil {
			p.add(item.Line, "invalid origin %q: %v", origin, err)
			continue
		}
		if slices.Contains(f.Origins, origin) {
			p.add(item.Line, "duplicate origin %q", origin)
			continue
		}
		f.Origins = append(f.Origins, origin)
	}
}

// checkOrigin tells what keeps s from being a plain scheme://host[:port] origin.
func checkOrigin(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return errors.New("write it as scheme://host[:port], e.g. https://www.example.org")
	case !slices.Contains(originSchemes, u.Scheme):
		return errors.New("the scheme must be http or https")
	case u.User != nil, u.Path != "", u.RawQuery != "", u.Fragment != "", strings.HasSuffix(s, "?"), strings.HasSuffix(s, "#"):
		return errors.New("an origin has no path, query or fragment (not even a final /)")
	case u.Hostname() != strings.ToLower(u.Hostname()):
		return errors.New("write the host in lowercase")
	case strings.Contains(u.Hostname(), "*"):
		return errors.New("wildcards are not supported: list each origin")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return errors.New("the port must be a number from 1 to 65535")
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return errors.New("the port is empty")
	}
	return nil
}

// kindNames lists the form kinds for messages.
const kindNames = "suggestion, needs_assessment, page_feedback or survey"
