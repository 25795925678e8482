package geo_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/consulta/consulta/internal/geo"
)

func mustLoad(t testing.TB) *geo.Catalog {
	t.Helper()
	c, err := geo.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestDepartmentsAndCounts(t *testing.T) {
	c := mustLoad(t)
	// Code, name and number of municipalities of every department, as in
	// force since Petatán (2015) brought the total to 340.
	want := []struct {
		code, name string
		count      int
	}{
		{"01", "Guatemala", 17}, {"02", "El Progreso", 8}, {"03", "Sacatepéquez", 16},
		{"04", "Chimaltenango", 16}, {"05", "Escuintla", 14}, {"06", "Santa Rosa", 14},
		{"07", "Sololá", 19}, {"08", "Totonicapán", 8}, {"09", "Quetzaltenango", 24},
		{"10", "Suchitepéquez", 21}, {"11", "Retalhuleu", 9}, {"12", "San Marcos", 30},
		{"13", "Huehuetenango", 33}, {"14", "Quiché", 21}, {"15", "Baja Verapaz", 8},
		{"16", "Alta Verapaz", 17}, {"17", "Petén", 14}, {"18", "Izabal", 5},
		{"19", "Zacapa", 11}, {"20", "Chiquimula", 11}, {"21", "Jalapa", 7},
		{"22", "Jutiapa", 17},
	}
	deps := c.Departments()
	if len(deps) != 22 {
		t.Fatalf("got %d departments, want 22", len(deps))
	}
	total := 0
	for i, w := range want {
		t.Run(w.code, func(t *testing.T) {
			d := deps[i]
			if d.Code != w.code || d.Name != w.name || len(d.Municipalities) != w.count {
				t.Errorf("department %d = %s %q with %d municipalities, want %s %q with %d",
					i, d.Code, d.Name, len(d.Municipalities), w.code, w.name, w.count)
			}
		})
		total += len(deps[i].Municipalities)
	}
	if total != 340 {
		t.Errorf("got %d municipalities, want 340", total)
	}
}

func TestCodes(t *testing.T) {
	c := mustLoad(t)
	seen := make(map[string]bool)
	for i, d := range c.Departments() {
		if want := fmt.Sprintf("%02d", i+1); d.Code != want {
			t.Errorf("department %d has code %q, want %q", i, d.Code, want)
		}
		for j, m := range d.Municipalities {
			// INE numbers municipalities consecutively within a department.
			if want := fmt.Sprintf("%s%02d", d.Code, j+1); m.Code != want {
				t.Errorf("municipality %q (%s) has code %q, want %q", m.Name, d.Name, m.Code, want)
			}
			if m.Department != d.Code || !strings.HasPrefix(m.Code, d.Code) {
				t.Errorf("municipality %s %q: department %q, listed under %q", m.Code, m.Name, m.Department, d.Code)
			}
			if seen[m.Code] {
				t.Errorf("municipality code %s appears twice", m.Code)
			}
			seen[m.Code] = true
			if got, ok := c.Municipality(m.Code); !ok || got != m {
				t.Errorf("Municipality(%q) = %+v, %v; want %+v", m.Code, got, ok, m)
			}
		}
	}
}

func TestNames(t *testing.T) {
	c := mustLoad(t)
	check := func(what, name string) {
		t.Helper()
		switch {
		case name == "":
			t.Errorf("%s: empty name", what)
		case strings.TrimSpace(name) != name:
			t.Errorf("%s: name %q is not trimmed", what, name)
		case !norm.NFC.IsNormalString(name):
			t.Errorf("%s: name %q is not NFC", what, name)
		case strings.ToUpper(name) == name:
			t.Errorf("%s: name %q is all capitals", what, name)
		}
	}
	for _, d := range c.Departments() {
		check("department "+d.Code, d.Name)
		names := make(map[string]bool)
		for _, m := range d.Municipalities {
			check("municipality "+m.Code, m.Name)
			if names[m.Name] {
				t.Errorf("department %s has two municipalities named %q", d.Name, m.Name)
			}
			names[m.Name] = true
		}
	}
}

func TestSpotChecks(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		code, name, dep string
	}{
		{"0101", "Guatemala", "01"}, // the capital
		{"0102", "Santa Catarina Pinula", "01"},
		{"0106", "Chinautla", "01"},
		{"0110", "San Juan Sacatepéquez", "01"},
		{"0115", "Villa Nueva", "01"},
		{"0301", "Antigua Guatemala", "03"},
		{"0502", "Santa Lucía Cotzumalguapa", "05"},
		{"0901", "Quetzaltenango", "09"},
		{"1301", "Huehuetenango", "13"},
		{"1401", "Santa Cruz del Quiché", "14"},
		{"1601", "Cobán", "16"},
		{"1701", "Flores", "17"},
		{"2217", "Quesada", "22"},
		// Created 2008-2015.
		{"1617", "Raxruhá", "16"},
		{"1713", "Las Cruces", "17"},
		{"1714", "El Chal", "17"},
		{"1021", "San José La Máquina", "10"},
		{"1911", "San Jorge", "19"},
		{"1230", "La Blanca", "12"},
		{"0514", "Sipacate", "05"},
		{"1333", "Petatán", "13"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			m, ok := c.Municipality(tt.code)
			if !ok {
				t.Fatalf("Municipality(%q) not found", tt.code)
			}
			if m.Name != tt.name || m.Department != tt.dep || m.Code != tt.code {
				t.Errorf("Municipality(%q) = %+v, want %s %q in %s", tt.code, m, tt.code, tt.name, tt.dep)
			}
		})
	}
}

func TestDepartment(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		code  string
		ok    bool
		name  string
		count int
	}{
		{"03", true, "Sacatepéquez", 16},
		{"14", true, "Quiché", 21},
		{"17", true, "Petén", 14},
		{"00", false, "", 0},
		{"23", false, "", 0},
		{"3", false, "", 0},
		{"", false, "", 0},
		{"0301", false, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			d, ok := c.Department(tt.code)
			if ok != tt.ok || d.Name != tt.name || len(d.Municipalities) != tt.count {
				t.Errorf("Department(%q) = %q with %d municipalities, %v; want %q with %d, %v",
					tt.code, d.Name, len(d.Municipalities), ok, tt.name, tt.count, tt.ok)
			}
		})
	}
}

func TestMunicipalityUnknown(t *testing.T) {
	c := mustLoad(t)
	for _, code := range []string{"", "01", "0100", "0118", "1334", "1715", "2218", "101", " 0101", "0101 "} {
		t.Run(code, func(t *testing.T) {
			if m, ok := c.Municipality(code); ok {
				t.Errorf("Municipality(%q) = %+v, want not found", code, m)
			}
		})
	}
}

func TestValid(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		dep, mun string
		want     bool
	}{
		{"01", "", true},
		{"01", "0101", true},
		{"22", "2217", true},
		{"13", "1333", true},
		{"05", "0514", true},
		{"03", "0301", true},
		{"01", "0301", false}, // municipality of another department
		{"13", "1401", false},
		{"01", "0118", false}, // no such municipality
		{"23", "", false},     // no such department
		{"00", "", false},
		{"", "", false},
		{"", "0101", false},
		{"1", "0101", false},
		{"01", "101", false},
		{"0101", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.dep+"/"+tt.mun, func(t *testing.T) {
			if got := c.Valid(tt.dep, tt.mun); got != tt.want {
				t.Errorf("Valid(%q, %q) = %v, want %v", tt.dep, tt.mun, got, tt.want)
			}
		})
	}
}

func TestCallersCannotChangeCatalog(t *testing.T) {
	c := mustLoad(t)
	deps := c.Departments()
	deps[0].Name = "changed"
	deps[0].Municipalities[0].Name = "changed"
	d, _ := c.Department("02")
	d.Municipalities[0].Name = "changed"

	if got := c.Departments()[0]; got.Name != "Guatemala" || got.Municipalities[0].Name != "Guatemala" {
		t.Errorf("Departments() result shares memory with the catalog: %q / %q", got.Name, got.Municipalities[0].Name)
	}
	if got, _ := c.Department("02"); got.Municipalities[0].Name != "Guastatoya" {
		t.Errorf("Department() result shares memory with the catalog: %q", got.Municipalities[0].Name)
	}
	if other := mustLoad(t); other == c {
		t.Error("Load returned the same catalog twice")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := geo.Load(); err != nil {
			b.Fatal(err)
		}
	}
}
