package webhook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/outbox"
	"github.com/consulta/consulta/internal/webhook"
)

// TestEndpointsRefuseInternalTargets is the SSRF attack: an admin account
// (or someone who stole one) registers endpoints that point into the
// service's own network. Without CONSULTA_WEBHOOK_ALLOW_PRIVATE every one
// is refused with the reason, and nothing is stored.
func TestEndpointsRefuseInternalTargets(t *testing.T) {
	e := newEnv(t, 10)
	strict, err := webhook.New(webhook.Config{Store: e.st, Secret: secretKey, DisableAfter: 10, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for url, code := range map[string]string{
		"http://example.org/hook":                   "webhook_https",
		"https://127.0.0.1/hook":                    "webhook_private",
		"https://10.1.2.3/hook":                     "webhook_private",
		"https://192.168.1.10:8443/hook":            "webhook_private",
		"https://169.254.169.254/latest/meta-data/": "webhook_private",
		"https://[::1]:8443/hook":                   "webhook_private",
		"https://[::ffff:127.0.0.1]/hook":           "webhook_private",
		"https://[fd00::1]/hook":                    "webhook_private",
		"https://100.64.0.1/hook":                   "webhook_private",
		"https://0.0.0.0/hook":                      "webhook_private",
		"https://localhost/hook":                    "webhook_private",
		"https://user:pw@example.org/hook":          "webhook_url",
		"ftp://example.org/hook":                    "webhook_url",
		"/relative":                                 "webhook_url",
	} {
		_, _, err := strict.CreateEndpoint(ctx, webhook.EndpointInput{URL: url, Events: []string{webhook.EventReportStored}}, "x")
		fields := consulta.FieldErrors(err)
		if len(fields) != 1 || fields[0].Code != code {
			t.Errorf("%s: %v, want %s", url, err, code)
		}
	}
	if eps, _ := strict.Endpoints(ctx); len(eps) != 0 {
		t.Errorf("%d endpoints stored", len(eps))
	}
	if _, _, err := strict.CreateEndpoint(ctx, webhook.EndpointInput{URL: "https://93.184.216.34/hook",
		Events: []string{"report.stored", "response.deleted"}}, "x"); len(consulta.FieldErrors(err)) != 1 ||
		consulta.FieldErrors(err)[0].Code != "webhook_events" {
		t.Errorf("an unknown event: %v", err)
	}
	ep, _, err := strict.CreateEndpoint(ctx, webhook.EndpointInput{URL: "https://93.184.216.34/hook",
		Events: []string{webhook.EventReportStored}}, "x")
	if err != nil {
		t.Fatalf("a public address: %v", err)
	}
	_ = strict.Delete(ctx, ep.ID)
}

// TestDeliveryRefusesInternalAddressAtConnect: an endpoint whose address is
// internal when the delivery connects (its name now resolves elsewhere, or
// it was registered where internal targets were allowed) gets no request.
func TestDeliveryRefusesInternalAddressAtConnect(t *testing.T) {
	e := newEnv(t, 10)
	e.register(t, webhook.EventResponseCreated) // the loopback receiver, allowed here
	e.run(t)
	e.submit(t, "r-3")
	e.clock.Add(webhook.DefaultSettle + time.Second)
	if err := e.feed.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	strict, _ := webhook.New(webhook.Config{Store: e.st, Secret: secretKey, DisableAfter: 10, Now: e.clock.Now})
	var sendErr error
	w, _ := outbox.New(outbox.Config{Box: consulta.WebhookOutbox, Store: e.st, Now: e.clock.Now,
		Send: func(ctx context.Context, it *consulta.OutboxItem) (string, error) {
			d, err := strict.Send(ctx, it)
			sendErr = err
			return d, err
		}})
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("attempts %d, %v", n, err)
	}
	if sendErr == nil || !strings.Contains(sendErr.Error(), "internal address") || e.rc.hits != 0 {
		t.Errorf("send: %v, receiver hits %d", sendErr, e.rc.hits)
	}
}
