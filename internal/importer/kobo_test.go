package importer

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/storetest"
)

// koboFile is a CSV export of KoboToolbox, as its "XML values and headers"
// export with select_multiple "single and separate columns" writes it, for
// the shipped form necesidades-informacion collected from its XLSForm.
const koboFile = "testdata/kobo-necesidades-informacion.csv"

func readKobo(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(koboFile)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestParseKobo reads Kobo's export: every question's column, the 0/1
// columns of the choices left aside, Kobo's metadata ignored in silence, the
// response IDs from _uuid and the times from _submission_time.
func TestParseKobo(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	rows, res := fx.im.parse(Request{Form: f}, readKobo(t))
	if len(res.Errors) > 0 {
		t.Fatalf("problems: %+v", res.Errors)
	}
	if res.Layout != LayoutKobo || len(rows) != 3 || len(res.Ignored) != 0 {
		t.Fatalf("layout %s, %d rows, ignored %v", res.Layout, len(rows), res.Ignored)
	}
	r := rows[0].response
	want := map[string]any{
		"role": "estudiante", "location": consulta.Geo{Department: "01", Municipality: "0101"},
		"info_sought": []string{"matricula", "presupuesto", "other"}, "info_sought_other": "Becas por municipio",
		"disaggregations": []string{"genero", "area"}, "formats": []string{"csv", "excel"},
		"frequency": "anual", "ease_find": 2.0, "ease_understand": 3.0,
		"missing": "Datos de matrícula por municipio y año.", "focus_group": false,
	}
	if !reflect.DeepEqual(r.Answers, want) {
		t.Errorf("row 2 answers:\ngot  %#v\nwant %#v", r.Answers, want)
	}
	if r.ID != intake.ResponseID(f.ID, "kobo:8f1c2b9e-4a7d-4c1e-9b3a-2f6d5e7a1c01") ||
		!r.ReceivedAt.Equal(time.Date(2026, 2, 9, 16, 6, 3, 0, time.UTC)) ||
		r.Channel != consulta.ChannelImport || r.Department != "01" || r.HasContact {
		t.Errorf("row 2: id %s at %v channel %s department %s contact %v", r.ID, r.ReceivedAt, r.Channel, r.Department, r.HasContact)
	}
	c := rows[1].contact
	if c == nil || c.Fields["name"] != "Ana López" || c.Fields["email"] != "ana.lopez@example.org" ||
		c.Fields["phone"] != "+502 5555 1234" || c.Fields["consent"] != true || !rows[1].response.HasContact {
		t.Errorf("row 3 contact: %+v", c)
	}
	if _, leaked := rows[1].response.Answers["email"]; leaked {
		t.Error("the e-mail is in the answers")
	}
	if at := rows[1].response.ReceivedAt; !at.Equal(time.Date(2026, 2, 9, 17, 40, 51, 214e6, time.UTC)) {
		t.Errorf("row 3 received at %v", at)
	}
	if g := rows[2].response.Answers["location"]; g != (consulta.Geo{Department: "16"}) {
		t.Errorf("row 4 location %v", g)
	}
}

// TestParseKoboVariants reads the other layouts of Kobo's export: commas,
// group names in the headers, choices in their 0/1 columns alone, and the
// rows Kobo's _uuid and _submission_time make wrong.
func TestParseKoboVariants(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "sugerencias")
	file := "_index,datos/topic,datos/message,wants_reply,total,gps,_uuid,_submission_time\n" +
		"1,docentes,Hola,no,3,14.6 -90.5 0 0,u-1,2026-02-01T10:00:00\n" +
		"2,docentes,Otra,no,3,,u-1,2026-02-01T10:00:00\n" +
		"3,docentes,Sin id,no,3,,,2026-02-01T10:00:00\n" +
		"4,docentes,Fecha mala,no,3,,u-4,ayer\n" +
		"5,docentes,Del futuro,no,3,,u-5,2030-01-01T00:00:00+00:00\n"
	rows, res := fx.im.parse(Request{Form: f}, []byte(file))
	want := []problem{{3, "_uuid", "duplicate_uuid"}, {4, "_uuid", "missing_uuid"}, {5, "_submission_time", "bad_time"}, {6, "_submission_time", "bad_time"}}
	if got := problems(res.Errors); !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	if !reflect.DeepEqual(res.Ignored, []string{"total", "gps"}) {
		t.Errorf("ignored = %v", res.Ignored)
	}
	if len(rows) != 1 || rows[0].response.Answers["topic"] != "docentes" || rows[0].response.Answers["wants_reply"] != false {
		t.Errorf("rows = %+v", rows)
	}

	multi := fx.form(t, "necesidades-informacion")
	file = "grupo/role;grupo/location_department;grupo/info_sought/matricula;grupo/info_sought/docentes;grupo/info_sought/other;grupo/info_sought_other;_uuid\n" +
		"docente;01;True;0;1;Becas;a\n"
	rows, res = fx.im.parse(Request{Form: multi}, []byte(file))
	if len(res.Errors) > 0 || len(rows) != 1 {
		t.Fatalf("separate columns: %v", problems(res.Errors))
	}
	if got := rows[0].response.Answers["info_sought"]; !reflect.DeepEqual(got, []string{"matricula", "other"}) {
		t.Errorf("info_sought from its 0/1 columns = %v", got)
	}
	if rows[0].response.ReceivedAt != fx.im.Now() {
		t.Errorf("without _submission_time the row is received now, not %v", rows[0].response.ReceivedAt)
	}
}

// TestImportKoboTwice imports Kobo's export into a real store, then the same
// file again, then a newer export holding one more row: nothing counts twice.
func TestImportKoboTwice(t *testing.T) {
	fx := newFixture(t)
	st := storetest.New(t)
	fx.im.Store = st
	f := fx.form(t, "necesidades-informacion")
	ctx := context.Background()
	data := readKobo(t)
	run := func(file []byte) Result {
		t.Helper()
		res, err := fx.im.Import(ctx, Request{Form: f, Lang: "es", File: bytes.NewReader(file)})
		if err != nil {
			t.Fatalf("import: %v %+v", err, res.Errors)
		}
		return res
	}
	if res := run(data); res.Stored != 3 || res.Skipped != 0 {
		t.Fatalf("first import: stored %d, skipped %d", res.Stored, res.Skipped)
	}
	if res := run(data); res.Stored != 0 || res.Skipped != 3 {
		t.Errorf("same file again: stored %d, skipped %d", res.Stored, res.Skipped)
	}
	header := strings.Split(strings.SplitN(string(data), "\r\n", 2)[0], ";")
	cells := map[string]string{`"role"`: "otro", `"location_department"`: "22", `"info_sought"`: "compras",
		`"_uuid"`: "d4e5f6a7-0000-4000-8000-000000000004", `"_submission_time"`: "2026-02-11T15:00:00"}
	row := make([]string, len(header))
	for i, h := range header {
		row[i] = `"` + cells[h] + `"`
	}
	newer := string(data) + strings.Join(row, ";") + "\r\n"
	if res := run([]byte(newer)); res.Stored != 1 || res.Skipped != 3 {
		t.Errorf("newer export: stored %d, skipped %d, problems %+v", res.Stored, res.Skipped, res.Errors)
	}
	var got []*consulta.Response
	err := st.EachResponse(ctx, consulta.ResponseFilter{FormID: f.ID}, nil, func(r *consulta.Response) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d responses stored, want 4", len(got))
	}
	contacts := 0
	for _, r := range got {
		if r.Channel != consulta.ChannelImport || r.ReceivedAt.After(time.Date(2026, 2, 12, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("response %s: channel %s, received %v", r.ID, r.Channel, r.ReceivedAt)
		}
		if r.HasContact {
			contacts++
			c, err := st.Contact(ctx, r.ID)
			if err != nil || c.Fields["email"] != "ana.lopez@example.org" {
				t.Errorf("contact of %s: %+v %v", r.ID, c, err)
			}
		}
	}
	if contacts != 1 {
		t.Errorf("%d contacts, want 1", contacts)
	}
}
