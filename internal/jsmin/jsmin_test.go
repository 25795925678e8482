package jsmin_test

import (
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/jsmin"
)

func TestMinify(t *testing.T) {
	src := `/* a header */
(function (window, document) {
  // A comment on its own line.
  var shared = window.Shared = window.Shared || {};
  function remember(entry) {
    try { localStorage.setItem('key', JSON.stringify(entry)); } catch (e) { return null; }
    return shared.value === undefined ? entry : shared.value; // a comment after code
  }
  shared.remember = remember;
})(window, document);
`
	got, err := jsmin.Minify([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(got)
	for _, gone := range []string{"header", "comment", "shared", "remember(", "entry", "\n"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q is left in %s", gone, out)
		}
	}
	// Globals and properties keep their names: the script still works.
	for _, kept := range []string{".Shared", "localStorage.setItem", "JSON.stringify", ".remember=", ".value", "(window,document)"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q is missing from %s", kept, out)
		}
	}
	// No syntax newer than ES2015: the catch keeps its binding, no "??".
	if strings.Contains(out, "catch{") || strings.Contains(out, "??") {
		t.Errorf("syntax newer than ES2015 in %s", out)
	}
	if len(out) >= len(src)/2 {
		t.Errorf("%d bytes from %d: hardly minified", len(out), len(src))
	}
}

func TestMinifyRefusesBrokenScripts(t *testing.T) {
	for _, src := range []string{"var a = ;", "function (", "'open string"} {
		if out, err := jsmin.Minify([]byte(src)); err == nil {
			t.Errorf("%q: no error, got %q", src, out)
		}
	}
}
