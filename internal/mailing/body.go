package mailing

import (
	"bytes"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/web"
)

// body is a message's subject and its two alternatives.
type body struct{ Subject, Text, HTML string }

// bodyData is what the templates web/templates/mail/report.* get: every
// text already localized.
type bodyData struct {
	Lang, Subject, Intro, NoSummary                      string
	FiguresTitle, ChangesTitle                           string
	IndicatorLabel, NowLabel, BeforeLabel, ChangeLabel   string
	Attached, LinkLabel, URL, OpenDataLabel, OpenDataURL string
	// HTMLAttached, HTMLLabel and HTMLURL speak of the report's HTML
	// twin, attached and in the workspace (empty when it has none).
	HTMLAttached, HTMLLabel, HTMLURL string
	Footer                           string
	Figures                          []report.DigestFigure
	Changes                          []report.DigestChange
}

// body writes the message of report meta for the outbox item's data, in the
// list's language.
func (s *Service) body(meta schedule.StoredReport, data map[string]string) (body, error) {
	l := s.Translator.Localizer(data["lang"])
	t := func(id string, kv ...any) string { return l.T(id, locale.Pairs(kv...)) }
	d := bodyData{Lang: l.Lang(), NoSummary: t("mail.report.no_summary"),
		FiguresTitle: t("mail.report.figures"), ChangesTitle: t("mail.report.changes"),
		IndicatorLabel: t("mail.report.indicator"), NowLabel: t("mail.report.now"),
		BeforeLabel: t("mail.report.before"), ChangeLabel: t("mail.report.change"),
		Attached: t("mail.report.attached"), LinkLabel: t("mail.report.link"),
		URL:    s.BaseURL + "/admin/reports?form=" + url.QueryEscape(meta.FormID),
		Footer: t("mail.report.footer", "List", data["list_name"]),
	}
	if meta.HTML {
		d.HTMLAttached, d.HTMLLabel = t("reporthtml.mail_attached"), t("reporthtml.mail_link")
		d.HTMLURL = s.BaseURL + schedule.HTMLPath(meta.ID)
	}
	title, period := l.T("form."+meta.FormID+".title"), meta.From.Format("2006-01-02")
	if meta.Digest != nil {
		title, period = meta.Digest.Title, meta.Digest.Period
		d.Figures, d.Changes = meta.Digest.Figures, meta.Digest.Changes
	}
	kind := t("mail.report.kind." + data["kind"])
	d.Subject = t("mail.report.subject", "Kind", kind, "Form", title, "Period", period)
	d.Intro = t("mail.report.intro", "Kind", kind, "Form", title, "Period", period)
	if data["kind"] == string(schedule.Biannual) {
		d.OpenDataLabel, d.OpenDataURL = t("mail.report.opendata"), s.BaseURL+"/datos"
	}
	var txt, html bytes.Buffer
	tt, err := texttemplate.ParseFS(web.FS, "templates/mail/report.txt")
	if err != nil {
		return body{}, err
	}
	if err := tt.Execute(&txt, d); err != nil {
		return body{}, err
	}
	ht, err := htmltemplate.ParseFS(web.FS, "templates/mail/report.html")
	if err != nil {
		return body{}, err
	}
	if err := ht.Execute(&html, d); err != nil {
		return body{}, err
	}
	return body{Subject: d.Subject, Text: strings.TrimSpace(txt.String()) + "\n", HTML: html.String()}, nil
}
