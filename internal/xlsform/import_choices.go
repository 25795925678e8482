package xlsform

import (
	"strconv"
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// choiceList is one list of the choices sheet.
type choiceList struct {
	name    string
	choices []choice
	// issues are reported when a question first uses the list: a list no
	// question uses does not matter.
	issues []Skipped
	used   bool
}

// choice is one choice of a list.
type choice struct {
	row        int
	name       string
	value      string // the option value: the name made one
	label      text
	department string // the filter column of geo lists
}

// choicesKnown are the columns of the choices sheet Import reads.
var choicesKnown = []string{colListName, "list name", colName, "value", colLabel, colDepartment}

// readChoices reads every list of the choices sheet.
func (im *importer) readChoices(t *table) {
	listCol := colListName
	if _, ok := t.plain[listCol]; !ok {
		listCol = "list name"
	}
	nameCol := colName
	if _, ok := t.plain[nameCol]; !ok {
		nameCol = "value"
	}
	for i, row := range t.rows {
		n := rowNumber(i)
		listName := t.get(row, listCol)
		if blankRow(row) || listName == "" {
			continue
		}
		l := im.lists[listName]
		if l == nil {
			l = &choiceList{name: listName}
			im.lists[listName] = l
		}
		issue := func(column, code string, params map[string]any) {
			l.issues = append(l.issues, Skipped{Sheet: sheetChoices, Row: n, Column: column, Code: code, Params: params})
		}
		name := t.get(row, nameCol)
		value := forms.OptionValueFrom(name)
		switch {
		case name == "" || !forms.ValidOptionValue(value):
			issue(nameCol, "choice_no_name", nil)
			continue
		case l.find(value) != nil:
			issue(nameCol, "duplicate_choice", map[string]any{"Value": value})
			continue
		case value != strings.ToLower(name):
			issue(nameCol, "renamed_choice", map[string]any{"Value": value})
		}
		c := choice{row: n, name: name, value: value, department: t.get(row, colDepartment)}
		label, fallbackLang, braces := im.readText(t, row, colLabel)
		if fallbackLang != "" {
			issue(colLabel, "no_spanish_text", map[string]any{"Lang": fallbackLang})
		}
		if braces {
			issue(colLabel, "text_braces", nil)
		}
		c.label = label
		l.choices = append(l.choices, c)
		for j, h := range t.header {
			base, _ := splitHeader(h)
			if base != "" && !strings.HasPrefix(base, "$") && !isChoiceColumn(base) && cell(row, j) != "" {
				issue(strings.TrimSpace(h), "choice_column", nil)
			}
		}
	}
}

func isChoiceColumn(base string) bool {
	for _, k := range choicesKnown {
		if base == k {
			return true
		}
	}
	return false
}

// find returns the choice with the given option value, or nil.
func (l *choiceList) find(value string) *choice {
	for i := range l.choices {
		if l.choices[i].value == value {
			return &l.choices[i]
		}
	}
	return nil
}

// use reports the list's issues the first time a question uses it.
func (im *importer) use(l *choiceList) {
	if l.used {
		return
	}
	l.used = true
	for _, s := range l.issues {
		var params []any
		for k, v := range s.Params {
			params = append(params, k, v)
		}
		im.skip(s.Sheet, s.Row, s.Column, s.Code, params...)
	}
}

// yesNo reports whether the list is a yes/no list: two choices, yes and no
// (or sí and no, true and false, 1 and 0).
func (l *choiceList) yesNo() bool {
	if len(l.choices) != 2 {
		return false
	}
	a, aok := yesNoName(l.choices[0].name)
	b, bok := yesNoName(l.choices[1].name)
	return aok && bok && a != b
}

// points returns the range of a list whose choices are the whole numbers
// lo..hi in order, 2 to 11 of them (the points of a scale).
func (l *choiceList) points() (lo, hi int, ok bool) {
	if len(l.choices) < 2 || len(l.choices) > 11 {
		return 0, 0, false
	}
	for i, c := range l.choices {
		n, err := strconv.Atoi(c.name)
		if err != nil || strconv.Itoa(n) != c.name || n < 0 {
			return 0, 0, false
		}
		if i == 0 {
			lo = n
		} else if n != lo+i {
			return 0, 0, false
		}
		hi = n
	}
	return lo, hi, true
}
