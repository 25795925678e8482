package server_test

// Attacks of issue 10, item 8 ("Submissions and abuse"), on the running
// program: each test boots consulta on a loopback port and attacks it over
// real HTTP the way the audit did. The audit found one page-load token good
// for 30 submissions and forever, an open focus-group code lifting every
// limit, the no-JavaScript post accepted from another site, and any `page`
// host stored and ranked in the official PDF.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// withStore opens the running app's store, as another process would, for
// what a test checks or plants there.
func withStore(t *testing.T, a *testApp, fn func(ctx context.Context, st *store.Store)) {
	t.Helper()
	uri, err := os.ReadFile(filepath.Join(a.dataDir, "store.uri"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Options{URI: strings.TrimSpace(string(uri))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	fn(ctx, st)
}

// stored counts the responses stored for f.
func stored(t *testing.T, a *testApp, f consulta.ResponseFilter) int64 {
	t.Helper()
	var n int64
	withStore(t, a, func(ctx context.Context, st *store.Store) {
		var err error
		if n, err = st.CountResponses(ctx, f); err != nil {
			t.Fatal(err)
		}
	})
	return n
}

// parallel runs n attempts at once and returns their responses in order.
func parallel(n int, attempt func(i int) response) []response {
	out := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = attempt(i)
		}()
	}
	wg.Wait()
	return out
}

// jsonAnswer posts one JSON submission with its own body and headers.
func jsonAnswer(t *testing.T, a *testApp, formID, key, token string, body map[string]any) response {
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Content-Type": "application/json", "Idempotency-Key": key}
	if token != "" {
		h["Consulta-Token"] = token
	}
	return do(t, http.MethodPost, a.base+"/api/v1/forms/"+formID+"/responses", h, string(b))
}

// TestAttackReplayPageToken: one page load's token, replayed 30 times at once
// through both channels with a new key and new answers each time, stores one
// response. Replays with the same answers are acknowledged as that response
// (the idempotency rule), and store nothing more.
func TestAttackReplayPageToken(t *testing.T) {
	a := abuseApp(t, "30")
	form := consulta.ResponseFilter{FormID: "utilidad-pagina"}
	fields := a.pageFields(t, "/f/utilidad-pagina")
	time.Sleep(fillTime)
	got := parallel(30, func(i int) response {
		answer := fmt.Sprintf("intento %02d", i)
		key := fmt.Sprintf("attack-key-%02d", i)
		if i%2 == 0 {
			return jsonAnswer(t, a, "utilidad-pagina", key, fields.Get("_t"),
				map[string]any{"answers": map[string]any{"useful": false, "looking_for": answer}})
		}
		v := usefulAnswer(fields)
		v.Set("looking_for", answer)
		v.Set("_key", key)
		return a.postForm(t, "utilidad-pagina", v)
	})
	accepted := 0
	for i, r := range got {
		switch r.status {
		case http.StatusCreated, http.StatusSeeOther:
			accepted++
		case http.StatusConflict:
			if !strings.Contains(r.body, "no coincide con uno anterior") {
				t.Errorf("replay %d: 409 without the localized message: %.300s", i, r.body)
			}
		default:
			t.Errorf("replay %d: %d %.300s", i, r.status, r.body)
		}
	}
	if n := stored(t, a, form); accepted != 1 || n != 1 {
		t.Fatalf("one token replayed 30 times: %d accepted, %d stored; want 1 and 1", accepted, n)
	}

	// The same answers again and again, as a flooding script sends them:
	// the first is stored, the others are told it was (the same id).
	fresh := a.pageFields(t, "/f/utilidad-pagina")
	time.Sleep(fillTime)
	body := map[string]any{"answers": map[string]any{"useful": true}}
	got = parallel(30, func(i int) response {
		return jsonAnswer(t, a, "utilidad-pagina", fmt.Sprintf("flood-key-%02d", i), fresh.Get("_t"), body)
	})
	created, ids := 0, map[string]bool{}
	for i, r := range got {
		var out struct{ ID string }
		_ = json.Unmarshal([]byte(r.body), &out)
		if r.status != http.StatusCreated {
			t.Fatalf("identical replay %d: %d %s", i, r.status, r.body)
		}
		if r.header.Get("Idempotent-Replayed") != "true" {
			created++
		}
		ids[out.ID] = true
	}
	if n := stored(t, a, form); created != 1 || len(ids) != 1 || n != 2 {
		t.Fatalf("30 identical replays: %d created, %d ids, %d stored in all; want 1, 1, 2", created, len(ids), n)
	}
}

// TestAttackExpiredToken: a token older than CONSULTA_TOKEN_MAX_AGE is
// refused on both channels and nothing is stored; the person loses nothing:
// the no-JavaScript page comes back with the answers and a fresh token, and
// form.js sends a stale submission again without its token, under the same
// key, which stores it once.
func TestAttackExpiredToken(t *testing.T) {
	const maxAge = 1500 * time.Millisecond
	a := startApp(t, map[string]string{"CONSULTA_RATE_LIMIT": "30", "CONSULTA_MIN_FILL_TIME": fillTime.String(),
		"CONSULTA_TOKEN_MAX_AGE": maxAge.String()})
	form := consulta.ResponseFilter{FormID: "utilidad-pagina"}
	old := a.pageFields(t, "/f/utilidad-pagina")
	kept := a.pageFields(t, "/f/utilidad-pagina")
	time.Sleep(maxAge + 300*time.Millisecond)

	r := a.postForm(t, "utilidad-pagina", usefulAnswer(old))
	again := hiddenFields(r.body)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "abierto demasiado tiempo") {
		t.Fatalf("expired token on the form post: %d %.300s", r.status, r.body)
	}
	if !strings.Contains(r.body, "Presupuesto por departamento") || again.Get("_t") == old.Get("_t") ||
		again.Get("_key") != abuse.KeyOf(again.Get("_t")) {
		t.Fatal("the page shown again lost the answers, or kept the expired token, or its key is not its new token's")
	}
	api := jsonAnswer(t, a, "utilidad-pagina", kept.Get("_key"), kept.Get("_t"), map[string]any{"answers": map[string]any{"useful": true}})
	if errs := errorBody(t, api); api.status != http.StatusForbidden || len(errs) != 1 || errs[0]["code"] != "page_expired" ||
		!strings.Contains(errs[0]["message"], "demasiado tiempo") {
		t.Fatalf("expired token on the API: %d %s", api.status, api.body)
	}
	if n := stored(t, a, form); n != 0 {
		t.Fatalf("%d responses stored from expired tokens, want 0", n)
	}

	time.Sleep(fillTime) // the person reads the notice and sends again
	if r := a.postForm(t, "utilidad-pagina", usefulAnswer(again)); r.status != http.StatusSeeOther {
		t.Fatalf("the page shown again, sent: %d %.300s", r.status, r.body)
	}
	for i := range 2 { // form.js: without the token, same key; then a retry of that
		r := jsonAnswer(t, a, "utilidad-pagina", kept.Get("_key"), "", map[string]any{"answers": map[string]any{"useful": true}})
		if r.status != http.StatusCreated || (r.header.Get("Idempotent-Replayed") == "true") != (i == 1) {
			t.Fatalf("stale submission sent without its token (%d): %d %s", i, r.status, r.body)
		}
	}
	if n := stored(t, a, form); n != 2 {
		t.Fatalf("%d responses stored, want the 2 people's", n)
	}
}

// TestAttackOpenSessionCode: 300 posts with an open focus-group code, each
// from a page load of its own, sent at once from one address, no longer all
// get in: the session's budget is its expected participants a minute (at
// least CONSULTA_RATE_LIMIT) and twice its participants in all.
func TestAttackOpenSessionCode(t *testing.T) {
	a := abuseApp(t, "30")
	code := openSession(t, a, "utilidad-pagina", 20) // 30 a minute, 40 in all
	pages := make([]url.Values, 300)
	for i, r := range parallel(300, func(int) response { return a.get(t, "/f/utilidad-pagina", nil) }) {
		if r.status != http.StatusOK {
			t.Fatalf("page load %d: %d", i, r.status)
		}
		pages[i] = hiddenFields(r.body)
	}
	time.Sleep(fillTime)
	got := parallel(300, func(i int) response {
		return jsonAnswer(t, a, "utilidad-pagina", pages[i].Get("_key"), pages[i].Get("_t"),
			map[string]any{"answers": map[string]any{"useful": true}, "session": code})
	})
	accepted := 0
	for i, r := range got {
		switch {
		case r.status == http.StatusCreated:
			accepted++
		case r.status == http.StatusTooManyRequests && r.header.Get("Retry-After") != "":
			if errs := errorBody(t, r); errs[0]["code"] != "rate_limited" {
				t.Fatalf("post %d: %v", i, errs)
			}
		default:
			t.Fatalf("post %d: %d %s", i, r.status, r.body)
		}
	}
	inSession := stored(t, a, consulta.ResponseFilter{Session: code})
	if accepted == 0 || accepted > 30 || inSession != int64(accepted) {
		t.Fatalf("300 posts with an open code: %d accepted, %d stored; want 1 to 30 (the session's minute)", accepted, inSession)
	}

	// A small session, one post after another: its total is the cap.
	small := openSessionCode(t, a, "utilidad-pagina", 5, "SALA05") // 10 in all
	forms := make([]url.Values, 20)
	for i := range forms {
		forms[i] = a.pageFields(t, "/f/utilidad-pagina")
	}
	time.Sleep(fillTime)
	accepted = 0
	var last response
	for _, f := range forms {
		last = jsonAnswer(t, a, "utilidad-pagina", f.Get("_key"), f.Get("_t"),
			map[string]any{"answers": map[string]any{"useful": false}, "session": small})
		if last.status == http.StatusCreated {
			accepted++
		}
	}
	errs := errorBody(t, last)
	if accepted != 10 || last.status != http.StatusForbidden || errs[0]["code"] != "session_full" ||
		!strings.Contains(errs[0]["message"], "todas las respuestas") {
		t.Fatalf("a session expecting 5: %d accepted, then %d %v; want 10, then a localized session_full", accepted, last.status, errs)
	}
	if n := stored(t, a, consulta.ResponseFilter{Session: small}); n != 10 {
		t.Fatalf("%d responses stored in the small session, want 10", n)
	}
}

// TestFocusGroupRoomBehindOneAddress: a room of 40 whose school has already
// spent its address's ceiling still loads its pages and sends its answers
// with the session code, which has a budget of its own.
func TestFocusGroupRoomBehindOneAddress(t *testing.T) {
	a := abuseApp(t, "2") // an address: 40 page loads and 40 submissions a minute
	code := openSession(t, a, "utilidad-pagina", 40)
	for i := 0; i < 40; i++ { // the rest of the school
		if r := a.get(t, "/f/utilidad-pagina", nil); r.status != http.StatusOK {
			t.Fatalf("school page load %d: %d", i, r.status)
		}
	}
	if r := a.get(t, "/f/utilidad-pagina", nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("the address's 41st page load: %d, want 429", r.status)
	}
	room := make([]url.Values, 40)
	for i := range room {
		r := a.get(t, "/f/utilidad-pagina?session="+code, nil)
		if r.status != http.StatusOK {
			t.Fatalf("participant %d's page: %d", i, r.status)
		}
		room[i] = hiddenFields(r.body)
	}
	time.Sleep(fillTime)
	for i, f := range room {
		r := a.postForm(t, "utilidad-pagina", usefulAnswer(f))
		if r.status != http.StatusSeeOther {
			t.Fatalf("participant %d's answer: %d %.300s", i, r.status, r.body)
		}
	}
	if n := stored(t, a, consulta.ResponseFilter{Session: code}); n != 40 {
		t.Fatalf("%d of the room's 40 answers stored", n)
	}
}

// TestAttackCrossSiteFormPost: the no-JavaScript post, sent from another
// site's page (Origin, "null", or a Referer without Origin), is refused with
// a localized page and stores nothing; from Consulta's own pages, from a page
// the form may be embedded in, or from a client that sends neither header,
// it is accepted.
func TestAttackCrossSiteFormPost(t *testing.T) {
	a := abuseApp(t, "30")
	form := consulta.ResponseFilter{FormID: "utilidad-pagina"}
	attacks := []map[string]string{
		{"Origin": "https://evil.example"},
		{"Origin": "null"},
		{"Origin": "http://127.0.0.1.evil.example"},
		{"Referer": "https://evil.example/auto-submit.html"},
		{"Origin": "https://evil.example", "Referer": a.base + "/f/utilidad-pagina"},
	}
	fields := a.pageFields(t, "/f/utilidad-pagina")
	time.Sleep(fillTime)
	for _, h := range attacks {
		h["Content-Type"] = "application/x-www-form-urlencoded"
		r := do(t, http.MethodPost, a.base+"/f/utilidad-pagina", h, usefulAnswer(fields).Encode())
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "desde otro sitio web") || strings.Contains(r.body, "Presupuesto") {
			t.Fatalf("post with %v: %d %.300s", h, r.status, r.body)
		}
	}
	if n := stored(t, a, form); n != 0 {
		t.Fatalf("%d responses stored from another site's posts, want 0", n)
	}
	for _, h := range []map[string]string{
		{"Origin": a.base},
		{"Origin": "https://www.mineduc.gob.gt"}, // one of the form's origins
		{"Referer": a.base + "/f/utilidad-pagina?embed=1"},
		{},
	} {
		f := a.pageFields(t, "/f/utilidad-pagina")
		time.Sleep(fillTime)
		h["Content-Type"] = "application/x-www-form-urlencoded"
		if r := do(t, http.MethodPost, a.base+"/f/utilidad-pagina", h, usefulAnswer(f).Encode()); r.status != http.StatusSeeOther {
			t.Fatalf("post with %v: %d %.300s", h, r.status, r.body)
		}
	}
	if n := stored(t, a, form); n != 4 {
		t.Fatalf("%d responses stored from legitimate posts, want 4", n)
	}
}

// TestAttackForeignPageInReport: a `page` on another host, sent through both
// channels or stored by an earlier release, never reaches the official PDF's
// page ranking; the portal's pages do.
func TestAttackForeignPageInReport(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	const (
		foreign = "https://phish.example/www.mineduc.gob.gt/transparencia"
		portal  = "https://www.mineduc.gob.gt/transparencia/presupuesto"
	)
	a := startApp(t, map[string]string{"CONSULTA_RATE_LIMIT": "0", "CONSULTA_MIN_FILL_TIME": "0s"})
	for i := 0; i < 6; i++ {
		for _, page := range []string{foreign, portal} {
			r := jsonAnswer(t, a, "utilidad-pagina", fmt.Sprintf("page-%d-%x", i, len(page)), "",
				map[string]any{"answers": map[string]any{"useful": i%2 == 0}, "page": page})
			if r.status != http.StatusCreated {
				t.Fatalf("JSON answer from %s: %d %s", page, r.status, r.body)
			}
		}
		f := a.pageFields(t, "/f/utilidad-pagina?embed=1&page="+url.QueryEscape(foreign))
		if f.Get("_page") != foreign {
			t.Fatalf("the form page carries page %q", f.Get("_page"))
		}
		if r := a.postForm(t, "utilidad-pagina", usefulAnswer(f)); r.status != http.StatusSeeOther {
			t.Fatalf("no-JavaScript answer: %d", r.status)
		}
	}
	now := time.Now()
	withStore(t, a, func(ctx context.Context, st *store.Store) {
		var planted []*consulta.Response // as a release without the allow-list stored them
		for i := 0; i < 6; i++ {
			planted = append(planted, &consulta.Response{ID: fmt.Sprintf("old-release-%d", i), FormID: "utilidad-pagina",
				FormVersion: 1, Lang: "es", Channel: consulta.ChannelWidget, Page: foreign + "/antigua", ReceivedAt: now,
				Answers: map[string]any{"useful": false}, Status: consulta.StatusNew})
		}
		if _, err := st.InsertResponses(ctx, planted, nil); err != nil {
			t.Fatal(err)
		}
		err := st.EachResponse(ctx, consulta.ResponseFilter{FormID: "utilidad-pagina"}, nil, func(r *consulta.Response) error {
			if strings.Contains(r.Page, "phish.example") && !strings.HasPrefix(r.ID, "old-release-") {
				t.Errorf("response %s stored with page %q (channel %s)", r.ID, r.Page, r.Channel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	file := filepath.Join(t.TempDir(), "informe.pdf")
	out, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	_, err = report.Generate(context.Background(), a.ReportDeps(), report.Params{FormID: "utilidad-pagina",
		From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 2), Lang: "es"}, out, nil)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), "phish") {
		t.Errorf("the official PDF names the foreign host:\n%s", text)
	}
	// Pages are named by their path under the portal's base URL, which the
	// ranking's caption states once.
	if !strings.Contains(string(text), "/transparencia/presupuesto") || !strings.Contains(string(text), "https://www.mineduc.gob.gt") {
		t.Errorf("the PDF does not rank the portal's page (the test would prove nothing):\n%s", text)
	}
}
