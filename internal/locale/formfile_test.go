package locale

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consulta/consulta/internal/forms"
)

// TestEncodeFormFile writes the English texts of a shipped form again: the
// file reads back with the same entries, hashes included, as the shipped one.
func TestEncodeFormFile(t *testing.T) {
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := reg.Get("sugerencias")
	shipped, err := os.ReadFile("../../locales/en/forms/sugerencias.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := parseMessages(shipped, "shipped", translationFile)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"form.sugerencias.no_such_text": "dropped", "form.sugerencias.q.name.help": ""}
	for _, e := range want {
		texts[e.msg.ID] = e.msg.Other
	}
	data, err := EncodeFormFile(f, "English texts.", texts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseMessages(data, "encoded", translationFile)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d:\n%s", len(got), len(want), data)
	}
	for i := range want {
		g, w := got[i].msg, want[i].msg
		if g.ID != w.ID || g.Hash != w.Hash || g.Other != w.Other {
			t.Errorf("entry %d = %s %s %q, want %s %s %q", i, g.ID, g.Hash, g.Other, w.ID, w.Hash, w.Other)
		}
	}
	line := `form.sugerencias.title: {hash: "` + Hash(f.Title) + `", other: "Suggestion box"}`
	if !strings.HasPrefix(string(data), "# English texts.\n"+line+"\n") {
		t.Errorf("layout:\n%s", data)
	}
	if _, err := EncodeFormFile(f, "", map[string]string{"other.form.title": "x"}); err == nil {
		t.Error("a file with no entry was written")
	}
}

// TestReadLanguages lists languages from their language.yaml alone.
func TestReadLanguages(t *testing.T) {
	fsys := fstest.MapFS{
		"es/language.yaml":  {Data: []byte("name: Español\nenglish_name: Spanish\nstatus: reviewed\n")},
		"cak/language.yaml": {Data: []byte("name: Kaqchikel\nenglish_name: Kaqchikel\nstatus: draft\n")},
		"cak/ui.yaml":       {Data: []byte("not: [a, valid, file\n")}, // not read
	}
	langs, err := ReadLanguages(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(langs) != 2 || langs[0].Tag != "cak" || langs[0].Name != "Kaqchikel" || langs[1].Tag != "es" {
		t.Errorf("languages = %+v", langs)
	}
	delete(fsys, "cak/language.yaml")
	if _, err := ReadLanguages(fsys); err == nil {
		t.Error("a directory without language.yaml was accepted")
	}
}
