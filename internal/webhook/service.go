// Package webhook tells other systems what happens in Consulta: admins
// register endpoints (a URL, the events it wants, a secret shown once); a
// feed reads new responses, triage and published actions after the fact from
// the store (so that a submission does no extra work), and scheduled runs
// report their stored reports; each event becomes one delivery per endpoint
// in the store's webhook outbox, sent by package outbox as signed JSON
// (HMAC-SHA256 over timestamp, id and body), retried with backoff, logged
// per endpoint, and an endpoint that keeps failing is disabled.
// docs/integrations.md, "Webhooks".
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/store"
)

// Default timings of deliveries.
const (
	// DefaultTimeout bounds one delivery: connect, send, the receiver's answer.
	DefaultTimeout = 10 * time.Second
	// Retries: half a minute after a first failure, doubling up to an hour,
	// twelve attempts in all (about six hours).
	DefaultFirstRetry  = 30 * time.Second
	DefaultMaxRetry    = time.Hour
	DefaultMaxAttempts = 12
)

// Config sets the service up. Store, Secret and DisableAfter are required.
type Config struct {
	Store *store.Store
	// Secret is the service's secret key (CONSULTA_SECRET_KEY): endpoint
	// secrets are sealed with a key derived from it.
	Secret string
	// AllowPrivate lets endpoints be on internal addresses and plain http
	// (CONSULTA_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	// DisableAfter is how many failed attempts in a row disable an endpoint
	// (CONSULTA_WEBHOOK_DISABLE_AFTER, whose default is the one place it is
	// set).
	DisableAfter int
	// BaseURL is the public URL of the service (links in report events).
	BaseURL string
	Timeout time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
	// Disabled, when set, is told of every endpoint disabled for its
	// failures (the app counts it in /metrics).
	Disabled func(endpoint string)
}

// Service keeps the endpoints and makes and sends the deliveries.
type Service struct {
	cfg    Config
	seal   sealer
	guard  guard
	client *http.Client
	// disabling makes "still enabled? then disable" one step, so that
	// attempts failing at once disable (and count) an endpoint once.
	disabling sync.Mutex
}

// New returns the service of cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.DisableAfter <= 0 {
		return nil, errors.New("webhook: a store and a failure limit are required")
	}
	seal, err := newSealer(cfg.Secret)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Disabled == nil {
		cfg.Disabled = func(string) {}
	}
	g := guard{allowPrivate: cfg.AllowPrivate, resolver: net.DefaultResolver}
	return &Service{cfg: cfg, seal: seal, guard: g, client: g.client(cfg.Timeout)}, nil
}

// EndpointInput is an endpoint as typed in the workspace.
type EndpointInput struct {
	URL    string
	Events []string
}

// check returns the URL and events of in, or an EINVALID error whose fields
// say what is wrong (codes admin.field.webhook_*).
func (s *Service) check(ctx context.Context, in EndpointInput) (string, []string, error) {
	var fields []consulta.FieldError
	u, err := s.guard.checkURL(ctx, in.URL)
	var ue *urlError
	if errors.As(err, &ue) {
		fields = append(fields, consulta.FieldError{Question: "url", Code: ue.code, Params: map[string]any{"Detail": ue.detail}})
	}
	var events []string
	for _, e := range Events() {
		if slices.Contains(in.Events, e) {
			events = append(events, e)
		}
	}
	if len(events) == 0 || len(events) != len(in.Events) {
		fields = append(fields, consulta.FieldError{Question: "events", Code: "webhook_events"})
	}
	if len(fields) > 0 {
		return "", nil, &consulta.Error{Code: consulta.EINVALID, Message: "webhook: invalid endpoint", Fields: fields}
	}
	return u.String(), events, nil
}

// CreateEndpoint registers an endpoint for user and returns it with its
// secret, which is shown this once.
func (s *Service) CreateEndpoint(ctx context.Context, in EndpointInput, user string) (*consulta.WebhookEndpoint, string, error) {
	u, events, err := s.check(ctx, in)
	if err != nil {
		return nil, "", err
	}
	now := s.cfg.Now()
	e := &consulta.WebhookEndpoint{ID: newID(), URL: u, Events: events, CreatedAt: now, CreatedBy: user, UpdatedAt: now}
	secret := newSecret()
	e.Secret = s.seal.seal(secret, e.ID)
	if err := s.cfg.Store.CreateWebhookEndpoint(ctx, e); err != nil {
		return nil, "", err
	}
	return e, secret, nil
}

// SetEvents changes the events of endpoint id.
func (s *Service) SetEvents(ctx context.Context, id string, events []string) error {
	if _, err := s.cfg.Store.WebhookEndpoint(ctx, id); err != nil {
		return err
	}
	var valid []string
	for _, e := range Events() {
		if slices.Contains(events, e) {
			valid = append(valid, e)
		}
	}
	if len(valid) == 0 || len(valid) != len(events) {
		return &consulta.Error{Code: consulta.EINVALID, Message: "webhook: invalid events",
			Fields: []consulta.FieldError{{Question: "events", Code: "webhook_events"}}}
	}
	return s.cfg.Store.SetWebhookEndpointEvents(ctx, id, valid, s.cfg.Now())
}

// SetEnabled enables (its failures forgotten) or disables endpoint id.
func (s *Service) SetEnabled(ctx context.Context, id string, enabled bool) error {
	return s.cfg.Store.SetWebhookEndpointDisabled(ctx, id, !enabled, "admin", s.cfg.Now())
}

// RotateSecret gives endpoint id a new secret and returns it, shown once.
// Deliveries signed from then on use it.
func (s *Service) RotateSecret(ctx context.Context, id string) (string, error) {
	if _, err := s.cfg.Store.WebhookEndpoint(ctx, id); err != nil {
		return "", err
	}
	secret := newSecret()
	return secret, s.cfg.Store.SetWebhookEndpointSecret(ctx, id, s.seal.seal(secret, id), s.cfg.Now())
}

// Delete removes endpoint id; its pending deliveries are given up.
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.cfg.Store.DeleteWebhookEndpoint(ctx, id)
}

// Endpoints lists every endpoint.
func (s *Service) Endpoints(ctx context.Context) ([]*consulta.WebhookEndpoint, error) {
	return s.cfg.Store.WebhookEndpoints(ctx)
}

// Endpoint returns one endpoint, or ENOTFOUND.
func (s *Service) Endpoint(ctx context.Context, id string) (*consulta.WebhookEndpoint, error) {
	return s.cfg.Store.WebhookEndpoint(ctx, id)
}

// Log returns an endpoint's latest delivery attempts, the latest first.
func (s *Service) Log(ctx context.Context, id string, limit int) ([]*consulta.OutboxAttempt, error) {
	return s.cfg.Store.OutboxAttempts(ctx, id, limit)
}

// ReportsStored enqueues report.stored for every report of run: called with
// a scheduled run's e-mails (schedule.Config.Stored), and with a nil run for
// a report made on demand in the workspace. Like the e-mails, it enqueues
// nothing twice.
func (s *Service) ReportsStored(ctx context.Context, run *schedule.Run, reports []string) error {
	subs, err := s.subscribers(ctx, EventReportStored)
	if err != nil || len(subs) == 0 {
		return err
	}
	archive := schedule.NewArchive(s.cfg.Store)
	for _, id := range reports {
		meta, err := archive.Get(ctx, id)
		if err != nil {
			return err
		}
		ev, err := reportStored(meta, s.cfg.BaseURL)
		if err != nil {
			return err
		}
		if err := s.enqueue(ctx, ev, subs); err != nil {
			return err
		}
	}
	return nil
}

// subscribers are the enabled endpoints that receive event.
func (s *Service) subscribers(ctx context.Context, event string) ([]*consulta.WebhookEndpoint, error) {
	all, err := s.cfg.Store.WebhookEndpoints(ctx)
	if err != nil {
		return nil, err
	}
	var out []*consulta.WebhookEndpoint
	for _, e := range all {
		if !e.Disabled && slices.Contains(e.Events, event) {
			out = append(out, e)
		}
	}
	return out, nil
}

// enqueue stores one delivery of ev per endpoint of subs registered before
// the event happened.
func (s *Service) enqueue(ctx context.Context, ev event, subs []*consulta.WebhookEndpoint) error {
	for _, e := range subs {
		if ev.At.Before(e.CreatedAt) {
			continue
		}
		_, err := s.cfg.Store.Enqueue(ctx, consulta.WebhookOutbox, consulta.OutboxItem{
			ID: ev.ID + "|" + e.ID, Group: e.ID, Label: ev.Name, CreatedAt: s.cfg.Now(), Body: ev.Data,
			Data: map[string]string{"event": ev.Name, "event_id": ev.ID, "endpoint": e.ID},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
