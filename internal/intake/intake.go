// Package intake receives submissions: it validates answers against their form,
// keeps contact data apart, makes retries idempotent and hands the response to the
// store. The HTML form post and the JSON API both call Service.Submit, so the two
// channels cannot drift apart.
package intake

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// ResponseWriter stores a response and its contact exactly once per ID; it returns
// the stored response and whether this call created it.
type ResponseWriter interface {
	InsertResponse(ctx context.Context, r *consulta.Response, c *consulta.Contact) (*consulta.Response, bool, error)
}

// FormSource finds forms by id.
type FormSource interface {
	Get(id string) (*forms.Form, bool)
}

// SessionChecker decides whether a focus-group session code accepts answers to a
// form now. It returns an *consulta.Error (ENOTFOUND, ECLOSED) when it does not.
type SessionChecker interface {
	CheckSession(ctx context.Context, code, formID string, now time.Time) error
}

// Service validates and stores submissions.
type Service struct {
	Forms    FormSource
	Geo      forms.GeoChecker
	Store    ResponseWriter
	Sessions SessionChecker // nil: any well-formed code is accepted
	// PageHosts are the hosts, besides those of each form's origins, whose
	// pages are kept as the embedding page (config.KeptPageHosts).
	PageHosts []string
	Now       func() time.Time
	// Observer, when set, hears the outcome of every submission (Record).
	Observer Observer
}

// Submission is one person's answers, from either channel, before validation.
type Submission struct {
	FormID         string
	Answers        map[string]any // raw: decoded JSON or forms.DecodeValues
	Lang           string
	Page           string // URL of the embedding page, if embedded (stored as CleanPage)
	Session        string // focus-group code
	Channel        consulta.Channel
	IdempotencyKey string // "" = a fresh random key
}

// Receipt acknowledges a stored submission.
type Receipt struct {
	ID         string
	ReceivedAt time.Time
	// Replayed is true when the idempotency key had already been used with the
	// same submission: nothing new was stored.
	Replayed bool
	// DroppedPage is the host of an embedding page that was not kept, because
	// the form does not allow it (forms.Form.AllowsPage); "" otherwise.
	DroppedPage string
}

var (
	keyPattern     = regexp.MustCompile(`^[A-Za-z0-9_:.\-]{8,128}$`)
	sessionPattern = regexp.MustCompile(`^[A-Z0-9]{4,12}$`)
)

// ValidKey reports whether an Idempotency-Key has an acceptable shape.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// NewKey returns a random idempotency key, for forms rendered by the server.
func NewKey() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// NormalizeSession upper-cases a focus-group code and reports whether it is well formed.
func NormalizeSession(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	return code, code == "" || sessionPattern.MatchString(code)
}

// Submit validates sub and stores it once. A replay of the same key with the same
// answers returns the first receipt; with different answers it is ECONFLICT.
func (s *Service) Submit(ctx context.Context, sub Submission) (Receipt, error) {
	r, err := s.submit(ctx, &sub)
	s.Record(sub, OutcomeOf(r, err)) // with its channel as stored
	return r, err
}

func (s *Service) submit(ctx context.Context, sub *Submission) (Receipt, error) {
	form, ok := s.Forms.Get(sub.FormID)
	if !ok {
		return Receipt{}, consulta.Errorf(consulta.ENOTFOUND, "unknown form %q", sub.FormID)
	}
	dropped, err := s.checkMeta(ctx, form, sub)
	if err != nil {
		return Receipt{}, err
	}
	answers, personal, fieldErrs := form.Validate(sub.Answers, s.Geo)
	if len(fieldErrs) > 0 {
		return Receipt{}, &consulta.Error{Code: consulta.EINVALID, Message: "invalid answers",
			Fields: consulta.LimitFieldErrors(fieldErrs)}
	}
	key := sub.IdempotencyKey
	if key == "" {
		key = NewKey()
	}
	now := s.Now().UTC()
	r, c := s.build(form, *sub, answers, personal, key, now)
	stored, created, err := s.Store.InsertResponse(ctx, r, c)
	if err != nil {
		return Receipt{}, err
	}
	if !created && stored.RequestHash != r.RequestHash {
		return Receipt{}, consulta.Errorf(consulta.ECONFLICT, "idempotency key reused with a different submission")
	}
	return Receipt{ID: stored.ID, ReceivedAt: stored.ReceivedAt, Replayed: !created, DroppedPage: dropped}, nil
}

// checkMeta validates and normalizes the fields around the answers. It
// returns the host of an embedding page it did not keep.
func (s *Service) checkMeta(ctx context.Context, form *forms.Form, sub *Submission) (string, error) {
	if sub.IdempotencyKey != "" && !ValidKey(sub.IdempotencyKey) {
		return "", consulta.Errorf(consulta.EINVALID, "malformed idempotency key")
	}
	code, ok := NormalizeSession(sub.Session)
	if !ok {
		return "", &consulta.Error{Code: consulta.EINVALID, Message: "malformed session code",
			Fields: []consulta.FieldError{{Question: "session", Code: "invalid_session"}}}
	}
	sub.Session = code
	if code != "" && s.Sessions != nil {
		if err := s.Sessions.CheckSession(ctx, code, sub.FormID, s.Now()); err != nil {
			return "", err
		}
	}
	dropped := s.keepPage(form, sub)
	if sub.Channel == "" {
		sub.Channel = ChannelFor(sub.Page, sub.Session)
	}
	return dropped, nil
}

// ChannelFor infers the channel of a web submission: a session code means a focus
// group, an embedding page means the widget, otherwise the standalone page.
func ChannelFor(page, session string) consulta.Channel {
	switch {
	case session != "":
		return consulta.ChannelFocusGroup
	case page != "":
		return consulta.ChannelWidget
	default:
		return consulta.ChannelPage
	}
}

// build assembles the stored records. The response ID is derived from the form
// and idempotency key, so the store's unique _id is what makes retries idempotent.
func (s *Service) build(form *forms.Form, sub Submission, answers, personal map[string]any, key string, now time.Time) (*consulta.Response, *consulta.Contact) {
	id := ResponseID(form.ID, key)
	r := &consulta.Response{
		ID: id, FormID: form.ID, FormVersion: form.Version, Lang: sub.Lang,
		Channel: sub.Channel, Page: sub.Page, Session: sub.Session, ReceivedAt: now,
		Answers: answers, Department: firstDepartment(form, answers),
		HasContact: len(personal) > 0, Status: consulta.StatusNew,
	}
	if form.WantsReply(answers) {
		r.Reply = consulta.ReplyRequested
	}
	r.RequestHash = requestHash(sub, answers, personal)
	if len(personal) == 0 {
		return r, nil
	}
	return r, &consulta.Contact{ID: id, FormID: form.ID, ReceivedAt: now, Fields: personal}
}

// ResponseID derives a response's ID from its form and idempotency key.
func ResponseID(formID, key string) string {
	sum := sha256.Sum256([]byte(formID + "\x00" + key))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16]))
}

// requestHash fingerprints what was submitted (json.Marshal sorts map keys).
func requestHash(sub Submission, answers, personal map[string]any) string {
	b, _ := json.Marshal(map[string]any{
		"answers": answers, "personal": personal, "lang": sub.Lang,
		"page": sub.Page, "session": sub.Session, "channel": sub.Channel,
	})
	sum := sha256.Sum256(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])
}

// firstDepartment returns the department of the form's first answered geo question.
func firstDepartment(form *forms.Form, answers map[string]any) string {
	for _, q := range form.Questions {
		if q.Type != forms.TypeGeo {
			continue
		}
		if g, ok := answers[q.ID].(consulta.Geo); ok {
			return g.Department
		}
	}
	return ""
}
