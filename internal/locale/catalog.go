package locale

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/consulta/consulta/internal/forms"
)

// uiUnit names the interface strings (ui.yaml) among the message units. Units
// starting with uiPrefix are further interface files beside it (reports.yaml,
// widgets.yaml...: "@reports"), so that each part of the program keeps its own
// strings; any other unit is a form id (forms/<id>.yaml).
const (
	uiUnit   = ""
	uiPrefix = "@"
)

// unitFile is the path of a unit's file inside a language directory.
func unitFile(unit string) string {
	if unit == uiUnit {
		return "ui.yaml"
	}
	if name, ok := strings.CutPrefix(unit, uiPrefix); ok {
		return name + ".yaml"
	}
	return "forms/" + unit + ".yaml"
}

// extraUIUnits lists the interface files of the Spanish source other than
// ui.yaml and language.yaml, as units, sorted.
func extraUIUnits(fsys fs.FS) ([]string, error) {
	items, err := fs.ReadDir(fsys, Source)
	if err != nil {
		return nil, fmt.Errorf("locales/%s: %w", Source, err)
	}
	var units []string
	for _, it := range items {
		name, ok := strings.CutSuffix(it.Name(), ".yaml")
		if it.IsDir() || !ok || name == "ui" || name == "language" {
			continue
		}
		units = append(units, uiPrefix+name)
	}
	sort.Strings(units)
	return units, nil
}

// sourceMessage is one Spanish message.
type sourceMessage struct {
	msg  *i18n.Message
	unit string
	hash string
}

// catalog is the Spanish source: every message id, grouped by unit.
type catalog struct {
	units []string            // uiUnit, then form ids in order
	ids   map[string][]string // unit -> ids, in the order translators read them
	byID  map[string]*sourceMessage
}

// readCatalog reads es/ui.yaml and the Spanish texts of forms.
func readCatalog(fsys fs.FS, formList []*forms.Form) (*catalog, error) {
	c := &catalog{
		units: []string{uiUnit},
		ids:   map[string][]string{uiUnit: {}},
		byID:  map[string]*sourceMessage{},
	}
	name := path.Join(Source, "ui.yaml")
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("locales/%s: %w", name, err)
	}
	entries, err := parseMessages(data, "locales/"+name, sourceFile)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		c.add(uiUnit, e.msg)
	}
	if err := c.readExtraUI(fsys); err != nil {
		return nil, err
	}
	for _, f := range formList {
		if err := c.addForm(f); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readExtraUI adds the Spanish interface files beside ui.yaml.
func (c *catalog) readExtraUI(fsys fs.FS) error {
	units, err := extraUIUnits(fsys)
	if err != nil {
		return err
	}
	for _, unit := range units {
		name := path.Join(Source, unitFile(unit))
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("locales/%s: %w", name, err)
		}
		entries, err := parseMessages(data, "locales/"+name, sourceFile)
		if err != nil {
			return err
		}
		c.units = append(c.units, unit)
		c.ids[unit] = []string{}
		for _, e := range entries {
			if prev := c.byID[e.msg.ID]; prev != nil {
				return fmt.Errorf("locales/%s: message id %s is also in %s", name, e.msg.ID, unitFile(prev.unit))
			}
			c.add(unit, e.msg)
		}
	}
	return nil
}

// addForm adds the Spanish texts of one form as the unit named by its id.
func (c *catalog) addForm(f *forms.Form) error {
	if _, dup := c.ids[f.ID]; dup {
		return fmt.Errorf("%s: form %q is given twice", f.File, f.ID)
	}
	texts := f.Messages()
	c.units = append(c.units, f.ID)
	c.ids[f.ID] = []string{} // the unit exists even with no texts
	for _, id := range orderFormIDs(f, texts) {
		if prev := c.byID[id]; prev != nil {
			return fmt.Errorf("%s: message id %s is also in %s", f.File, id, unitFile(prev.unit))
		}
		msg := &i18n.Message{ID: id, Other: texts[id]}
		if err := checkTemplate(msg.Other); err != nil {
			return fmt.Errorf("%s: %s: %v", f.File, id, err)
		}
		c.add(f.ID, msg)
	}
	return nil
}

// add records msg in unit, which must already be in c.units.
func (c *catalog) add(unit string, msg *i18n.Message) {
	c.ids[unit] = append(c.ids[unit], msg.ID)
	c.byID[msg.ID] = &sourceMessage{msg: msg, unit: unit, hash: sourceHash(msg)}
}

// messages returns every Spanish message (for the go-i18n bundles).
func (c *catalog) messages() []*i18n.Message {
	out := make([]*i18n.Message, 0, len(c.byID))
	for _, unit := range c.units {
		for _, id := range c.ids[unit] {
			out = append(out, c.byID[id].msg)
		}
	}
	return out
}

// orderFormIDs lists a form's message ids in the order of the form, so that
// translators read them as the person answering does: title, description,
// thank-you text, then each question's label, help and options. Ids the form
// helpers do not name (none today) follow, sorted.
func orderFormIDs(f *forms.Form, texts map[string]string) []string {
	known := []string{f.TitleID(), f.DescriptionID(), f.ThankYouID()}
	for _, q := range f.Questions {
		known = append(known, f.LabelID(q), f.HelpID(q))
		for _, o := range q.Options {
			known = append(known, f.OptionID(q, o.Value))
		}
	}
	ids := make([]string, 0, len(texts))
	placed := make(map[string]bool, len(texts))
	for _, id := range known {
		if _, ok := texts[id]; ok && !placed[id] {
			ids = append(ids, id)
			placed[id] = true
		}
	}
	var rest []string
	for id := range texts {
		if !placed[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	return append(ids, rest...)
}

// uiIDs lists the ids of every interface file (ui.yaml and its siblings).
func (c *catalog) uiIDs() []string {
	var ids []string
	for _, unit := range c.units {
		if unit == uiUnit || strings.HasPrefix(unit, uiPrefix) {
			ids = append(ids, c.ids[unit]...)
		}
	}
	return ids
}
