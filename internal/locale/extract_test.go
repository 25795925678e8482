package locale

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExtractOutput(t *testing.T) {
	tr := mustLoad(t, coverageFS(), surveyForm())
	var b strings.Builder
	if err := tr.Extract("en", &b); err != nil {
		t.Fatal(err)
	}
	want := `# Consulta: texts to translate into English (en).
# Paste each document into the file its first comment names, replacing any
# entry with the same id, and fill in the empty texts. Keep the hash: it says
# which Spanish text was translated.

# locales/en/ui.yaml: 3 to translate

# es: Enviar
form.submit: {hash: "` + Hash("Enviar") + `", other: ""}
# note: box title
# es (one): Hay un problema
# es (other): Hay {{.Count}} problemas
form.error_summary: {hash: "` + Hash("Hay {{.Count}} problemas") + `", one: "", other: ""}
# es: Recibimos su respuesta.
# outdated: We got your opinion.
thanks.body: {hash: "` + Hash("Recibimos su respuesta.") + `", other: ""}
`
	if b.String() != want {
		t.Errorf("Extract(en) =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestExtractErrors(t *testing.T) {
	tr := mustLoad(t, baseFS())
	for _, lang := range []string{"es", "EN", "not a tag", ""} {
		t.Run(lang, func(t *testing.T) {
			if err := tr.Extract(lang, &strings.Builder{}); err == nil {
				t.Errorf("Extract(%q) succeeded", lang)
			}
		})
	}
	fsys := baseFS()
	fsys["quc/ui.yaml"] = &fstest.MapFile{Data: []byte(enUI)} // any complete translation
	var b strings.Builder
	if err := mustLoad(t, fsys).Extract("quc", &b); err != nil || !strings.Contains(b.String(), "Nothing to translate") {
		t.Errorf("Extract of a complete language: %v\n%s", err, b.String())
	}
}

// TestExtractRoundTrip pastes Extract's documents into the files they name,
// first blank (nothing changes: blanks are missing), then filled in (the
// language becomes complete).
func TestExtractRoundTrip(t *testing.T) {
	for _, lang := range []string{"en", "quc", "cak", "mam"} {
		t.Run(lang, func(t *testing.T) {
			fsys := coverageFS()
			if lang == "mam" {
				fsys["mam/language.yaml"] = &fstest.MapFile{Data: []byte(languageYAML("Mam", "draft"))}
			}
			before := mustLoad(t, fsys, surveyForm())
			var b strings.Builder
			if err := before.Extract(lang, &b); err != nil {
				t.Fatal(err)
			}
			if lang == "cak" { // a new language: its language.yaml comes first
				fsys["cak/language.yaml"] = &fstest.MapFile{Data: []byte(languageYAML("Kaqchikel", "draft"))}
			}
			mergeExtract(t, fsys, b.String(), false)
			if c := coverageOf(mustLoad(t, fsys, surveyForm()), lang); c.Complete() {
				t.Fatalf("blank entries made %s complete", lang)
			}
			mergeExtract(t, fsys, b.String(), true)
			after := mustLoad(t, fsys, surveyForm())
			if c := coverageOf(after, lang); !c.Complete() {
				t.Fatalf("after filling in, %s is incomplete: %+v", lang, c)
			}
			if got := after.Localizer(lang).T("form.submit"); lang != "quc" && got != "T:Enviar" {
				t.Errorf("filled form.submit = %q", got)
			}
			if !strings.Contains(b.String(), "\nform.error_summary:") {
				return // quc has it already
			}
			if got := after.Localizer(lang).N("form.error_summary", 1); got != "T:Hay un problema" {
				t.Errorf("filled plural (one) = %q", got)
			}
			if got := after.Localizer(lang).N("form.error_summary", 2); got != "T:Hay 2 problemas" {
				t.Errorf("filled plural (other) = %q", got)
			}
		})
	}
}

var (
	docPath   = regexp.MustCompile(`(?m)^# locales/(\S+): \d+ to translate$`)
	entryLine = regexp.MustCompile(`(?m)^([a-z0-9_.]+): \{.*\}$`)
	esComment = regexp.MustCompile(`^# es(?: \((one|other)\))?: (.*)$`)
)

// mergeExtract pastes each document of an Extract output into the file it
// names, replacing entries with the same id. With fill, every blank text is
// filled with "T:" and the Spanish text of its form.
func mergeExtract(t *testing.T, fsys fstest.MapFS, out string, fill bool) {
	t.Helper()
	for _, doc := range strings.Split(out, "\n---\n") {
		m := docPath.FindStringSubmatch(doc)
		if m == nil {
			t.Fatalf("no file named in document:\n%s", doc)
		}
		name := m[1]
		if fill {
			doc = fillBlanks(doc)
		}
		var kept []string
		if old := fsys[name]; old != nil {
			ids := map[string]bool{}
			for _, e := range entryLine.FindAllStringSubmatch(doc, -1) {
				ids[e[1]] = true
			}
			for _, line := range strings.Split(string(old.Data), "\n") {
				if e := entryLine.FindStringSubmatch(line); e == nil || !ids[e[1]] {
					kept = append(kept, line)
				}
			}
		}
		fsys[name] = &fstest.MapFile{Data: []byte(strings.Join(kept, "\n") + "\n" + doc)}
	}
}

// fillBlanks fills `one: ""` and `other: ""` from the "# es" comments above.
func fillBlanks(doc string) string {
	lines := strings.Split(doc, "\n")
	texts := map[string]string{}
	for i, line := range lines {
		if m := esComment.FindStringSubmatch(line); m != nil {
			form := m[1]
			if form == "" {
				form = "other"
			}
			texts[form] = m[2]
			continue
		}
		if entryLine.MatchString(line) {
			for _, form := range []string{"one", "other"} {
				line = strings.Replace(line, form+`: ""`, form+`: "T:`+texts[form]+`"`, 1)
			}
			lines[i] = line
			texts = map[string]string{}
		}
	}
	return strings.Join(lines, "\n")
}

func coverageOf(tr *Translator, lang string) Coverage {
	for _, c := range tr.Check() {
		if c.Tag == lang {
			return c
		}
	}
	return Coverage{}
}
