// Package geo is the official catalog of Guatemala's departments and
// municipalities, identified by their INE (Instituto Nacional de Estadística)
// codes: departments "01".."22" and municipalities of four digits whose first
// two are the department's code ("0101".."2217").
//
// The data lives in an embedded CSV (guatemala.csv) so the catalog ships with
// the binary and needs no network or database. It reflects the 340
// municipalities in force since Petatán (Decree 6-2015), the newest one.
package geo

import (
	_ "embed"
)

// catalogCSV is the embedded catalog: header
// department_code,department,municipality_code,municipality and one row per
// municipality, in ascending municipality code order, UTF-8 NFC.
//
//go:embed guatemala.csv
var catalogCSV []byte

// Municipality is one of Guatemala's municipalities.
type Municipality struct {
	Code       string `json:"code"`       // INE code, four digits, e.g. "0101"
	Name       string `json:"name"`       // official name, accented, e.g. "Santa Catarina Pinula"
	Department string `json:"department"` // the department's INE code, e.g. "01"
}

// Department is one of Guatemala's 22 departments with its municipalities in
// code order.
type Department struct {
	Code           string         `json:"code"` // INE code, two digits, e.g. "03"
	Name           string         `json:"name"` // official name, e.g. "Sacatepéquez"
	Municipalities []Municipality `json:"municipalities"`
}

// Catalog answers questions about departments and municipalities. It is
// read-only after Load and safe for concurrent use; its accessors return
// copies, so callers may modify what they get without affecting it.
type Catalog struct {
	departments    []Department            // in code order
	departmentAt   map[string]int          // department code -> index in departments
	municipalities map[string]Municipality // municipality code -> municipality
}

// Load parses and validates the embedded catalog and returns a new Catalog.
// An error means the embedded file is broken, which is a build defect.
func Load() (*Catalog, error) {
	return parse(catalogCSV)
}

// Departments returns every department, with its municipalities, in code
// order.
func (c *Catalog) Departments() []Department {
	out := make([]Department, len(c.departments))
	for i, d := range c.departments {
		out[i] = d.clone()
	}
	return out
}

// Department returns the department with the given INE code.
func (c *Catalog) Department(code string) (Department, bool) {
	i, ok := c.departmentAt[code]
	if !ok {
		return Department{}, false
	}
	return c.departments[i].clone(), true
}

// Municipality returns the municipality with the given INE code.
func (c *Catalog) Municipality(code string) (Municipality, bool) {
	m, ok := c.municipalities[code]
	return m, ok
}

// Valid reports whether dep is a department code and mun is "" or a
// municipality of dep.
func (c *Catalog) Valid(dep, mun string) bool {
	if _, ok := c.departmentAt[dep]; !ok {
		return false
	}
	if mun == "" {
		return true
	}
	m, ok := c.municipalities[mun]
	return ok && m.Department == dep
}

// clone returns a copy of d whose municipality slice is not shared, so that a
// caller appending to or editing it cannot change the catalog.
func (d Department) clone() Department {
	d.Municipalities = append([]Municipality(nil), d.Municipalities...)
	return d
}
