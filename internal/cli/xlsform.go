package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/xlsform"
	"github.com/consulta/consulta/locales"
)

// runImportXLSForm makes a form file and its translation files from an
// XLSForm (docs/integrations.md). It lists on stderr what it could not carry
// over, row by row, and writes the files unless not one question could be
// carried over (exit 1). It never replaces a file without --force.
func runImportXLSForm(ctx context.Context, args []string, stdio IO) error {
	var id, out, localesOut, lang string
	var force bool
	cfg, rest, err := parse("forms import-xlsform", args, stdio, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "id", "", "the form's id (default: the XLSForm's form_id, or the file's name)")
		fs.StringVar(&out, "out", "", "directory to write the form into (default: CONSULTA_FORMS_DIR)")
		fs.StringVar(&localesOut, "locales", "", "translations directory to write into (default: CONSULTA_LOCALES_DIR, else ./locales)")
		fs.BoolVar(&force, "force", false, "replace files that exist")
		fs.StringVar(&lang, "lang", "en", "language of the messages (es, en...)")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errUsage
	}
	out = firstOf(out, cfg.FormsDir)
	localesOut = firstOf(localesOut, cfg.LocalesDir, "locales")
	l, err := cliLocalizer(cfg, lang)
	if err != nil {
		return err
	}
	file := rest[0]
	res, err := importXLSForm(file, id, localesOut)
	if res != nil {
		printSkipped(stdio.Stderr, l, res.Skipped)
	}
	if err != nil {
		return xlsformFailure(stdio.Stderr, l, file, err)
	}
	written, err := writeImported(res, out, localesOut, force)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintln(stdio.Stderr, l.T("xlsform.exists", locale.Pairs("Path", written)))
		return exitError{1}
	}
	if err != nil {
		return err
	}
	for _, path := range append([]string{written}, translationPaths(res, localesOut)...) {
		fmt.Fprintln(stdio.Stdout, l.T("xlsform.wrote", locale.Pairs("Path", path)))
	}
	fmt.Fprintln(stdio.Stdout, l.N("xlsform.done", len(res.Form.Questions), locale.Pairs("ID", res.Form.ID)))
	return nil
}

// firstOf returns the first of values that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// cliLocalizer gives the messages of a command in lang, from the configured
// translations or the built-in ones; it needs no form.
func cliLocalizer(cfg *config.Config, lang string) (*locale.Localizer, error) {
	var fsys fs.FS = locales.FS
	if cfg.LocalesDir != "" {
		fsys = os.DirFS(cfg.LocalesDir)
	}
	tr, err := locale.Load(fsys, nil)
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	return tr.Localizer(lang), nil
}

// importXLSForm reads the XLSForm with the languages of the translations
// directory it will write into (the built-in ones when it has none yet).
func importXLSForm(file, id, localesDir string) (*xlsform.Result, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var fsys fs.FS = locales.FS
	if _, err := os.Stat(filepath.Join(localesDir, locale.Source, "language.yaml")); err == nil {
		fsys = os.DirFS(localesDir)
	}
	langs, err := locale.ReadLanguages(fsys)
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	opt := xlsform.Options{ID: id, FileName: filepath.Base(file)}
	for _, l := range langs {
		opt.Languages = append(opt.Languages, xlsform.Language{Tag: l.Tag, Name: l.Name, EnglishName: l.EnglishName})
	}
	return xlsform.Import(f, opt)
}

// printSkipped lists what the import did not carry over, one line each.
func printSkipped(w io.Writer, l *locale.Localizer, skipped []xlsform.Skipped) {
	for _, s := range skipped {
		msg := l.T("xlsform.skip."+s.Code, s.Params)
		if s.Row == 0 {
			fmt.Fprintln(w, l.T("xlsform.item_sheet", locale.Pairs("Sheet", s.Sheet, "Message", msg)))
			continue
		}
		fmt.Fprintln(w, l.T("xlsform.item", locale.Pairs("Sheet", s.Sheet, "Row", s.Row, "Column", s.Column, "Message", msg)))
	}
	if len(skipped) > 0 {
		fmt.Fprintln(w, l.N("xlsform.skipped", len(skipped)))
	}
}

// xlsformFailure tells why nothing was written.
func xlsformFailure(w io.Writer, l *locale.Localizer, file string, err error) error {
	var problems forms.Problems
	switch {
	case errors.Is(err, xlsform.ErrNothingUsable):
		fmt.Fprintln(w, l.T("xlsform.nothing"))
	case errors.Is(err, xlsform.ErrTooLarge):
		fmt.Fprintln(w, l.T("xlsform.too_large", locale.Pairs("File", file, "MaxMB", xlsform.MaxBytes>>20)))
	case errors.Is(err, xlsform.ErrNotXLSX):
		fmt.Fprintln(w, l.T("xlsform.not_xlsx", locale.Pairs("File", file)))
	case errors.As(err, &problems):
		fmt.Fprintln(w, l.T("xlsform.invalid"))
		fmt.Fprintln(w, problems.Error())
	default:
		return err
	}
	return exitError{1}
}

// writeImported writes the form into dir and its translations into
// localesDir/<lang>/forms, refusing (fs.ErrExist, with the path) to replace
// a file unless force. It returns the form file's path.
func writeImported(res *xlsform.Result, dir, localesDir string, force bool) (string, error) {
	f := res.Form
	formPath := filepath.Join(dir, f.ID+".yaml")
	paths := append([]string{formPath}, translationPaths(res, localesDir)...)
	if !force {
		for _, p := range paths {
			if _, err := os.Stat(p); err == nil {
				return p, fs.ErrExist
			}
		}
	}
	header := fmt.Sprintf("Importado de un XLSForm con consulta forms import-xlsform.\n"+
		"Los textos en español son la fuente; las traducciones están en\nlocales/<idioma>/forms/%s.yaml.", f.ID)
	data, err := forms.Encode(f, header)
	if err != nil {
		return formPath, err
	}
	if err := writeFile(formPath, data); err != nil {
		return formPath, err
	}
	for _, tag := range translationTags(res) {
		data, err := locale.EncodeFormFile(f, fmt.Sprintf("Traducción (%s) de forms/%s.yaml, importada de un XLSForm.", tag, f.ID), res.Translations[tag])
		if err != nil {
			return formPath, err
		}
		if err := writeFile(filepath.Join(localesDir, tag, "forms", f.ID+".yaml"), data); err != nil {
			return formPath, err
		}
	}
	return formPath, nil
}

// writeFile writes data to path whole or not at all, making its directory.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return writeAtomic(path, ".consulta-xlsform-*", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// translationTags are the languages the import has texts in, sorted.
func translationTags(res *xlsform.Result) []string {
	var tags []string
	for tag, texts := range res.Translations {
		if len(texts) > 0 {
			tags = append(tags, tag)
		}
	}
	slices.Sort(tags)
	return tags
}

// translationPaths are the translation files the import writes.
func translationPaths(res *xlsform.Result, localesDir string) []string {
	var paths []string
	for _, tag := range translationTags(res) {
		paths = append(paths, filepath.Join(localesDir, tag, "forms", res.Form.ID+".yaml"))
	}
	return paths
}
