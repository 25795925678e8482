package workspace_test

// Attacks of issue 10 ("Hardening") items 10, 11 and 17 on a whole Consulta
// HTTP server: hostile text and a page URL carrying secrets are sent through
// the public endpoints (the no-JavaScript form post and the JSON API), then
// read back wherever they are shown: the workspace's response page,
// /acciones and the CSV export.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/intake"
)

// hostileRunes are what CleanText must keep out of everything shown: NUL
// (which html/template prints as U+FFFD), terminal escapes, C1 controls,
// bidirectional overrides, isolates and marks, the byte-order mark.
var hostileRunes = "\x00\x07\x1b\u0085\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff\ufffd"

// hostileMessage and cleanMessage: a suggestion full of controls, and what
// must be stored and shown of it.
const (
	hostileMessage = "Quiero\x00 ver\x07 el\x1b presupuesto \u202eodaicilbup\u202c y \u2066más\u2069\u200f datos\ufeff\u0085\u009b\r\nPor\tescuela."
	cleanMessage   = "Quiero ver el presupuesto odaicilbup y más datos\nPor\tescuela."
)

// Page URLs: the embedding page as the browser reports it, and what may be kept.
const (
	secretPage = "https://ana:clave@www.mineduc.gob.gt/alumnos/resultados?token=secret&dpi=1234567890101#nota"
	cleanPage  = "https://www.mineduc.gob.gt/alumnos/resultados"
)

// pageSecrets must appear nowhere once the page URL is stored.
var pageSecrets = []string{"secret", "1234567890101", "token=", "dpi=", "clave", "#nota"}

// submitNoJS loads the embedded form page at path as a browser without
// JavaScript does and posts it with answers; it returns the loaded page.
func (e *env) submitNoJS(path string, answers url.Values) string {
	e.t.Helper()
	b := e.browser()
	res, page := b.get(path)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="(_[a-z]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for k, vals := range answers {
		v[k] = vals
	}
	res, body := b.post(strings.SplitN(path, "?", 2)[0], v)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("no-JS post: %d %s", res.StatusCode, body)
	}
	return page
}

// submitJSON answers through the public JSON API; answers and page are
// JSON-encoded, so controls travel as \u escapes as a script would send them.
func (e *env) submitJSON(formID string, answers map[string]any, page string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"answers": answers, "lang": "es", "page": page})
	if res, out := e.submit(formID, string(body)); res.StatusCode != http.StatusCreated {
		e.t.Fatalf("JSON submission: %d %s", res.StatusCode, out)
	}
}

// responses returns the stored responses of a form.
func (e *env) responses(formID string) []*consulta.Response {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []*consulta.Response
	err := e.store.EachResponse(ctx, consulta.ResponseFilter{FormID: formID}, nil, func(r *consulta.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// exportCSV downloads the CSV export of a form and returns its rows, header first.
func (b *browser) exportCSV(formID string) [][]string {
	b.e.t.Helper()
	// Codes and English headers: question ids and "Page", whatever the page's language.
	res, body := b.get("/admin/export/download?form=" + formID + "&format=csv&values=codes&sheet_lang=en")
	if res.StatusCode != http.StatusOK {
		b.e.t.Fatalf("export: %d %s", res.StatusCode, body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		b.e.t.Fatalf("export is not CSV: %v", err)
	}
	return rows
}

// column returns the cells of the named column, header left out.
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	for i, h := range rows[0] {
		if strings.EqualFold(h, name) {
			var out []string
			for _, r := range rows[1:] {
				out = append(out, r[i])
			}
			return out
		}
	}
	t.Fatalf("no column %q in %v", name, rows[0])
	return nil
}

// TestAttackControlCharactersInText (issue 10, item 10): NUL, terminal
// escapes, C1 controls and bidirectional overrides in a suggestion, sent
// through both public channels, and in the action staff publish, reached the
// workspace, /acciones and exports. They are dropped when the text comes in,
// line breaks and tabs of a textarea kept, and the length is the clean one.
func TestAttackControlCharactersInText(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	admin := e.login("admin@mineduc.test")

	e.submitNoJS("/f/sugerencias", url.Values{"topic": {"docentes"}, "message": {hostileMessage}})
	e.submitJSON("sugerencias", map[string]any{"topic": "docentes", "message": hostileMessage}, "")
	// At the limit once cleaned: 2,000 characters padded with 2,000 controls.
	long := strings.Repeat("a\u202e", 2000)
	e.submitJSON("sugerencias", map[string]any{"topic": "docentes", "message": long}, "")

	stored := e.responses("sugerencias")
	if len(stored) != 3 {
		t.Fatalf("%d responses stored, want 3", len(stored))
	}
	var ids []string
	for _, r := range stored {
		msg, _ := r.Answers["message"].(string)
		if msg != cleanMessage && msg != strings.Repeat("a", 2000) {
			t.Errorf("stored message %q", msg)
		}
		if msg == cleanMessage {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("%d clean messages of 2", len(ids))
	}

	for _, id := range ids {
		_, page := admin.get("/admin/responses/" + id)
		checkShown(t, "response page", page, "Quiero ver el presupuesto odaicilbup y más datos")
	}

	action := "Publicamos\x00 el presupuesto\u202e por escuela\u2066\x1b[2J.\u200f"
	res, body := admin.post("/admin/responses/"+ids[0]+"/triage", url.Values{"status": {"actioned"},
		"action": {action}, "note": {"Nota\x00 interna\u202e"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d %s", res.StatusCode, body)
	}
	_, page := e.browser().get("/acciones")
	checkShown(t, "/acciones", page, "Publicamos el presupuesto por escuela[2J.")
	_, page = admin.get("/admin/responses/" + ids[0])
	checkShown(t, "response page after triage", page, "Publicamos el presupuesto por escuela[2J.")
	if !strings.Contains(page, "Nota interna") {
		t.Error("the note is not shown clean")
	}

	rows := admin.exportCSV("sugerencias")
	for _, cell := range column(t, rows, "message") {
		if strings.ContainsAny(cell, hostileRunes) {
			t.Errorf("exported message %q keeps control characters", cell)
		}
	}
}

// checkShown fails unless page shows want and none of the hostile characters.
func checkShown(t *testing.T, where, page, want string) {
	t.Helper()
	if !strings.Contains(page, want) {
		t.Errorf("%s does not show %q", where, want)
	}
	if i := strings.IndexAny(page, hostileRunes); i >= 0 {
		t.Errorf("%s shows a control character: %q", where, page[max(0, i-40):min(len(page), i+40)])
	}
}

// TestAttackPageQueryString (issue 10, item 11): the embedding page's URL
// (?token=…&dpi=…, user information, a fragment) was stored, shown and
// exported. Only its scheme, host and path are kept, whichever channel sent
// it, and the form page does not even carry the rest in its hidden field.
func TestAttackPageQueryString(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	admin := e.login("admin@mineduc.test")

	form := e.submitNoJS("/f/sugerencias?embed=1&page="+url.QueryEscape(secretPage),
		url.Values{"topic": {"docentes"}, "message": {"Desde el widget sin JavaScript"}})
	checkNoSecrets(t, "the embedded form page", form)
	e.submitJSON("sugerencias", map[string]any{"topic": "docentes", "message": "Desde el widget con JavaScript"}, secretPage)

	stored := e.responses("sugerencias")
	if len(stored) != 2 {
		t.Fatalf("%d responses stored, want 2", len(stored))
	}
	for _, r := range stored {
		if r.Page != cleanPage || r.Channel != consulta.ChannelWidget {
			t.Errorf("stored page %q channel %s, want %q from the widget", r.Page, r.Channel, cleanPage)
		}
		_, page := admin.get("/admin/responses/" + r.ID)
		if !strings.Contains(page, cleanPage) {
			t.Errorf("the response page does not show %s", cleanPage)
		}
		checkNoSecrets(t, "the response page", page)
	}
	rows := admin.exportCSV("sugerencias")
	for _, cell := range column(t, rows, "page") {
		if cell != cleanPage {
			t.Errorf("exported page %q, want %q", cell, cleanPage)
		}
	}
	_, jsonl := admin.get("/admin/export/download?form=sugerencias&format=jsonl")
	checkNoSecrets(t, "the JSON Lines export", jsonl)
}

func checkNoSecrets(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range pageSecrets {
		if strings.Contains(s, secret) || strings.Contains(s, url.QueryEscape(secret)) {
			t.Errorf("%s holds %q", where, secret)
		}
	}
}

// formulaAnswers start with white space or invisible characters before a
// character that makes a spreadsheet read the cell as a formula.
var formulaAnswers = []string{"\ufeff=cmd|' /C calc'!A0", " =1+1", "\u00a0@SUM(A1)", "\t-2", "\u2003+1", "\r\n=HYPERLINK(\"x\")"}

// TestAttackCSVFormulas (issue 10, item 17): cells that begin with a
// byte-order mark or white space before = + - @ were exported as they are.
// The answers go in through the JSON API (which cleans them at intake) and,
// as a release before that cleaning stored them, straight into the store;
// every cell of the downloaded export must be defused.
func TestAttackCSVFormulas(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	admin := e.login("admin@mineduc.test")
	for _, a := range formulaAnswers {
		e.submitJSON("sugerencias", map[string]any{"topic": "docentes", "message": a}, "")
	}
	e.storeRaw("sugerencias", formulaAnswers)

	rows := admin.exportCSV("sugerencias")
	if len(rows) != 1+2*len(formulaAnswers) {
		t.Fatalf("%d rows exported, want %d", len(rows)-1, 2*len(formulaAnswers))
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if formula(cell) {
				t.Errorf("cell %q is a formula for a spreadsheet", cell)
			}
		}
	}
}

// storeRaw stores responses with messages as they are, the way they were
// stored before intake cleaned text.
func (e *env) storeRaw(formID string, messages []string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, m := range messages {
		r := &consulta.Response{ID: intake.ResponseID(formID, intake.NewKey()), FormID: formID, FormVersion: 1,
			Lang: "es", Channel: consulta.ChannelPage, ReceivedAt: time.Now(),
			Answers: map[string]any{"topic": "docentes", "message": m}}
		if _, _, err := e.store.InsertResponse(ctx, r, nil); err != nil {
			e.t.Fatal(err)
		}
	}
}

// formula reports whether a spreadsheet could take cell for a formula: its
// first character that is not white space or invisible is = + - or @ and the
// cell does not begin with the apostrophe that makes it text.
func formula(cell string) bool {
	if strings.HasPrefix(cell, "'") {
		return false
	}
	trimmed := strings.TrimLeftFunc(cell, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	})
	return trimmed != "" && strings.ContainsRune("=+-@", rune(trimmed[0])) || bytes.HasPrefix([]byte(cell), []byte("\t"))
}
