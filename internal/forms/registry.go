package forms

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Registry is the set of loaded forms, by id. It is not changed after it is
// built, so it is safe for concurrent use.
type Registry struct {
	byID   map[string]*Form
	sorted []*Form
}

// NewRegistry makes a registry of the given forms (tests build forms in Go).
// When two forms share an id, the later one wins.
func NewRegistry(forms ...*Form) *Registry {
	r := &Registry{byID: make(map[string]*Form, len(forms))}
	for _, f := range forms {
		r.byID[f.ID] = f
	}
	for _, f := range r.byID {
		r.sorted = append(r.sorted, f)
	}
	slices.SortFunc(r.sorted, func(a, b *Form) int { return strings.Compare(a.ID, b.ID) })
	return r
}

// Get returns the form with the given id.
func (r *Registry) Get(id string) (*Form, bool) {
	f, ok := r.byID[id]
	return f, ok
}

// All returns every form, sorted by id. The slice is the caller's to keep.
func (r *Registry) All() []*Form {
	return slices.Clone(r.sorted)
}

// LoadDir parses every *.yaml and *.yml file of dir (not its subdirectories).
// When any file has a problem, or two files share a form id, or there is no
// form file at all, the error is a Problems listing every problem of every
// file; other errors (an unreadable directory or file) are returned as they are.
func LoadDir(dir string) (*Registry, error) {
	files, err := formFiles(dir)
	if err != nil {
		return nil, err
	}
	var problems Problems
	if len(files) == 0 {
		problems = append(problems, Problem{File: dir, Message: "no form files (*.yaml, *.yml) in this directory"})
	}
	var forms []*Form
	seen := make(map[string]*Form)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("forms: %w", err)
		}
		p := &parser{file: file}
		f := p.parseForm(data)
		problems = append(problems, p.problems...)
		if f == nil || !formIDPattern.MatchString(f.ID) {
			continue
		}
		if first, dup := seen[f.ID]; dup {
			problems = append(problems, Problem{File: file, Line: 1, Message: fmt.Sprintf("duplicate form id %q (also in %s)", f.ID, first.File)})
			continue
		}
		seen[f.ID] = f
		forms = append(forms, f)
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, problems
	}
	return NewRegistry(forms...), nil
}

// formFiles lists the form files of dir in name order.
func formFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	var files []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.Type().IsRegular() && (ext == ".yaml" || ext == ".yml") && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files, nil
}
