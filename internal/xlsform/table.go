package xlsform

import (
	"strings"
)

// table is a sheet with its columns found by name.
type table struct {
	*sheet
	plain  map[string]int      // base name → index of the column without language
	byBase map[string][]colRef // base name → every column of that name, in order
}

// colRef is one column of a table.
type colRef struct {
	index  int
	lang   string // the language part of the header, "" for none
	header string // as written
}

func newTable(s *sheet) *table {
	t := &table{sheet: s, plain: map[string]int{}, byBase: map[string][]colRef{}}
	if s == nil {
		t.sheet = &sheet{}
		return t
	}
	for i, h := range s.header {
		base, lang := splitHeader(h)
		if base == "" {
			continue
		}
		t.byBase[base] = append(t.byBase[base], colRef{index: i, lang: lang, header: strings.TrimSpace(h)})
		if _, seen := t.plain[base]; !seen && lang == "" {
			t.plain[base] = i
		}
	}
	return t
}

// get returns the trimmed cell of row under the plain column base.
func (t *table) get(row []string, base string) string {
	i, ok := t.plain[base]
	if !ok {
		return ""
	}
	return cell(row, i)
}

// cell returns the trimmed cell i of row, "" past its end.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// rowNumber is the spreadsheet row of data row i (the header is row 1).
func rowNumber(i int) int { return i + 2 }

// blankRow reports whether every cell of row is empty.
func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
