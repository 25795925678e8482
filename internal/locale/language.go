package locale

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"

	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// Source is the tag of the source language: the language of form files and of
// the fallback for every missing or outdated translation.
const Source = "es"

// Language statuses (language.yaml "status").
const (
	StatusReviewed = "reviewed" // checked by fluent speakers; safe to show as is
	StatusDraft    = "draft"    // awaiting review; pages say so (site.draft_language)
)

// Language describes one language of locales/, from its language.yaml.
type Language struct {
	Tag         string // BCP 47 tag, the directory name ("es", "quc")
	Name        string // native name ("Español", "K'iche'")
	EnglishName string // for operators ("Spanish", "K'iche'")
	Status      string // StatusReviewed or StatusDraft
	Note        string // optional, in the language itself or Spanish
}

// Draft reports whether the language still awaits review.
func (l Language) Draft() bool { return l.Status == StatusDraft }

// languageFile is the YAML shape of language.yaml.
type languageFile struct {
	Name        string `yaml:"name"`
	EnglishName string `yaml:"english_name"`
	Status      string `yaml:"status"`
	Note        string `yaml:"note"`
}

// parseTag checks that dir is a canonical BCP 47 tag, so that the directory
// name, the ?lang= value and the tag printed everywhere are the same string.
func parseTag(dir string) (language.Tag, error) {
	tag, err := language.Parse(dir)
	if err != nil {
		return language.Und, fmt.Errorf("locales/%s: directory name is not a language tag: %v", dir, err)
	}
	if tag.String() != dir {
		return language.Und, fmt.Errorf("locales/%s: directory name must be the canonical tag %q", dir, tag.String())
	}
	return tag, nil
}

// readLanguage reads and validates <dir>/language.yaml.
func readLanguage(fsys fs.FS, dir string) (Language, error) {
	name := path.Join(dir, "language.yaml")
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Language{}, fmt.Errorf("locales/%s: %w", name, err)
	}
	var f languageFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key is an error, not a silent default
	if err := dec.Decode(&f); err != nil {
		return Language{}, fmt.Errorf("locales/%s: %v", name, err)
	}
	lang := Language{Tag: dir, Name: f.Name, EnglishName: f.EnglishName, Status: f.Status, Note: f.Note}
	switch {
	case lang.Name == "":
		return Language{}, fmt.Errorf("locales/%s: name is required", name)
	case lang.EnglishName == "":
		return Language{}, fmt.Errorf("locales/%s: english_name is required", name)
	case lang.Status != StatusReviewed && lang.Status != StatusDraft:
		return Language{}, fmt.Errorf("locales/%s: status must be %q or %q, not %q", name, StatusReviewed, StatusDraft, lang.Status)
	}
	return lang, nil
}
