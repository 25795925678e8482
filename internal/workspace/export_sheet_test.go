package workspace_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/xuri/excelize/v2"
)

// TestExportForSpreadsheets downloads one response as XLSX twice, with
// Spanish labels and with English headers and codes, and reads the
// workbooks back: codes are text cells that keep their leading zeros,
// numbers are numbers, the time is local, the triage is there, and no cell
// is a formula, not even the answer written as one.
func TestExportForSpreadsheets(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	res, body := e.submit("necesidades-informacion", `{"answers":{"role":"docente",
		"location":{"department":"01","municipality":"0101"},"info_sought":["presupuesto","docentes"],
		"frequency":"anual","ease_find":4,"missing":"=HYPERLINK(\"http://evil.test\",\"clic\")"},"lang":"es"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(body), &created)
	received := triage(t, e, created.ID)
	b := e.login("analyst@mineduc.test")

	loc, _ := time.LoadLocation("America/Guatemala")
	local := received.In(loc).Format("2006-01-02 15:04:05")

	t.Run("spanish labels", func(t *testing.T) {
		rows := workbook(t, b, "values=labels&sheet_lang=es")
		want := map[string]string{
			"Recibida (America/Guatemala, UTC-06:00)": local,
			"Medio":        "Página del formulario",
			"Departamento": "Guatemala",
			"¿Cuál de estas opciones le describe mejor?": "Docente",
			"Estado":      "En revisión",
			"Etiquetas":   "aulas, datos",
			"Responsable": "analyst@mineduc.test",
			"¿Qué información educativa busca o necesita? [Ejecución presupuestaria]":         "1",
			"¿Qué información educativa busca o necesita? [Tasas de cobertura]":               "0",
			"¿En qué departamento y municipio vive o trabaja? (Departamento)":                 "Guatemala",
			"Hoy, ¿qué tan fácil le resulta encontrar en el portal la información que busca?": "4",
		}
		checkRow(t, rows, want)
	})
	t.Run("english codes", func(t *testing.T) {
		rows := workbook(t, b, "values=codes&sheet_lang=en")
		want := map[string]string{
			"Received (America/Guatemala, UTC-06:00)": local,
			"Channel":                   "page",
			"Department":                "01",
			"role":                      "docente",
			"Status":                    "in_review",
			"location (Municipality)":   "0101",
			"info_sought [presupuesto]": "1",
		}
		checkRow(t, rows, want)
	})
}

// triage sets a status, tags and an assignee on response id and returns
// when it was received.
func triage(t *testing.T, e *env, id string) time.Time {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := e.store.Response(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	users, err := e.store.Users(ctx)
	if err != nil || len(users) == 0 {
		t.Fatalf("users: %v", err)
	}
	if _, err := e.store.SaveTriage(ctx, r, consulta.TriageUpdate{Status: "in_review", Tags: []string{"aulas", "datos"},
		Assignee: users[0].ID, By: users[0].ID, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return r.ReceivedAt
}

// sheetRows is a workbook's header row and its first row, and the types and
// formulas of that row's cells, by header.
type sheetRows struct {
	values   map[string]string
	types    map[string]excelize.CellType
	formulas []string
}

// workbook downloads the XLSX export of necesidades-informacion with the
// options in query and reads it back.
func workbook(t *testing.T, b *browser, query string) sheetRows {
	t.Helper()
	res, body := b.get("/admin/export/download?form=necesidades-informacion&format=xlsx&" + query)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows: %v, %d rows, want the header and one response", err, len(rows))
	}
	out := sheetRows{values: map[string]string{}, types: map[string]excelize.CellType{}}
	for i, h := range rows[0] {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		out.values[h], _ = f.GetCellValue(sheet, cell)
		out.types[h], _ = f.GetCellType(sheet, cell)
		for _, c := range []string{cell, strings.Replace(cell, "2", "1", 1)} {
			if fm, _ := f.GetCellFormula(sheet, c); fm != "" {
				out.formulas = append(out.formulas, c+": "+fm)
			}
		}
	}
	return out
}

func checkRow(t *testing.T, got sheetRows, want map[string]string) {
	t.Helper()
	for h, v := range want {
		if got.values[h] != v {
			t.Errorf("%q = %q, want %q (columns: %v)", h, got.values[h], v, got.values)
		}
	}
	if len(got.formulas) > 0 {
		t.Errorf("formulas: %v", got.formulas)
	}
	for h, v := range got.values {
		if strings.Contains(v, "HYPERLINK") && !strings.HasPrefix(v, "'") {
			t.Errorf("%q holds %q undefused", h, v)
		}
	}
	for h, typ := range got.types {
		switch {
		case got.values[h] == "":
		case strings.HasPrefix(h, "Recibida") || strings.HasPrefix(h, "Received"):
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%q is of type %v, want a date", h, typ)
			}
		case h == "ease_find" || strings.Contains(h, "[") || strings.HasPrefix(h, "Hoy"):
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%q is of type %v, want a number", h, typ)
			}
		case h == "Departamento" || h == "Department" || strings.Contains(h, "unicip"):
			if typ != excelize.CellTypeInlineString {
				t.Errorf("%q is of type %v, want text (zeros kept)", h, typ)
			}
		}
	}
}
