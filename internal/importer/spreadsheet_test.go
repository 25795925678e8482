package importer

import (
	"reflect"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/consulta/consulta/internal/consulta"
)

// TestSpreadsheetFiles reads files as spreadsheets write them: Spanish
// Excel's semicolons with the documented ';' between choices in a quoted
// cell, codes that lost their leading zeros, places by name, labels with
// commas, and Windows-1252 text.
func TestSpreadsheetFiles(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	latin1, err := charmap.Windows1252.NewEncoder().String(
		"role;location.department;location.municipality;info_sought\n" +
			"Madre, padre o encargado;Sacatepéquez;Antigua Guatemala;Ejecución presupuestaria\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		role       string
		place      consulta.Geo
		choices    []string
	}{
		{"semicolon file, ';' between choices, zeros lost",
			"role;location.department;location.municipality;info_sought\ndocente;1;101;\"matricula;presupuesto\"\n",
			"docente", consulta.Geo{Department: "01", Municipality: "0101"}, []string{"matricula", "presupuesto"}},
		{"comma file, names of places, labels",
			"role,location.department,location.municipality,info_sought\n\"Madre, padre o encargado\",sacatepequez,ANTIGUA GUATEMALA,\"Docentes; Tasas de cobertura\"\n",
			"madre_padre_encargado", consulta.Geo{Department: "03", Municipality: "0301"}, []string{"cobertura", "docentes"}},
		{"semicolon file, ',' between choices, a label with a comma",
			"role;location.department;location.municipality;info_sought;disaggregations\ndocente;01;0110;presupuesto,docentes;Por sector (oficial, privado, por cooperativa o municipal)\n",
			"docente", consulta.Geo{Department: "01", Municipality: "0110"}, []string{"presupuesto", "docentes"}},
		{"Windows-1252", latin1,
			"madre_padre_encargado", consulta.Geo{Department: "03", Municipality: "0301"}, []string{"presupuesto"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, res := fx.im.parse(Request{Form: f}, []byte(tc.file))
			if len(res.Errors) > 0 || len(rows) != 1 {
				t.Fatalf("problems %v, %d rows", problems(res.Errors), len(rows))
			}
			a := rows[0].response.Answers
			if d, ok := a["disaggregations"]; ok && !reflect.DeepEqual(d, []string{"sector"}) {
				t.Errorf("disaggregations = %#v", d)
			}
			if a["role"] != tc.role || a["location"] != tc.place || !reflect.DeepEqual(a["info_sought"], tc.choices) {
				t.Errorf("answers %#v", a)
			}
		})
	}
}
