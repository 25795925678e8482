// Package workspace is the /admin side of Consulta, where ministry staff and
// civil-society facilitators work: login, the responses browser and triage,
// focus-group sessions (codes, QR handouts, batch entry, CSV import, the live
// view and the summary PDF), exports, accounts and the audit log. It also
// serves the public "you said, we did" page, /acciones.
//
// Pages are rendered on the server in Spanish or English, work without
// JavaScript and with a keyboard alone. Every state-changing request carries
// the session's CSRF token; every view of contact data and every export is
// written to the audit log.
package workspace

import (
	"html/template"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/importer"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/mailing"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/webhook"
)

// Deps are the services the workspace uses.
type Deps struct {
	Store      Store
	Auth       *auth.Service
	Forms      *forms.Registry
	Geo        *geo.Catalog
	Translator *locale.Translator
	// Intake stores batch-entered paper forms (its session check is skipped:
	// paper forms are typed in after the room closes).
	Intake *intake.Service
	// BaseURL is the public URL of the service, for session links and QR codes;
	// when empty, the request's own scheme and host are used.
	BaseURL string
	// Secret keys the login form's token.
	Secret string
	// K is the suppression threshold (report.DefaultK when 0): the live view
	// hides words fewer answers use.
	K        int
	Location *time.Location
	Logger   *slog.Logger
	Now      func() time.Time
	// Reports is what reports made on demand and session summaries need:
	// the app's Env.ReportDeps, the one place they are put together (its
	// K, Location and Geo are those above).
	Reports report.Deps
	// Exports is where export downloads read (Store when nil).
	Exports ExportSource
	// ExportFailed, when set, is told of every export download that failed
	// and at which stage (export.FailedBeforeFirstByte or FailedMidway). The
	// app counts them in its metrics.
	ExportFailed func(stage string)
	// Mailing keeps the e-mail distribution lists of the scheduled reports;
	// Webhooks the webhook endpoints (docs/integrations.md).
	Mailing  *mailing.Service
	Webhooks *webhook.Service
	// Schedule is the scheduled reports' specs, shown on the reports page.
	Schedule ReportSchedule
	// OrgName and OrgLogo brand the public pages (/acciones, /sesion) as
	// the portal's are (config org_name, org_logo_file): OrgLogo says
	// whether /org-logo serves a logo.
	OrgName string
	OrgLogo bool
}

// Workspace serves /admin and /acciones.
type Workspace struct {
	deps      Deps
	templates map[string]*template.Template
	importer  *importer.Importer
	entry     intake.Service // Deps.Intake without the session window check
	loginCSRF auth.LoginCSRF // the login form's token, keyed by Deps.Secret
	cookies   cookieJar
	// codeGuesses counts the wrong session codes typed on /sesion per address.
	codeGuesses *auth.Throttle
}

// New parses the templates and prepares the services.
func New(d Deps) (*Workspace, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Location == nil {
		d.Location = consulta.DefaultLocation()
	}
	if d.Exports == nil && d.Store != nil {
		d.Exports = d.Store
	}
	if d.ExportFailed == nil {
		d.ExportFailed = func(string) {}
	}
	tmpls, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	w := &Workspace{deps: d, templates: tmpls,
		importer:  &importer.Importer{Store: d.Store, Geo: d.Geo, Now: d.Now, Translations: importTranslations(d.Translator)},
		loginCSRF: auth.LoginCSRF{Key: []byte(d.Secret)}, cookies: newCookieJar(d.BaseURL),
		codeGuesses: auth.NewThrottle(codeGuesses, codeGuessWindow)}
	if d.Intake != nil {
		w.entry = *d.Intake
		w.entry.Sessions = nil
	}
	return w, nil
}

// Mount registers the workspace's routes on app. Call it before any
// catch-all handler.
func (w *Workspace) Mount(app *fiber.App) {
	app.Get("/acciones", w.handle(w.actionsPage))
	app.Get("/sesion", w.handle(w.sessionCodePage))

	a := app.Group("/admin", w.loadSession)
	a.Get("/login", w.handle(w.loginPage))
	a.Post("/login", w.handle(w.loginPost))
	a.Post("/logout", w.must(nil), w.handle(w.logout))
	a.Get("/", w.must(nil), w.handle(w.home))
	a.Get("/password", w.must(nil), w.handle(w.passwordPage))
	a.Post("/password", w.must(nil), w.handle(w.passwordPost))

	a.Get("/responses", w.must(perm(auth.ReadResponses)), w.handle(w.responsesPage))
	a.Get("/responses/:id", w.must(perm(auth.ReadResponses)), w.handle(w.responsePage))
	a.Post("/responses/:id/triage", w.must(perm(auth.Triage)), w.handle(w.triagePost))
	a.Post("/responses/:id/contact", w.must(perm(auth.RevealContact)), w.handle(w.revealContact))
	a.Post("/responses/:id/reply", w.must(perm(auth.Triage)), w.handle(w.replyPost))
	a.Post("/actions/preview", w.must(perm(auth.Triage)), w.handle(w.actionPreview))
	a.Post("/actions", w.must(perm(auth.Triage)), w.handle(w.actionPublish))
	a.Get("/export", w.must(perm(auth.Export)), w.handle(w.exportPage))
	a.Get("/export/download", w.must(perm(auth.Export)), w.handle(w.exportDownload))
	a.Get("/forms/:form/xlsform.xlsx", w.must(perm(auth.Export)), w.handle(w.xlsformDownload))

	a.Get("/sessions", w.must(perm(auth.ViewSessions)), w.handle(w.sessionsPage))
	a.Get("/sessions/new", w.must(perm(auth.RunSessions)), w.handle(w.newSessionPage))
	a.Post("/sessions", w.must(perm(auth.RunSessions)), w.handle(w.createSession))
	a.Get("/sessions/:code", w.must(w.seeSession), w.handle(w.sessionPage))
	a.Post("/sessions/:code/window", w.must(w.runSession), w.handle(w.windowPost))
	a.Get("/sessions/:code/qr.png", w.must(w.seeSession), w.handle(w.qrImage))
	a.Get("/sessions/:code/handout.pdf", w.must(w.seeSession), w.handle(w.handoutPDF))
	a.Get("/sessions/:code/questionnaire.pdf", w.must(w.seeSession), w.handle(w.sessionQuestionnaire))
	a.Get("/sessions/:code/entry", w.must(w.runSession), w.handle(w.entryPage))
	a.Post("/sessions/:code/entry", w.must(w.runSession), w.handle(w.entryPost))
	a.Get("/sessions/:code/import", w.must(w.runSession), w.handle(w.importPage))
	a.Post("/sessions/:code/import", w.must(w.runSession), w.handle(w.importPost))
	a.Get("/sessions/:code/live", w.must(w.seeSession), w.handle(w.livePage))
	a.Get("/sessions/:code/summary.pdf", w.must(w.seeSession), w.handle(w.summaryPDF))
	a.Get("/sessions/:code/summary.html", w.must(w.seeSession), w.handle(w.summaryHTML))
	a.Get("/forms/:form/template.csv", w.must(perm(auth.RunSessions)), w.handle(w.templateCSV))
	a.Get("/places.xlsx", w.must(perm(auth.RunSessions)), w.handle(w.placesSheet))
	a.Get("/forms/:form/template.xlsx", w.must(perm(auth.RunSessions)), w.handle(w.templateXLSX))
	a.Get("/forms/:form/questionnaire.pdf", w.must(perm(auth.RunSessions)), w.handle(w.formQuestionnaire))

	a.Get("/users", w.must(perm(auth.ManageUsers)), w.handle(w.usersPage))
	a.Post("/users", w.must(perm(auth.ManageUsers)), w.handle(w.createUser))
	a.Post("/users/:id", w.must(perm(auth.ManageUsers)), w.handle(w.updateUser))
	a.Post("/users/:id/password", w.must(perm(auth.ManageUsers)), w.handle(w.resetPassword))
	a.Get("/audit", w.must(perm(auth.ReadAudit)), w.handle(w.auditPage))

	// Reports are for those who may export: analysts and admins.
	a.Get("/reports", w.must(perm(auth.Export)), w.handle(w.reportsPage))
	a.Post("/reports", w.must(perm(auth.Export)), w.handle(w.reportGenerate))
	a.Get("/reports/download", w.must(perm(auth.Export)), w.handle(w.reportDownload))
	a.Get("/reports/html", w.must(perm(auth.Export)), w.handle(w.reportHTML))

	// E-mail and webhooks are for admins.
	a.Get("/mail", w.must(perm(auth.ManageIntegrations)), w.handle(w.mailPage))
	a.Post("/mail/lists", w.must(perm(auth.ManageIntegrations)), w.handle(w.createList))
	a.Get("/mail/lists/:list", w.must(perm(auth.ManageIntegrations)), w.handle(w.listPage))
	a.Post("/mail/lists/:list", w.must(perm(auth.ManageIntegrations)), w.handle(w.updateList))
	a.Post("/mail/lists/:list/delete", w.must(perm(auth.ManageIntegrations)), w.handle(w.deleteList))
	a.Post("/mail/retry", w.must(perm(auth.ManageIntegrations)), w.handle(w.retryMessage))
	a.Get("/webhooks", w.must(perm(auth.ManageIntegrations)), w.handle(w.webhooksPage))
	a.Post("/webhooks", w.must(perm(auth.ManageIntegrations)), w.handle(w.createWebhook))
	a.Get("/webhooks/:endpoint", w.must(perm(auth.ManageIntegrations)), w.handle(w.webhookPage))
	a.Post("/webhooks/:endpoint", w.must(perm(auth.ManageIntegrations)), w.handle(w.updateWebhook))
	a.Post("/webhooks/:endpoint/state", w.must(perm(auth.ManageIntegrations)), w.handle(w.webhookState))
	a.Post("/webhooks/:endpoint/secret", w.must(perm(auth.ManageIntegrations)), w.handle(w.rotateWebhookSecret))
	a.Post("/webhooks/:endpoint/delete", w.must(perm(auth.ManageIntegrations)), w.handle(w.deleteWebhook))

	api := a.Group("/api")
	api.Get("/responses", w.must(perm(auth.ReadResponses)), w.handle(w.apiResponses))
	api.Get("/sessions/:code/results", w.must(w.seeSession), w.handle(w.apiResults))
}
