package importer

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// fixture loads the shipped forms and the geographic catalog once per test.
type fixture struct {
	reg *forms.Registry
	im  *Importer
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC) }
	return fixture{reg: reg, im: &Importer{Geo: catalog, Now: now}}
}

func (fx fixture) form(t *testing.T, id string) *forms.Form {
	t.Helper()
	f, ok := fx.reg.Get(id)
	if !ok {
		t.Fatalf("no form %q", id)
	}
	return f
}

// problem is the part of a RowError a test checks.
type problem struct {
	Row          int
	Column, Code string
}

func problems(errs []RowError) []problem {
	var out []problem
	for _, e := range errs {
		out = append(out, problem{e.Row, e.Column, e.Code})
	}
	return out
}

// TestParse reads files made from the template, good and bad, without a store.
func TestParse(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name, form, file string
		wantRows         int       // valid rows kept (only when no problems are expected)
		want             []problem // expected problems, in order
		check            func(t *testing.T, rows []row)
	}{
		{name: "good file with a byte-order mark", form: "sugerencias",
			file:     "\ufefftopic,message,wants_reply,consent,phone\ndocentes,Bien,no,,\nDocentes,\"Mejor, con coma\",Sí,x,5555 1234\n",
			wantRows: 2,
			check: func(t *testing.T, rows []row) {
				r := rows[1].response
				if r.Answers["topic"] != "docentes" || r.Answers["message"] != "Mejor, con coma" || r.Answers["wants_reply"] != true {
					t.Errorf("row 3 answers = %v", r.Answers)
				}
				if r.Channel != consulta.ChannelImport || r.Session != "ABC234" || r.Lang != "es" || r.Status != consulta.StatusNew {
					t.Errorf("row 3 = channel %q session %q lang %q status %q", r.Channel, r.Session, r.Lang, r.Status)
				}
				if rows[0].line != 2 || rows[1].line != 3 || rows[0].response.ID == rows[1].response.ID {
					t.Errorf("lines %d, %d; IDs %s, %s", rows[0].line, rows[1].line, rows[0].response.ID, rows[1].response.ID)
				}
			}},
		{name: "semicolon-separated (Spanish Excel)", form: "sugerencias",
			file: "topic;message\nEstadísticas educativas;Hola, con coma\n", wantRows: 1,
			check: func(t *testing.T, rows []row) {
				if a := rows[0].response.Answers; a["topic"] != "estadisticas_educativas" || a["message"] != "Hola, con coma" {
					t.Errorf("answers = %v", a)
				}
			}},
		{name: "choices split by ';' in a comma file, geo by INE codes", form: "necesidades-informacion",
			file:     "role,location.department,location.municipality,info_sought\ndocente,01,0101,matricula; presupuesto\n",
			wantRows: 1,
			check: func(t *testing.T, rows []row) {
				r := rows[0].response
				if got := r.Answers["info_sought"]; !reflect.DeepEqual(got, []string{"matricula", "presupuesto"}) {
					t.Errorf("info_sought = %#v", got)
				}
				if r.Department != "01" {
					t.Errorf("department = %q, want 01", r.Department)
				}
			}},
		{name: "choices split by ',' in a semicolon file", form: "necesidades-informacion",
			file:     "role;location.department;location.municipality;info_sought\ndocente;01;0101;matricula,presupuesto\n",
			wantRows: 1},
		{name: "blank lines are skipped", form: "sugerencias",
			file: "topic,message\n\ndocentes,Bien\n,\n", wantRows: 1},
		{name: "contact answers go to a contact", form: "sugerencias",
			file:     "message,wants_reply,email,consent\nRespóndanme,sí,ana@example.org,sí\n",
			wantRows: 1,
			check: func(t *testing.T, rows []row) {
				r := rows[0]
				if r.contact == nil || r.contact.Fields["email"] != "ana@example.org" || !r.response.HasContact {
					t.Errorf("contact = %+v", r.contact)
				}
				if _, leaked := r.response.Answers["email"]; leaked {
					t.Errorf("the e-mail is in the response's answers")
				}
			}},
		{name: "unknown option", form: "sugerencias", file: "topic,message\nno_existe,Mal\n",
			want: []problem{{2, "topic", "not_an_option"}}},
		{name: "required answer missing", form: "sugerencias", file: "topic,message\ndocentes,\n",
			want: []problem{{2, "message", "required"}}},
		{name: "answer too long", form: "sugerencias", file: "message\n" + strings.Repeat("a", 2001) + "\n",
			want: []problem{{2, "message", "too_long"}}},
		{name: "bad yes/no", form: "sugerencias", file: "message,wants_reply\nHola,quizás\n",
			want: []problem{{2, "wants_reply", "wrong_type"}}},
		{name: "unknown municipality", form: "necesidades-informacion",
			file: "role,location.department,location.municipality,info_sought\ndocente,01,9999,matricula\n",
			want: []problem{{2, "location", "invalid_geo"}}},
		{name: "every bad row is listed, good ones are not kept", form: "sugerencias",
			file: "topic,message\ndocentes,Bien\nno_existe,Mal\ndocentes,Bien\ndocentes,\n",
			want: []problem{{3, "topic", "not_an_option"}, {5, "message", "required"}}},
		{name: "header mismatch", form: "sugerencias", file: "topic,mesage,Otra\ndocentes,Hola,x\n",
			want: []problem{{1, "mesage", "unknown_column"}, {1, "Otra", "unknown_column"}}},
		{name: "header of another form", form: "sugerencias", file: "role,info_sought\ndocente,matricula\n",
			want: []problem{{1, "role", "unknown_column"}, {1, "info_sought", "unknown_column"}}},
		{name: "empty file", form: "sugerencias", file: "", want: []problem{{1, "", "empty"}}},
		{name: "only a byte-order mark", form: "sugerencias", file: "\ufeff", want: []problem{{1, "", "empty"}}},
		{name: "header without rows", form: "sugerencias", file: "\ufefftopic,message\n\n", want: []problem{{2, "", "empty"}}},
		{name: "broken quoting", form: "sugerencias", file: "topic,message\ndocentes,\"sin cerrar\n",
			want: []problem{{2, "", "bad_csv"}}},
		{name: "too many rows", form: "sugerencias", file: "message\n" + strings.Repeat("Hola\n", MaxRows+1),
			want: []problem{{MaxRows + 2, "", "too_many_rows"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Form: fx.form(t, tc.form), Session: "ABC234", File: strings.NewReader(tc.file)}
			rows, res := fx.im.parse(req, []byte(tc.file))
			if got := problems(res.Errors); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
			if tc.want != nil {
				return
			}
			if len(rows) != tc.wantRows || res.Rows != tc.wantRows {
				t.Fatalf("%d rows kept, %d read; want %d", len(rows), res.Rows, tc.wantRows)
			}
			if tc.check != nil {
				tc.check(t, rows)
			}
		})
	}
}

// TestRowIDs checks that a row's ID depends on the file's content and its
// line, so that the same file imported twice is recognised.
func TestRowIDs(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "sugerencias")
	ids := func(file string) []string {
		rows, res := fx.im.parse(Request{Form: f}, []byte(file))
		if len(res.Errors) > 0 {
			t.Fatalf("%q: %v", file, problems(res.Errors))
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.response.ID)
		}
		return out
	}
	a := "message\nUno\nDos\n"
	for _, tc := range []struct {
		name, other string
		same        bool
	}{
		{"the same file", a, true},
		{"another file", "message\nUno\nTres\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := ids(a), ids(tc.other)
			if x[0] == y[0] != tc.same {
				t.Errorf("IDs %v and %v: same = %v, want %v", x, y, x[0] == y[0], tc.same)
			}
		})
	}
}

// TestImportRefusesBeforeStoring checks the refusals that come before any
// store call: the importer has no store here, so reaching it would panic.
func TestImportRefusesBeforeStoring(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "sugerencias")
	tests := []struct {
		name string
		file []byte
		want problem
	}{
		{"over-large file", bytes.Repeat([]byte("message\n"), MaxBytes/8+1), problem{1, "", "too_large"}},
		{"bad row", []byte("topic,message\nno_existe,Mal\n"), problem{2, "topic", "not_an_option"}},
		{"empty file", nil, problem{1, "", "empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := fx.im.Import(context.Background(), Request{Form: f, File: bytes.NewReader(tc.file)})
			if consulta.ErrorCode(err) != consulta.EINVALID {
				t.Fatalf("error = %v, want EINVALID", err)
			}
			if got := problems(res.Errors); len(got) != 1 || got[0] != tc.want || res.Stored != 0 {
				t.Errorf("problems = %v, stored %d; want [%v], 0", got, res.Stored, tc.want)
			}
		})
	}
}

// TestHeaders checks the template's columns: geo questions take two, an
// "other" text one more, and the file starts with a byte-order mark.
func TestHeaders(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, f); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"\ufeffrole,", ",location.department,location.municipality,", ",info_sought,info_sought_other,"} {
		if !strings.Contains(text, want) {
			t.Errorf("template %q lacks %q", text, want)
		}
	}
	// The template itself, with one row filled in, must import.
	fill := map[string]string{"role": "docente", "location.department": "01", "location.municipality": "0101", "info_sought": "matricula"}
	var cells []string
	for _, h := range Headers(f) {
		cells = append(cells, fill[h])
	}
	file := text + strings.Join(cells, ",") + "\n"
	if rows, res := fx.im.parse(Request{Form: f}, []byte(file)); len(res.Errors) > 0 || len(rows) != 1 {
		t.Errorf("filled-in template: %d rows, problems %v", len(rows), problems(res.Errors))
	}
}
