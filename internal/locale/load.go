package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/consulta/consulta/internal/forms"
)

// Load reads every language directory of fsys (rooted at the locales
// directory, e.g. locales.FS) and takes the Spanish texts of forms from
// formList. A malformed file is an error naming file and line; outdated,
// missing and obsolete translations are not errors (see Check).
func Load(fsys fs.FS, formList []*forms.Form) (*Translator, error) {
	dirs, err := languageDirs(fsys)
	if err != nil {
		return nil, err
	}
	src, err := readCatalog(fsys, formList)
	if err != nil {
		return nil, err
	}
	t := &Translator{source: src, byTag: map[string]*languageState{}}
	for _, dir := range dirs {
		st, err := loadLanguage(fsys, dir, src)
		if err != nil {
			return nil, err
		}
		t.byTag[dir] = st
		t.order = append(t.order, dir)
	}
	t.sortLanguages()
	source := t.byTag[Source].localizer
	for _, st := range t.byTag {
		st.public = &Localizer{lang: st.Tag, loc: st.localizer, source: source}
	}
	return t, nil
}

// languageDirs lists the language directories of fsys; es must be one.
func languageDirs(fsys fs.FS) ([]string, error) {
	items, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var dirs []string
	hasSource := false
	for _, it := range items {
		if !it.IsDir() || strings.HasPrefix(it.Name(), ".") {
			continue // locales.go, README files...
		}
		dirs = append(dirs, it.Name())
		hasSource = hasSource || it.Name() == Source
	}
	if !hasSource {
		return nil, fmt.Errorf("locales: no %s directory: Spanish is the source language", Source)
	}
	return dirs, nil
}

// loadLanguage reads one language directory and builds its go-i18n bundle.
func loadLanguage(fsys fs.FS, dir string, src *catalog) (*languageState, error) {
	tag, err := parseTag(dir)
	if err != nil {
		return nil, err
	}
	lang, err := readLanguage(fsys, dir)
	if err != nil {
		return nil, err
	}
	st := &languageState{
		Language:   lang,
		translated: map[string]*i18n.Message{},
		outdated:   map[string]*i18n.Message{},
		obsolete:   map[string][]string{},
	}
	if dir != Source {
		if err := st.readTranslations(fsys, src); err != nil {
			return nil, err
		}
	} else if _, err := fs.Stat(fsys, path.Join(dir, "forms")); err == nil {
		return nil, fmt.Errorf("locales/%s/forms: the Spanish texts of forms live in the form files", dir)
	}
	st.localizer, err = newLocalizer(tag, src, st.translated)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// readTranslations reads ui.yaml and forms/*.yaml of a translation; both are
// optional (a new language starts with language.yaml alone).
func (st *languageState) readTranslations(fsys fs.FS, src *catalog) error {
	for _, unit := range src.units {
		if unit != uiUnit && !strings.HasPrefix(unit, uiPrefix) {
			continue
		}
		if err := st.readUnit(fsys, unit, src); err != nil {
			return err
		}
	}
	items, err := fs.ReadDir(fsys, path.Join(st.Tag, "forms"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("locales/%s/forms: %w", st.Tag, err)
	}
	for _, it := range items {
		form, ok := strings.CutSuffix(it.Name(), ".yaml")
		if it.IsDir() || !ok {
			continue
		}
		if err := st.readUnit(fsys, form, src); err != nil {
			return err
		}
	}
	return nil
}

// readUnit reads one translation file and sorts its entries into translated,
// outdated and obsolete. Blank entries are skipped: they count as missing.
func (st *languageState) readUnit(fsys fs.FS, unit string, src *catalog) error {
	name := path.Join(st.Tag, unitFile(unit))
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("locales/%s: %w", name, err)
	}
	entries, err := parseMessages(data, "locales/"+name, translationFile)
	if err != nil {
		return err
	}
	st.units = append(st.units, unit)
	for _, e := range entries {
		source := src.byID[e.msg.ID]
		switch {
		case source == nil || source.unit != unit:
			st.obsolete[unit] = append(st.obsolete[unit], e.msg.ID)
		case e.empty():
			// missing: Spanish shows
		case e.msg.Hash != source.hash:
			st.outdated[e.msg.ID] = e.msg
		default:
			st.translated[e.msg.ID] = e.msg
		}
	}
	return nil
}

// newLocalizer builds the go-i18n bundle of one language: the Spanish source
// (the fallback) plus its current translations. A language without CLDR plural
// rules is stored under the private-use tag "art-x-<tag>", for which go-i18n
// walks up to "art" and its English rules (one, other); see the package
// documentation.
func newLocalizer(tag language.Tag, src *catalog, translated map[string]*i18n.Message) (*i18n.Localizer, error) {
	bundle := i18n.NewBundle(language.Spanish)
	if err := bundle.AddMessages(language.Spanish, src.messages()...); err != nil {
		return nil, err
	}
	if tag == language.Spanish {
		return i18n.NewLocalizer(bundle, tag.String()), nil
	}
	bundleTag, withoutRules := tag, false
	if bundle.AddMessages(tag) != nil { // the only failure: no plural rule for tag
		alias, err := language.Parse("art-x-" + strings.ToLower(tag.String()))
		if err != nil {
			return nil, fmt.Errorf("locales/%s: no plural rules and no private-use alias: %v", tag, err)
		}
		bundleTag, withoutRules = alias, true
	}
	msgs := make([]*i18n.Message, 0, len(translated))
	for _, m := range translated {
		if withoutRules && m.One == "" {
			copied := *m
			copied.One = m.Other // "one" and "other" are the same text
			m = &copied
		}
		msgs = append(msgs, m)
	}
	if err := bundle.AddMessages(bundleTag, msgs...); err != nil {
		return nil, fmt.Errorf("locales/%s: %v", tag, err)
	}
	return i18n.NewLocalizer(bundle, bundleTag.String()), nil
}

// sortLanguages orders languages: Spanish, English, then the others by tag.
func (t *Translator) sortLanguages() {
	rank := func(tag string) int {
		switch tag {
		case Source:
			return 0
		case "en":
			return 1
		}
		return 2
	}
	sort.Slice(t.order, func(i, j int) bool {
		a, b := t.order[i], t.order[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a < b
	})
	tags := make([]language.Tag, len(t.order))
	for i, tag := range t.order {
		tags[i] = language.MustParse(tag)
	}
	t.matcher = language.NewMatcher(tags)
}
