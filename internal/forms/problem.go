package forms

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a form file, located at a line of the file so
// that whoever edits the YAML can go straight to it.
type Problem struct {
	File    string
	Line    int // 1-based; 0 when the problem concerns the whole file or directory
	Message string
}

// String formats the problem as "file:line: message", the form compilers and
// editors recognise; a problem without a line prints as "file: message".
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is every problem found in one or more form files. It is an error so
// that LoadDir can return it as one; its text has one problem per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems orders problems by file then line, keeping the order in which
// they were found for problems on the same line.
func sortProblems(ps Problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
