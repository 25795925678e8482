package server

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/intake"
)

// submitTimeout bounds a submission's work; Fiber's context is not cancelled when
// the client goes away, so the deadline is ours to set.
const submitTimeout = 15 * time.Second

// formPage is the data of the form template: one form, with the person's answers
// and errors when it is re-rendered after a failed submission.
type formPage struct {
	*page
	Form        *formView
	Values      url.Values
	Errors      map[string]string // question id -> message
	ErrorList   []errorItem
	Notice      string // a problem not tied to a question (store down, conflict)
	Key         string // idempotency key of this rendering
	PageURL     string // the embedding page
	Session     string
	Departments []geo.Department
	Action      string
	// Questions, when set, is the pre-rendered HTML of the questions of a blank form.
	Questions template.HTML
	Token     string            // page-load token (abuse control); "" when off
	ThanksURL string            // where form.js goes after a JSON submission
	Client    map[string]string // messages form.js shows, in the page's language
}

// errorItem is one line of the error summary, linking to its field.
type errorItem struct{ Anchor, Label, Message string }

// Value returns the person's answer to a question (or a sub-field such as
// "location[department]").
func (p *formPage) Value(name string) string { return p.Values.Get(name) }

// Has reports whether value is among the person's answers to name.
func (p *formPage) Has(name, value string) bool {
	for _, v := range p.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Error returns the message for a question, if its answer was refused.
func (p *formPage) Error(id string) string { return p.Errors[id] }

// formPage serves GET /f/{form}: the form, complete without JavaScript.
func (s *Server) formPage(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	view, ok := s.views.get(c.Params("form"), lang)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", c.Params("form"))
	}
	session, _ := intake.NormalizeSession(c.Query("session"))
	if v := s.screenPageLoad(c, view.ID, session); !v.OK() {
		return refusal(v)
	}
	token := s.pageToken(view.ID, "")
	key := pageKey(token, "")
	s.setFrameAncestors(c, view.ID)
	embedding := s.pageURLs.get(c.Query("page"))
	visitor := pageValues{key: key, token: token, page: embedding.clean}
	cacheable := session == "" && s.pages.cacheablePage(c)
	variant := s.variantFor(c, view, visitor, embedding)
	if cacheable && s.pages.serve(c, variant, visitor) {
		return nil
	}
	p := s.newFormPage(c, view, url.Values{}, key, visitor.page, session)
	p.Token = token
	questions, err := s.blankQuestions(p)
	if err != nil {
		return err
	}
	p.Questions = questions
	if cacheable {
		return s.renderBlankForm(c, p, variant, visitor)
	}
	return s.render(c, fiber.StatusOK, "form", p)
}

// blankQuestions returns the questions of a form page with no answers and no
// errors, rendered once per form and language: they are most of the page (the
// information-needs form lists 340 municipalities) and identical for everyone
// who opens it.
func (s *Server) blankQuestions(p *formPage) (template.HTML, error) {
	key := p.Form.ID + "|" + p.Form.Lang
	if html, ok := s.questionCache.Load(key); ok {
		return html.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := s.templates["form"].ExecuteTemplate(&buf, "questions", p); err != nil {
		return "", err
	}
	html := template.HTML(buf.String())
	s.questionCache.Store(key, html)
	return html, nil
}

func (s *Server) newFormPage(c *fiber.Ctx, view *formView, values url.Values, key, pageURL, session string) *formPage {
	p := &formPage{page: s.newPage(c, view.Lang, view.Title), Form: view, Values: values,
		Errors: map[string]string{}, Key: key, PageURL: pageURL, Session: session,
		Action: "/f/" + view.ID, Client: s.client.get(view.Lang)}
	p.Parent = s.parentOrigin(c, view.ID, pageURL)
	p.ThanksURL = s.thanksURL(view.ID, view.Lang, pageState(p.Embed, session, pageURL))
	if view.HasGeo {
		p.Departments = s.views.departments
	}
	return p
}

// formPost serves POST /f/{form}: the no-JavaScript submission. Success is a 303
// to the thank-you page; a refused answer re-renders the form (422) with the
// person's answers kept and an error summary.
func (s *Server) formPost(c *fiber.Ctx) error {
	unread := intake.Submission{FormID: c.Params("form")}
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
		return s.turnedAway(unread, intake.OutcomeBadRequest, errStatus(fiber.StatusUnsupportedMediaType, "error.unsupported_media_type"))
	}
	values, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return s.turnedAway(unread, intake.OutcomeBadRequest, errStatus(fiber.StatusBadRequest, "error.invalid"))
	}
	lang := s.requestLang(c, values.Get("_lang"))
	view, ok := s.views.get(c.Params("form"), lang)
	if !ok {
		return s.turnedAway(unread, intake.OutcomeNotFound, consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", c.Params("form")))
	}
	form, _ := s.deps.Forms.Get(view.ID)
	sub := intake.Submission{
		FormID: view.ID, Answers: form.DecodeValues(values), Lang: lang,
		Page: cleanPageURL(values.Get("_page")), Session: values.Get("_session"),
		IdempotencyKey: values.Get("_key"),
	}
	attempt := abuse.Attempt{FormID: view.ID, Token: values.Get("_t"),
		Honeypot: values.Get("website") != "", CrossSite: s.crossSite(c, view.ID), RequireToken: true}
	if !attempt.CrossSite && !attempt.Honeypot { // what to answer comes before any wait
		if err := s.checkAnswers(sub); err != nil {
			return s.formRefused(c, view, values, sub, err)
		}
	}
	v, err := s.screenSubmission(c, attempt, sub.Session)
	switch {
	case err != nil:
		return s.formRefused(c, view, values, sub, s.turnedAway(sub, intake.OutcomeOf(intake.Receipt{}, err), err))
	case v.Blocked == abuse.ReasonCrossSite: // nothing of another site's post is shown back to it
		return s.turnedAway(sub, refusalOutcome(v), refusal(v))
	case v.Blocked == abuse.ReasonHoneypot: // only robots fill it: let them think it worked
		s.deps.Intake.Record(sub, refusalOutcome(v))
		return c.Redirect(s.thanksURL(view.ID, lang, values), fiber.StatusSeeOther)
	case !v.OK():
		return s.formRefused(c, view, values, sub, s.turnedAway(sub, refusalOutcome(v), refusal(v)))
	}
	receipt, err := s.submit(c, sub, v)
	if err != nil {
		return s.formRefused(c, view, values, sub, err)
	}
	thanks := s.thanksURL(view.ID, lang, values) + receiptQuery(receipt, form.LeavesContact(sub.Answers))
	return c.Redirect(thanks, fiber.StatusSeeOther)
}

// receiptQuery is what the thank-you page adds about a stored response: its
// short reference, and whether the person left a way to reply to them.
func receiptQuery(r intake.Receipt, reply bool) string {
	q := url.Values{}
	if ref := intake.Reference(r.ID); ref != "" {
		q.Set("ref", ref)
	}
	if reply {
		q.Set("reply", "1")
	}
	if len(q) == 0 {
		return ""
	}
	return "&" + q.Encode()
}

// submit stores a screened submission, the one step the HTML form post and
// the JSON API share: under the key of its page load when it carries a
// genuine token (one page load, one response), and with an embedding page
// the form does not allow left out, which operators are told about.
func (s *Server) submit(c *fiber.Ctx, sub intake.Submission, v abuse.Verdict) (intake.Receipt, error) {
	if v.Key != "" {
		sub.IdempotencyKey = v.Key
	}
	ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
	defer cancel()
	receipt, err := s.deps.Intake.Submit(ctx, sub)
	if err == nil && receipt.DroppedPage != "" && s.deps.Logger != nil {
		s.deps.Logger.Warn("embedding page not kept: its host is not allowed for the form (forms origins, CONSULTA_PAGE_HOSTS)",
			"form", sub.FormID, "host", receipt.DroppedPage, "route", c.Route().Path)
	}
	return receipt, err
}

// formRefused re-renders the form with the person's answers and what went wrong.
func (s *Server) formRefused(c *fiber.Ctx, view *formView, values url.Values, sub intake.Submission, err error) error {
	token := s.pageToken(view.ID, values.Get("_t"))
	session, _ := intake.NormalizeSession(sub.Session)
	p := s.newFormPage(c, view, values, pageKey(token, sub.IdempotencyKey), sub.Page, session)
	p.Embed = values.Get("_embed") == "1"
	p.ThanksURL = s.thanksURL(view.ID, view.Lang, pageState(p.Embed, session, sub.Page))
	p.Token = token
	status, msgID := classify(err)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		s.addFieldErrors(p, fields)
	} else {
		p.Notice = p.T(msgID)
	}
	if status == fiber.StatusServiceUnavailable || status == fiber.StatusTooManyRequests {
		c.Set(fiber.HeaderRetryAfter, retryAfterOf(err))
	}
	var ae *consulta.Error
	if !errors.As(err, &ae) && status >= 500 {
		s.deps.Logger.Error("form submission failed", "form", view.ID, "err", err)
	}
	s.setFrameAncestors(c, view.ID)
	return s.render(c, status, "form", p)
}

// addFieldErrors fills the inline messages and the summary, in form order.
func (s *Server) addFieldErrors(p *formPage, fields []consulta.FieldError) {
	labels := map[string]string{}
	for _, q := range p.Form.Questions {
		labels[q.ID] = q.Label
		if q.Type == "consent" { // a long sentence: the summary names it by a word
			labels[q.ID] = p.T("form.consent_short")
		}
	}
	for _, fe := range fields {
		msg := p.L.T("error.field."+fe.Code, fe.Params)
		if _, seen := p.Errors[fe.Question]; seen {
			continue
		}
		p.Errors[fe.Question] = msg
		label := labels[fe.Question]
		if base, ok := strings.CutSuffix(fe.Question, "_other"); label == "" && ok && labels[base] != "" {
			// The text of a multiple question's "other" choice.
			label = labels[base] + " (" + p.T("form.other_specify") + ")"
		}
		if label == "" {
			label = fe.Question
		}
		anchor := "q-" + fe.Question
		if fe.Code == consulta.CodeMoreErrors {
			anchor, label = "error-summary", "…" // no question to point at
		}
		p.ErrorList = append(p.ErrorList, errorItem{Anchor: anchor, Label: label, Message: msg})
	}
}

// thanksURL is where a successful submission lands, in the same language.
func (s *Server) thanksURL(formID, lang string, values url.Values) string {
	q := url.Values{"lang": {lang}}
	if values.Get("_embed") == "1" {
		q.Set("embed", "1")
	}
	if code, ok := intake.NormalizeSession(values.Get("_session")); ok && code != "" {
		q.Set("session", code)
	}
	if p := cleanPageURL(values.Get("_page")); p != "" {
		q.Set("page", p)
	}
	return "/f/" + formID + "/thanks?" + q.Encode()
}

// thanksPage serves GET /f/{form}/thanks.
func (s *Server) thanksPage(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	view, ok := s.views.get(c.Params("form"), lang)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", c.Params("form"))
	}
	session, _ := intake.NormalizeSession(c.Query("session"))
	again := url.Values{"lang": {lang}}
	if c.Query("embed") == "1" {
		again.Set("embed", "1")
	}
	if session != "" {
		again.Set("session", session)
	}
	if p := cleanPageURL(c.Query("page")); p != "" {
		again.Set("page", p)
	}
	s.setFrameAncestors(c, view.ID)
	p := s.newPage(c, lang, view.Title)
	p.Parent = s.parentOrigin(c, view.ID, cleanPageURL(c.Query("page")))
	ref := c.Query("ref")
	if !intake.ValidReference(ref) {
		ref = ""
	}
	return s.render(c, fiber.StatusOK, "thanks", struct {
		*page
		Form       *formView
		Again      string
		Reference  string // the response's short reference, "" when unknown
		ReplyAsked bool   // the person left a contact to be answered at
	}{p, view, "/f/" + view.ID + "?" + again.Encode(), ref, c.Query("reply") == "1"})
}

// cleanPageURL is intake.CleanPage: the page's scheme, host and path only, so
// that its query string is not even written into the form's hidden field.
func cleanPageURL(raw string) string { return intake.CleanPage(raw) }

// questionCtx is what the "question" template renders: one question, the page
// it is on, and the ids its control is described by.
type questionCtx struct {
	P        *formPage
	Q        *questionView
	Err      string
	Hint     string
	Describe string
}

func newQuestionCtx(p *formPage, q *questionView) questionCtx {
	ctx := questionCtx{P: p, Q: q, Err: p.Errors[q.ID], Hint: q.Hint}
	var ids []string
	if q.Help != "" {
		ids = append(ids, "q-"+q.ID+"-help")
	}
	if q.Hint != "" {
		ids = append(ids, "q-"+q.ID+"-cond")
	}
	ids = append(ids, "q-"+q.ID+"-error")
	ctx.Describe = strings.Join(ids, " ")
	return ctx
}
