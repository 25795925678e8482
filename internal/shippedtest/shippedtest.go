// Package shippedtest gives tests what Consulta ships: the forms of forms/,
// their translations and the geographic catalog, loaded as the program loads
// them.
package shippedtest

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/locales"
)

// FormsDir is the repository's forms/ directory, wherever the test runs.
func FormsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "forms")
}

// Catalogs loads the shipped forms, their translations and the geographic
// catalog, failing the test on any error.
func Catalogs(t testing.TB) (*forms.Registry, *locale.Translator, *geo.Catalog) {
	t.Helper()
	reg, err := forms.LoadDir(FormsDir())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := locale.Load(locales.FS, reg.All())
	if err != nil {
		t.Fatal(err)
	}
	return reg, tr, cat
}
