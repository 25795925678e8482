package geo

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// headerLine is the exact first row the catalog CSV must have.
const headerLine = "department_code,department,municipality_code,municipality"

// fieldsPerRow is the number of columns in headerLine and in every row.
const fieldsPerRow = 4

// parse builds a Catalog from CSV data, rejecting anything that would make a
// code ambiguous or a name display wrongly: a bad header or field count,
// malformed or duplicate codes, rows out of code order, a municipality whose
// code does not start with its department's code, a department named two ways,
// and names that are empty, padded or not NFC.
func parse(data []byte) (*Catalog, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = fieldsPerRow
	r.ReuseRecord = true

	if err := readHeader(r); err != nil {
		return nil, err
	}
	c := &Catalog{
		departmentAt:   make(map[string]int, 22),
		municipalities: make(map[string]Municipality, 340),
	}
	prev := "" // previous municipality code, to enforce ascending order
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("geo: %w", err)
		}
		line, _ := r.FieldPos(0)
		row := row{depCode: rec[0], depName: rec[1], munCode: rec[2], munName: rec[3]}
		if err := row.check(prev); err != nil {
			return nil, fmt.Errorf("geo: line %d: %w", line, err)
		}
		if err := c.add(row); err != nil {
			return nil, fmt.Errorf("geo: line %d: %w", line, err)
		}
		prev = row.munCode
	}
	if len(c.departments) == 0 {
		return nil, errors.New("geo: catalog has no rows")
	}
	return c, nil
}

// readHeader consumes the first record and checks it is exactly headerLine,
// so that a reordered or renamed column fails loudly instead of shifting data.
func readHeader(r *csv.Reader) error {
	rec, err := r.Read()
	if err != nil {
		return fmt.Errorf("geo: reading header: %w", err)
	}
	if got := strings.Join(rec, ","); got != headerLine {
		return fmt.Errorf("geo: header is %q, want %q", got, headerLine)
	}
	return nil
}

// row is one CSV record.
type row struct {
	depCode, depName, munCode, munName string
}

// check validates a row on its own and against the previous municipality
// code.
func (r row) check(prev string) error {
	if !isDigits(r.depCode, 2) || r.depCode == "00" {
		return fmt.Errorf("department code %q is not two digits from 01", r.depCode)
	}
	if !isDigits(r.munCode, 4) || r.munCode[2:] == "00" {
		return fmt.Errorf("municipality code %q is not four digits ending 01 or more", r.munCode)
	}
	if !strings.HasPrefix(r.munCode, r.depCode) {
		return fmt.Errorf("municipality code %q does not start with department code %q", r.munCode, r.depCode)
	}
	if r.munCode <= prev {
		return fmt.Errorf("municipality code %q is not after %q (rows must be in ascending code order, codes unique)", r.munCode, prev)
	}
	if err := checkName(r.depName); err != nil {
		return fmt.Errorf("department %s name: %w", r.depCode, err)
	}
	if err := checkName(r.munName); err != nil {
		return fmt.Errorf("municipality %s name: %w", r.munCode, err)
	}
	return nil
}

// add files a checked row under its department, opening the department on
// its first row.
func (c *Catalog) add(r row) error {
	i, ok := c.departmentAt[r.depCode]
	if !ok {
		i = len(c.departments)
		c.departmentAt[r.depCode] = i
		c.departments = append(c.departments, Department{Code: r.depCode, Name: r.depName})
	}
	dep := &c.departments[i]
	if dep.Name != r.depName {
		return fmt.Errorf("department %s is named both %q and %q", r.depCode, dep.Name, r.depName)
	}
	m := Municipality{Code: r.munCode, Name: r.munName, Department: r.depCode}
	dep.Municipalities = append(dep.Municipalities, m)
	c.municipalities[m.Code] = m
	return nil
}

// checkName rejects names that would display or compare badly.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty")
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%q has leading or trailing space", name)
	case strings.Contains(name, "  "):
		return fmt.Errorf("%q has a double space", name)
	case !norm.NFC.IsNormalString(name):
		// Decomposed accents look identical but break equality and sorting.
		return fmt.Errorf("%q is not NFC-normalized", name)
	}
	return nil
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
