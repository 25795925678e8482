package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
)

// apiFormSummary is one entry of GET /api/v1/forms.
type apiFormSummary struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
}

// apiFormDef is a localized form definition (GET /api/v1/forms/{form}).
type apiFormDef struct {
	apiFormSummary
	Lang      string        `json:"lang"`
	ThankYou  string        `json:"thank_you,omitempty"`
	Questions []apiQuestion `json:"questions"`
}

type apiQuestion struct {
	ID        string           `json:"id"`
	Type      string           `json:"type"`
	Required  bool             `json:"required"`
	Label     string           `json:"label"`
	Help      string           `json:"help,omitempty"`
	Options   []optionView     `json:"options,omitempty"`
	Display   string           `json:"display,omitempty"`
	Other     bool             `json:"other,omitempty"`
	Min       *float64         `json:"min,omitempty"`
	Max       *float64         `json:"max,omitempty"`
	MaxLength int              `json:"max_length,omitempty"`
	Personal  bool             `json:"personal,omitempty"`
	ShowIf    *forms.Condition `json:"show_if,omitempty"`
	// RequiredIf makes the question required when it holds (docs/forms.md).
	RequiredIf *forms.Condition `json:"required_if,omitempty"`
}

// apiError is one entry of an error body: {"errors": [...]}.
type apiError struct {
	Question string `json:"question,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

func (s *Server) apiForms(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	out := []apiFormSummary{}
	for _, f := range s.deps.Forms.All() {
		v, _ := s.views.get(f.ID, lang)
		out = append(out, summaryOf(v))
	}
	return c.JSON(out)
}

func summaryOf(v *formView) apiFormSummary {
	return apiFormSummary{ID: v.ID, Version: v.Version, Kind: v.Kind, Title: v.Title,
		Description: v.Description, URL: "/f/" + v.ID}
}

func (s *Server) apiForm(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	v, ok := s.views.get(c.Params("form"), lang)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", c.Params("form"))
	}
	def := apiFormDef{apiFormSummary: summaryOf(v), Lang: v.Lang, ThankYou: v.ThankYou}
	for _, q := range v.Questions {
		aq := apiQuestion{ID: q.ID, Type: q.Type, Required: q.Required, Label: q.Label,
			Help: q.Help, Options: q.Options, Other: q.Other, MaxLength: q.MaxLength,
			Personal: q.Personal, ShowIf: q.ShowIf, RequiredIf: q.RequiredCondition}
		if q.Type == "single" {
			aq.Display = q.Display
		}
		if q.HasMin {
			aq.Min = &q.Min
		}
		if q.HasMax {
			aq.Max = &q.Max
		}
		def.Questions = append(def.Questions, aq)
	}
	return c.JSON(def)
}

// submitRequest is the body of POST /api/v1/forms/{form}/responses.
type submitRequest struct {
	Answers map[string]json.RawMessage `json:"answers"`
	Lang    string                     `json:"lang"`
	Page    string                     `json:"page"`
	Session string                     `json:"session"`
}

// apiSubmit serves POST /api/v1/forms/{form}/responses.
func (s *Server) apiSubmit(c *fiber.Ctx) error {
	unread := intake.Submission{FormID: c.Params("form")}
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return s.turnedAway(unread, intake.OutcomeBadRequest, errStatus(fiber.StatusUnsupportedMediaType, "error.unsupported_media_type"))
	}
	if _, ok := s.deps.Forms.Get(c.Params("form")); !ok {
		return s.turnedAway(unread, intake.OutcomeNotFound, consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", c.Params("form")))
	}
	key := c.Get("Idempotency-Key")
	if key != "" && !intake.ValidKey(key) {
		return s.turnedAway(unread, intake.OutcomeBadRequest, errStatus(fiber.StatusBadRequest, "error.bad_key"))
	}
	req, answers, err := decodeSubmit(c.Body())
	if err != nil {
		return s.turnedAway(unread, decodeOutcome(err), err)
	}
	lang := s.requestLang(c, req.Lang)
	sub := intake.Submission{
		FormID: c.Params("form"), Answers: answers, Lang: lang,
		Page: cleanPageURL(req.Page), Session: req.Session, IdempotencyKey: key,
	}
	if err := s.checkAnswers(sub); err != nil { // what to answer comes before any wait
		return s.apiFail(c, lang, err)
	}
	v, err := s.screenSubmission(c, abuse.Attempt{FormID: c.Params("form"), Token: c.Get(tokenHeader)}, req.Session)
	if err != nil {
		return s.apiFail(c, lang, s.turnedAway(sub, intake.OutcomeOf(intake.Receipt{}, err), err))
	}
	if !v.OK() {
		return s.apiFail(c, lang, s.turnedAway(sub, refusalOutcome(v), refusal(v)))
	}
	receipt, err := s.submit(c, sub, v)
	if err != nil {
		return s.apiFail(c, lang, err)
	}
	if receipt.Replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id": receipt.ID, "form": c.Params("form"), "received_at": receipt.ReceivedAt,
		"reference": intake.Reference(receipt.ID),
	})
}

// decodeOutcome is what a body decodeSubmit refused counts as: answers that
// are not valid text are invalid answers; anything else is no submission.
func decodeOutcome(err error) intake.Outcome {
	if consulta.ErrorCode(err) == consulta.EINVALID {
		return intake.OutcomeInvalid
	}
	return intake.OutcomeBadRequest
}

// decodeSubmit parses the JSON body strictly. Answers stay raw until each is
// checked for valid UTF-8, so that an invalid one can be named in the error.
func decodeSubmit(body []byte) (submitRequest, map[string]any, error) {
	var req submitRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return req, nil, errStatus(fiber.StatusBadRequest, "error.bad_json")
	}
	answers := make(map[string]any, len(req.Answers))
	var bad []consulta.FieldError
	for id, raw := range req.Answers {
		var v any
		if !utf8.Valid(raw) {
			bad = append(bad, consulta.FieldError{Question: id, Code: "invalid_utf8"})
			continue
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return req, nil, errStatus(fiber.StatusBadRequest, "error.bad_json")
		}
		answers[id] = v
	}
	if len(bad) > 0 {
		slices.SortFunc(bad, func(a, b consulta.FieldError) int { return strings.Compare(a.Question, b.Question) })
		return req, nil, &consulta.Error{Code: consulta.EINVALID, Message: "invalid UTF-8", Fields: consulta.LimitFieldErrors(bad)}
	}
	return req, answers, nil
}

// apiFail writes an error as {"errors": [...]}, localized.
func (s *Server) apiFail(c *fiber.Ctx, lang string, err error) error {
	l := s.deps.Translator.Localizer(lang)
	status, msgID := classify(err)
	body := fiber.Map{"errors": apiErrors(l, err, msgID)}
	if status == fiber.StatusServiceUnavailable || status == fiber.StatusTooManyRequests {
		c.Set(fiber.HeaderRetryAfter, retryAfterOf(err))
	}
	var ae *consulta.Error
	if status >= 500 && !errors.As(err, &ae) {
		s.deps.Logger.Error("request failed", "route", c.Route().Path, "err", err) // the route, not the path: paths can carry e-mails
	}
	return c.Status(status).JSON(body)
}

func apiErrors(l *locale.Localizer, err error, msgID string) []apiError {
	fields := consulta.FieldErrors(err)
	if len(fields) == 0 {
		return []apiError{{Code: strings.TrimPrefix(msgID, "error."), Message: l.T(msgID)}}
	}
	out := make([]apiError, 0, len(fields))
	for _, fe := range fields {
		out = append(out, apiError{Question: fe.Question, Code: fe.Code, Message: l.T("error.field."+fe.Code, fe.Params)})
	}
	return out
}
