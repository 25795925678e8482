package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateOrgCover: every report's cover names the configured
// organisation and shows its logo (a period report and a session summary);
// without one, the translations' name of the ministry.
func TestGenerateOrgCover(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	from, to, _ := semester(fx.loc)
	rs := fx.seed(t, f, 200, from, to, 7)
	session := ""
	for _, r := range rs {
		if r.Session != "" {
			session = r.Session
			break
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, 10, color.RGBA{200, 30, 30, 255})
	}
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	deps := fx.deps()
	deps.Org, deps.OrgLogo = "Municipalidad de Cobán", logo.Bytes()
	for _, p := range []Params{{FormID: f.ID, From: from, To: to, Lang: "es"}, {FormID: f.ID, Session: session, Lang: "en"}} {
		path := renameTo(t, writeReport(t, deps, p), p.Lang+"-logo")
		cover := tool(t, "pdftotext", "-f", "1", "-l", "1", path, "-")
		if !strings.Contains(cover, "Municipalidad de Cobán") {
			t.Errorf("%s %s: the cover does not name the organisation:\n%s", p.Lang, p.Session, cover)
		}
		if images := tool(t, "pdfimages", "-list", "-f", "1", "-l", "1", path); coverImages(images) != 1 {
			t.Errorf("the cover has no logo:\n%s", images)
		}
		if info := tool(t, "pdfinfo", path); !strings.Contains(info, "Municipalidad de Cobán") {
			t.Errorf("the author is not the organisation:\n%s", info)
		}
	}
	path := writeReport(t, fx.deps(), Params{FormID: f.ID, From: from, To: to, Lang: "es", Session: ""})
	path = renameTo(t, path, "default")
	cover := tool(t, "pdftotext", "-f", "1", "-l", "1", path, "-")
	if !strings.Contains(cover, "Ministerio de Educación") {
		t.Errorf("without an organisation configured, the cover names none:\n%s", cover)
	}
	if images := tool(t, "pdfimages", "-list", "-f", "1", "-l", "1", path); coverImages(images) != 0 {
		t.Errorf("a logo without one configured:\n%s", images)
	}
}

// writeReport generates a report with deps into a file and returns its path.
func writeReport(t *testing.T, deps Deps, p Params) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Generate(ctxT(t), deps, p, &buf, nil); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	dir := os.Getenv("CONSULTA_REPORT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "org-"+p.Lang+p.Session+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// coverImages counts the images pdfimages -list lists (not their masks).
func coverImages(list string) int {
	n := 0
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[2] == "image" {
			n++
		}
	}
	return n
}

// renameTo moves a generated report beside itself under another name, so
// that the reports kept under CONSULTA_REPORT_DIR do not overwrite each other.
func renameTo(t *testing.T, path, name string) string {
	t.Helper()
	to := filepath.Join(filepath.Dir(path), "org-"+name+".pdf")
	if err := os.Rename(path, to); err != nil {
		t.Fatal(err)
	}
	return to
}
