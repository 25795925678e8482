package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/shippedtest"
	"github.com/consulta/consulta/internal/xlsform"
	"github.com/consulta/consulta/locales"
)

// partnerXLSForm is an XLSForm with constructs Consulta cannot carry over
// (made by internal/xlsform's TestTestdata).
const partnerXLSForm = "../xlsform/testdata/partner.xlsx"

// exportShipped writes a shipped form as the workspace's download does.
func exportShipped(t *testing.T, id string) string {
	t.Helper()
	reg, tr, cat := shippedtest.Catalogs(t)
	f, _ := reg.Get(id)
	opt := xlsform.ExportOptions{Geo: cat, Text: func(lang, msg string) (string, bool) {
		text, got := tr.Localizer(lang).TL(msg)
		return text, got == lang
	}}
	for _, l := range tr.Languages() {
		opt.Languages = append(opt.Languages, xlsform.Language{Tag: l.Tag, Name: l.Name, EnglishName: l.EnglishName})
	}
	var buf bytes.Buffer
	if err := xlsform.Export(&buf, f, opt); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), id+".xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportXLSFormShipped turns a shipped form's XLSForm into a new form
// with its English file, which the server's checks accept: forms check, and
// i18n check with English complete.
func TestImportXLSFormShipped(t *testing.T) {
	env := baseEnv(t)
	file := exportShipped(t, "necesidades-informacion")
	formsDir, localesDir := t.TempDir(), t.TempDir()
	if err := os.CopyFS(localesDir, locales.FS); err != nil {
		t.Fatal(err)
	}
	args := []string{"forms", "import-xlsform", "--id", "necesidades-campo", "--out", formsDir, "--locales", localesDir, file}
	code, out, errs := run(t, env, args...)
	if code != 0 || errs != "" {
		t.Fatalf("import-xlsform: exit %d\n%s\n%s", code, out, errs)
	}
	formFile := filepath.Join(formsDir, "necesidades-campo.yaml")
	enFile := filepath.Join(localesDir, "en", "forms", "necesidades-campo.yaml")
	for _, want := range []string{"Written: " + formFile, "Written: " + enFile, "Form necesidades-campo has 14 questions."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(localesDir, "quc", "forms", "necesidades-campo.yaml")); err == nil {
		t.Error("a K'iche' file was written for a form with no K'iche' texts")
	}
	check := map[string]string{"CONSULTA_FORMS_DIR": formsDir, "CONSULTA_LOCALES_DIR": localesDir}
	for k, v := range env {
		if _, set := check[k]; !set {
			check[k] = v
		}
	}
	if code, out, errs := run(t, check, "forms", "check"); code != 0 || !strings.Contains(out, "1 forms OK") {
		t.Errorf("forms check: exit %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, check, "i18n", "check"); code != 0 || !strings.Contains(out, "en/forms/necesidades-campo.yaml") {
		t.Errorf("i18n check: exit %d\n%s\n%s", code, out, errs)
	}

	// Never a silent overwrite.
	before, _ := os.ReadFile(formFile)
	if err := os.WriteFile(formFile, []byte("# edited by hand\n"+string(before)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, env, args...)
	if code != 1 || !strings.Contains(errs, formFile+" already exists") {
		t.Errorf("second import: exit %d %q", code, errs)
	}
	if after, _ := os.ReadFile(formFile); !strings.HasPrefix(string(after), "# edited by hand") {
		t.Error("the file was replaced without --force")
	}
	if code, _, errs := run(t, env, append([]string{"forms", "import-xlsform", "--force"}, args[2:]...)...); code != 0 {
		t.Errorf("--force: exit %d %s", code, errs)
	}
	if after, _ := os.ReadFile(formFile); string(after) != string(before) {
		t.Error("--force did not write the form again")
	}
}

// TestImportXLSFormPartner imports an XLSForm with constructs Consulta
// cannot carry over: the form is written, and each of them is listed with
// its row, column and reason, in the language asked for.
func TestImportXLSFormPartner(t *testing.T) {
	env := baseEnv(t)
	formsDir, localesDir := t.TempDir(), t.TempDir()
	args := []string{"forms", "import-xlsform", "--out", formsDir, "--locales", localesDir, partnerXLSForm}
	code, out, errs := run(t, env, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"survey, row 12, column relevant: Consulta cannot evaluate \">\" in a condition",
		"survey, row 18, column type: Consulta does no calculations (calculate): the row is not carried over.",
		"survey, row 20, column type: Consulta keeps no coordinates (geopoint)",
		"survey, row 21: Consulta has no repeating groups: the group is not carried over, up to row 24.",
		"survey, row 1, column label::Kaqchikel (cak): Consulta has no Kaqchikel (cak) language",
		"Sheet external_choices: Consulta does not use this sheet: it is ignored.",
		"things in the XLSForm were not carried over as they are",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "Form encuesta-comunitaria-2024 has 21 questions.") {
		t.Errorf("stdout: %s", out)
	}
	if _, err := os.Stat(filepath.Join(localesDir, "en", "forms", "encuesta-comunitaria-2024.yaml")); err != nil {
		t.Errorf("English file: %v", err)
	}

	_, _, errs = run(t, env, append([]string{"forms", "import-xlsform", "--force", "--lang", "es"}, args[2:]...)...)
	if !strings.Contains(errs, "survey, fila 18, columna type: Consulta no hace cálculos (calculate): la fila no se trae.") {
		t.Errorf("Spanish messages:\n%s", errs)
	}
}

// TestImportXLSFormRefused: a file with nothing usable, or no spreadsheet,
// writes nothing and exits 1 with a sentence saying why.
func TestImportXLSFormRefused(t *testing.T) {
	env := baseEnv(t)
	dir := t.TempDir()
	notXLSX := filepath.Join(dir, "form.xlsx")
	if err := os.WriteFile(notXLSX, []byte("type,name,label\ntext,a,A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, env, "forms", "import-xlsform", "--out", dir, notXLSX)
	if code != 1 || !strings.Contains(errs, "is not an XLSX file") {
		t.Errorf("not an XLSX: exit %d %q", code, errs)
	}
	code, _, errs = run(t, env, "forms", "import-xlsform", "--out", dir, "../xlsform/testdata/nothing.xlsx")
	if code != 1 || !strings.Contains(errs, "Consulta does no calculations") ||
		!strings.Contains(errs, "Nothing was written: the XLSForm has no question Consulta can ask") {
		t.Errorf("nothing usable: exit %d %q", code, errs)
	}
	code, _, errs = run(t, env, "forms", "import-xlsform", "--out", dir, filepath.Join(dir, "missing.xlsx"))
	if code != 1 || !strings.Contains(errs, "does not exist") {
		t.Errorf("missing file: exit %d %q", code, errs)
	}
	if code, _, _ := run(t, env, "forms", "import-xlsform"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in %s: %v", dir, entries)
	}
	// Every code an import may give has its message in Spanish and English.
	tr, err := locale.Load(locales.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range xlsform.SkipCodes() {
		id := "xlsform.skip." + code
		for _, lang := range []string{"es", "en"} {
			if text, got := tr.Localizer(lang).TL(id); text == id || got != lang {
				t.Errorf("%s has no %s message", id, lang)
			}
		}
	}
}
