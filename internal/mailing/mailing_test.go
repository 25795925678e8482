package mailing_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/mail"
	"github.com/consulta/consulta/internal/mailing"
	"github.com/consulta/consulta/internal/outbox"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/seed"
	"github.com/consulta/consulta/internal/shippedtest"
	"github.com/consulta/consulta/internal/smtptest"
	"github.com/consulta/consulta/internal/store"
)

const baseURL = "https://consulta.test"

// replicas is one embedded store seen by two replicas (two connections),
// with six months of answers to a form, and an SMTP server.
type replicas struct {
	stores []*store.Store
	svcs   []*mailing.Service
	deps   report.Deps
	loc    *time.Location
	smtp   *smtptest.Server
	now    time.Time
	mu     sync.Mutex
}

func newReplicas(t *testing.T) *replicas {
	t.Helper()
	loc, _ := time.LoadLocation("America/Guatemala")
	reg, tr, cat := shippedtest.Catalogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := embedded.Open(ctx, t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	r := &replicas{loc: loc, smtp: smtptest.Start(t, false), now: time.Date(2026, 7, 1, 7, 0, 0, 0, loc),
		deps: report.Deps{Forms: reg, Translator: tr, Geo: cat, Location: loc}}
	sender, err := mail.NewSender(mail.Config{Host: r.smtp.Host, Port: r.smtp.Port, Username: smtptest.Username,
		Password: smtptest.Password, TLS: mail.STARTTLS, RootCAs: r.smtp.Roots, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		st, err := store.Open(ctx, store.Options{URI: srv.URI(), EmbeddedDir: srv.StoreDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close(context.Background()) })
		r.stores = append(r.stores, st)
		r.svcs = append(r.svcs, &mailing.Service{Store: st, Archive: schedule.NewArchive(st), Forms: reg, Translator: tr,
			Sender: sender, From: netmail.Address{Name: "Consulta", Address: "informes@mineduc.test"}, BaseURL: baseURL,
			Now: r.clock})
	}
	f, _ := reg.Get("utilidad-pagina")
	rs, _ := seed.Generate(f, cat, 300, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 7, 1, 0, 0, 0, 0, loc),
		rand.New(rand.NewPCG(1, 1)))
	if _, err := r.stores[0].InsertResponses(ctx, rs, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *replicas) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *replicas) advance(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = r.now.Add(d)
}

// worker is replica i's mail worker (a fresh one stands for a restart).
func (r *replicas) worker(t *testing.T, i int, owner string, observed *sync.Map) *outbox.Worker {
	t.Helper()
	w, err := outbox.New(outbox.Config{Box: consulta.MailOutbox, Store: r.stores[i], Send: r.svcs[i].Send, Owner: owner,
		Now: r.clock, Observe: func(outcome string, _ time.Duration) {
			n, _ := observed.LoadOrStore(outcome, new(int))
			*n.(*int)++
		}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestReportsByEmail: a biannual run stores the report of a form in the
// language of its list, and each recipient gets one message with the
// summary, the link and the PDF, exactly once, across two replicas sending
// at the same time, a failing server that recovers, a restart and the run's
// hook called again.
func TestReportsByEmail(t *testing.T) {
	r := newReplicas(t)
	ctx := context.Background()
	svc := r.svcs[0]
	list, err := svc.CreateList(ctx, mailing.ListInput{Name: "OSC del compromiso", Kind: "biannual", Form: "utilidad-pagina",
		Lang: "en", Recipients: "ana@osc.test, Luis@OSC.test\nana@osc.test"}, "admin@mineduc.test")
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, r.stores[0], "otra@mineduc.test", "analyst")
	if _, err := svc.CreateList(ctx, mailing.ListInput{Name: "Mensual", Kind: "monthly", Form: "utilidad-pagina",
		Lang: "es", Recipients: "otra@mineduc.test"}, "admin@mineduc.test"); err != nil {
		t.Fatal(err)
	}
	sched, err := schedule.New(r.stores[0], withSource(r.deps, r.stores[0]), schedule.Config{
		Clock: clockwork.NewFakeClockAt(r.now), Location: r.loc, Forms: []string{"utilidad-pagina"},
		Monthly: "-", Biannual: "-", // the test runs the period itself
		Stored: svc.RunStored, LangsFor: svc.LangsFor})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := schedule.PeriodBefore(schedule.Biannual, r.now, r.loc)
	run, err := sched.Execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Reports) != 2 || !strings.HasSuffix(run.Reports[1], ":en") {
		t.Fatalf("reports %v: want Spanish and the list's English", run.Reports)
	}

	// The server refuses the first message for now: one is sent, the other
	// waits for its retry, visible as a failure.
	r.smtp.Refuse(451)
	observed := &sync.Map{}
	var wg sync.WaitGroup
	for i, owner := range []string{"replica-a", "replica-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.worker(t, i, owner, observed).RunOnce(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := len(r.smtp.Received()); got != 1 {
		t.Fatalf("%d messages received after the first round, want 1", got)
	}
	failed, retrying, err := svc.Failures(ctx, 10)
	if err != nil || len(failed) != 0 || len(retrying) != 1 || !strings.Contains(retrying[0].LastError, "451") {
		t.Fatalf("failures: %v, %+v, %v", failed, retrying, err)
	}
	if n := count(observed, outbox.OutcomeRetry); n != 1 {
		t.Errorf("retries observed: %d, want 1", n)
	}

	// Restart: a new worker, after the backoff, sends the other; the run's
	// hook, called again (a retried run), enqueues nothing new.
	if err := svc.RunStored(ctx, run, run.Reports); err != nil {
		t.Fatal(err)
	}
	r.advance(90 * time.Second)
	if _, err := r.worker(t, 1, "replica-b-restarted", observed).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	r.advance(24 * time.Hour)
	for i := range 2 {
		if n, err := r.worker(t, i, "later", observed).RunOnce(ctx); err != nil || n != 0 {
			t.Errorf("a day later replica %d attempted %d (%v), want 0", i, n, err)
		}
	}
	got := r.smtp.Received()
	if len(got) != 2 || count(observed, outbox.OutcomeSent) != 2 {
		t.Fatalf("%d messages received, %d sends observed; want 2", len(got), count(observed, outbox.OutcomeSent))
	}
	seen := map[string]bool{}
	for _, m := range got {
		seen[m.To[0]] = true
		checkMessage(t, m.Data, list.ID)
	}
	if !seen["ana@osc.test"] || !seen["luis@osc.test"] {
		t.Errorf("recipients %v", seen)
	}
	if failed, retrying, _ := svc.Failures(ctx, 10); len(failed)+len(retrying) != 0 {
		t.Errorf("failures left: %+v %+v", failed, retrying)
	}
}

// TestMonthlyReportsReachStaffOnly: a monthly list takes only accounts
// that may see reports (a CSO's address or a facilitator is refused, saying
// why), and a message to an analyst disabled after the list was saved is
// given up with the reason, never sent; a biannual list takes anyone.
func TestMonthlyReportsReachStaffOnly(t *testing.T) {
	r := newReplicas(t)
	ctx := context.Background()
	svc := r.svcs[0]
	addAccount(t, r.stores[0], "facilitadora@osc.test", "facilitator")
	addAccount(t, r.stores[0], "analista@mineduc.test", "analyst")
	for _, to := range []string{"revision@osc.test", "facilitadora@osc.test", "analista@mineduc.test\nrevision@osc.test"} {
		_, err := svc.CreateList(ctx, mailing.ListInput{Name: "Mensual", Kind: "monthly", Form: "utilidad-pagina", Lang: "es", Recipients: to}, "admin@mineduc.test")
		fields := consulta.FieldErrors(err)
		if len(fields) != 1 || fields[0].Code != "list_recipient_staff" || !strings.Contains(to, fields[0].Params["Address"].(string)) {
			t.Errorf("monthly list to %q: %v %+v, want list_recipient_staff", to, err, fields)
		}
	}
	if lists, _ := r.stores[0].MailLists(ctx); len(lists) != 0 {
		t.Fatalf("refused lists were stored: %+v", lists)
	}
	if _, err := svc.CreateList(ctx, mailing.ListInput{Name: "OSC", Kind: "biannual", Form: "utilidad-pagina", Lang: "es",
		Recipients: "revision@osc.test"}, "admin@mineduc.test"); err != nil {
		t.Fatalf("a biannual list to a CSO: %v", err)
	}
	if _, err := svc.CreateList(ctx, mailing.ListInput{Name: "Mensual", Kind: "monthly", Form: "utilidad-pagina", Lang: "es",
		Recipients: "Analista@mineduc.test"}, "admin@mineduc.test"); err != nil {
		t.Fatalf("a monthly list to an analyst: %v", err)
	}

	// The analyst leaves before the month's report is sent.
	if err := r.stores[0].UpdateUserAccess(ctx, "analista@mineduc.test", "Analista", "analyst", "", true, r.now); err != nil {
		t.Fatal(err)
	}
	sched, err := schedule.New(r.stores[0], withSource(r.deps, r.stores[0]), schedule.Config{
		Clock: clockwork.NewFakeClockAt(r.now), Location: r.loc, Forms: []string{"utilidad-pagina"},
		Monthly: "-", Biannual: "-", Stored: svc.RunStored, LangsFor: svc.LangsFor})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := schedule.PeriodBefore(schedule.Monthly, r.now, r.loc)
	if _, err := sched.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	observed := &sync.Map{}
	if n, err := r.worker(t, 0, "w", observed).RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("attempted %d (%v), want the one message", n, err)
	}
	if got := r.smtp.Received(); len(got) != 0 {
		t.Fatalf("%d messages sent to a disabled account", len(got))
	}
	failed, _, err := svc.Failures(ctx, 10)
	if err != nil || len(failed) != 1 || !strings.Contains(failed[0].LastError, "staff only") {
		t.Fatalf("failed messages %+v (%v), want the one given up, saying why", failed, err)
	}
}

// addAccount stores a workspace account with role.
func addAccount(t *testing.T, st *store.Store, email, role string) {
	t.Helper()
	if err := st.CreateUser(context.Background(), &consulta.User{ID: email, Name: email, Role: role, Org: "OSC"}); err != nil {
		t.Fatal(err)
	}
}

func withSource(d report.Deps, st *store.Store) report.Deps {
	d.Source = st
	return d
}

func count(m *sync.Map, key string) int {
	n, ok := m.Load(key)
	if !ok {
		return 0
	}
	return *n.(*int)
}

// checkMessage reads a received message as a mail client does: English
// summary in text and HTML, the link, and the report as a PDF.
func checkMessage(t *testing.T, data []byte, listID string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if !strings.HasPrefix(subject, "Biannual report: Was this page useful?") || !strings.HasPrefix(m.Header.Get("Message-Id"), "<") {
		t.Errorf("subject %q, Message-Id %q", subject, m.Header.Get("Message-Id"))
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	alt, _ := mr.NextPart()
	_, altParams, _ := mime.ParseMediaType(alt.Header.Get("Content-Type"))
	ar := multipart.NewReader(alt, altParams["boundary"])
	text := readPart(t, ar)
	html := readPart(t, ar)
	link := baseURL + "/admin/reports?form=utilidad-pagina"
	for _, want := range []string{"Key figures", "Responses", "Main changes since the previous period", link, baseURL + "/datos", "OSC del compromiso"} {
		if !strings.Contains(text, want) {
			t.Errorf("text part lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(html, `href="`+link+`"`) || !strings.Contains(html, "<h2") {
		t.Errorf("HTML part:\n%s", html)
	}
	// The link to the report's HTML twin (issue 14 item 1), absolute.
	twinLink := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/admin/reports/html\?id=biannual%3A\d{4}-S\d%3Autilidad-pagina%3Aen`)
	if !twinLink.MatchString(text) || !strings.Contains(html, `href="`+twinLink.FindString(text)+`"`) {
		t.Errorf("no link to the HTML version:\n%s\n%s", text, html)
	}
	att, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(att)
	pdf, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil || att.Header.Get("Content-Type") != `application/pdf; name="`+att.FileName()+`"` {
		t.Fatalf("attachment %q: %v", att.Header.Get("Content-Type"), err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(out), "Was this page useful?") || !strings.Contains(string(out), "Key figures") {
		t.Errorf("the PDF is not the English report:\n%.400s", out)
	}
	checkTwinAttached(t, mr)
	_ = listID
}

// checkTwinAttached reads the message's second attachment: the report's
// HTML twin, in the list's language, with its tables.
func checkTwinAttached(t *testing.T, mr *multipart.Reader) {
	t.Helper()
	att, err := mr.NextPart()
	if err != nil {
		t.Fatalf("no HTML attachment: %v", err)
	}
	raw, _ := io.ReadAll(att)
	page, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil || !strings.HasPrefix(att.Header.Get("Content-Type"), "text/html; charset=utf-8") ||
		!strings.HasSuffix(att.FileName(), ".html") {
		t.Fatalf("HTML attachment %q %q: %v", att.Header.Get("Content-Type"), att.FileName(), err)
	}
	if s := string(page); !strings.Contains(s, `<html lang="en">`) || !strings.Contains(s, "<caption>") ||
		!strings.Contains(s, "Was this page useful?") {
		t.Errorf("the attached page is not the English twin:\n%.600s", s)
	}
}

func readPart(t *testing.T, r *multipart.Reader) string {
	t.Helper()
	p, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(p)
	return string(b)
}
