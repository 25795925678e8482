package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/outbox"
)

// errEndpointOff gives up the deliveries of an endpoint deleted or disabled.
var errEndpointOff = errors.New("webhook: the endpoint is deleted or disabled")

// delivery is the JSON body of a delivery.
type delivery struct {
	ID        string          `json:"id"`
	Timestamp time.Time       `json:"timestamp"`
	Event     string          `json:"event"`
	Data      json.RawMessage `json:"data"`
}

// Send delivers one message of the webhook outbox (outbox.Sender): the
// event as JSON, signed for this attempt. A 2xx answer is a success;
// anything else, or no answer in time, a failure to retry.
func (s *Service) Send(ctx context.Context, it *consulta.OutboxItem) (string, error) {
	e, err := s.cfg.Store.WebhookEndpoint(ctx, it.Data["endpoint"])
	if consulta.ErrorCode(err) == consulta.ENOTFOUND || (err == nil && e.Disabled) {
		return "", outbox.Permanent(errEndpointOff)
	}
	if err != nil {
		return "", err
	}
	secret, err := s.seal.open(e.Secret, e.ID)
	if err != nil {
		return "", outbox.Permanent(err)
	}
	now := s.cfg.Now()
	id := it.Data["event_id"]
	body, err := json.Marshal(delivery{ID: id, Timestamp: now.UTC().Truncate(time.Second), Event: it.Data["event"], Data: it.Body})
	if err != nil {
		return "", outbox.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil {
		return "", outbox.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Consulta-Webhook/1")
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(secret, id, now.Unix(), body))
	res, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("webhook: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	detail := "HTTP " + strconv.Itoa(res.StatusCode)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return detail, fmt.Errorf("webhook: the endpoint answered %s", detail)
	}
	return detail, nil
}

// Done counts an attempt's outcome on its endpoint (outbox.Config.Done): a
// success clears the failures, a failure adds one, and DisableAfter of them
// in a row disable the endpoint.
func (s *Service) Done(ctx context.Context, it *consulta.OutboxItem, sendErr error) {
	id := it.Data["endpoint"]
	if errors.Is(sendErr, errEndpointOff) {
		return
	}
	now := s.cfg.Now()
	if sendErr == nil {
		if err := s.cfg.Store.WebhookEndpointSucceeded(ctx, id, now); err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
			s.cfg.Logger.Error("webhook: record a success", "endpoint", id, "err", err)
		}
		return
	}
	n, err := s.cfg.Store.WebhookEndpointFailed(ctx, id, now)
	if err != nil {
		if consulta.ErrorCode(err) != consulta.ENOTFOUND {
			s.cfg.Logger.Error("webhook: record a failure", "endpoint", id, "err", err)
		}
		return
	}
	if n < s.cfg.DisableAfter {
		return
	}
	s.disabling.Lock()
	defer s.disabling.Unlock()
	e, err := s.cfg.Store.WebhookEndpoint(ctx, id)
	if err != nil || e.Disabled {
		return
	}
	if err := s.cfg.Store.SetWebhookEndpointDisabled(ctx, id, true, "failures", now); err != nil {
		s.cfg.Logger.Error("webhook: disable an endpoint", "endpoint", id, "err", err)
		return
	}
	s.cfg.Logger.Warn("webhook: endpoint disabled after failing in a row", "endpoint", id, "failures", n)
	s.cfg.Disabled(id)
}
