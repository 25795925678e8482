package workspace

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/webhook"
)

// deliveriesListed is how many attempts an endpoint's log shows.
const deliveriesListed = 100

type webhooksData struct {
	Endpoints []*consulta.WebhookEndpoint
	Events    []string
	In        webhook.EndpointInput
	Errors    []string
	// Secret is a new endpoint's secret, shown on the page that created it
	// and never again; Created is that endpoint.
	Secret  string
	Created *consulta.WebhookEndpoint
}

type webhookData struct {
	Endpoint *consulta.WebhookEndpoint
	Events   []string
	Log      []*consulta.OutboxAttempt
	Errors   []string
	Secret   string // a new secret, shown once
}

// webhooksPage lists the endpoints and the form to register one.
func (w *Workspace) webhooksPage(c *fiber.Ctx) error {
	return w.showWebhooks(c, fiber.StatusOK, webhooksData{})
}

func (w *Workspace) showWebhooks(c *fiber.Ctx, status int, d webhooksData) error {
	p := w.newPage(c, "admin.webhooks.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	var err error
	if d.Endpoints, err = w.deps.Webhooks.Endpoints(ctx); err != nil {
		return err
	}
	d.Events = webhook.Events()
	return w.render(c, status, "webhooks", p, d)
}

// formEvents reads the events ticked in a form.
func formEvents(c *fiber.Ctx) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti("events") {
		out = append(out, string(v))
	}
	return out
}

// createWebhook registers an endpoint and shows its secret, once: the page
// answers the POST itself (no redirect), so that the secret is in no URL and
// a reload does not show it again (the browser asks before posting again).
func (w *Workspace) createWebhook(c *fiber.Ctx) error {
	in := webhook.EndpointInput{URL: c.FormValue("url"), Events: formEvents(c)}
	ctx, cancel := reqCtx(c)
	defer cancel()
	e, secret, err := w.deps.Webhooks.CreateEndpoint(ctx, in, user(c).ID)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showWebhooks(c, fiber.StatusUnprocessableEntity, webhooksData{In: in, Errors: fieldMessages(w.newPage(c, ""), fields)})
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "webhook.create", e.ID, "url="+e.URL+" events="+strings.Join(e.Events, ","))
	return w.showWebhooks(c, fiber.StatusCreated, webhooksData{Secret: secret, Created: e})
}

// webhookPage shows one endpoint: its settings and its delivery log.
func (w *Workspace) webhookPage(c *fiber.Ctx) error {
	return w.showWebhook(c, fiber.StatusOK, webhookData{})
}

func (w *Workspace) showWebhook(c *fiber.Ctx, status int, d webhookData) error {
	p := w.newPage(c, "admin.webhooks.endpoint")
	ctx, cancel := reqCtx(c)
	defer cancel()
	var err error
	if d.Endpoint, err = w.deps.Webhooks.Endpoint(ctx, c.Params("endpoint")); err != nil {
		return err
	}
	if d.Log, err = w.deps.Webhooks.Log(ctx, d.Endpoint.ID, deliveriesListed); err != nil {
		return err
	}
	d.Events = webhook.Events()
	return w.render(c, status, "webhook", p, d)
}

// updateWebhook changes an endpoint's events.
func (w *Workspace) updateWebhook(c *fiber.Ctx) error {
	id, events := c.Params("endpoint"), formEvents(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	err := w.deps.Webhooks.SetEvents(ctx, id, events)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showWebhook(c, fiber.StatusUnprocessableEntity, webhookData{Errors: fieldMessages(w.newPage(c, ""), fields)})
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "webhook.update", id, "events="+strings.Join(events, ","))
	return redirect(c, "/admin/webhooks/"+id+"?notice=n_saved")
}

// webhookState enables or disables an endpoint.
func (w *Workspace) webhookState(c *fiber.Ctx) error {
	id, enable := c.Params("endpoint"), c.FormValue("enable") == "1"
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Webhooks.SetEnabled(ctx, id, enable); err != nil {
		return err
	}
	action := "webhook.disable"
	if enable {
		action = "webhook.enable"
	}
	_ = w.audit(c, action, id, "")
	return redirect(c, "/admin/webhooks/"+id+"?notice=n_saved")
}

// rotateWebhookSecret gives an endpoint a new secret and shows it once.
func (w *Workspace) rotateWebhookSecret(c *fiber.Ctx) error {
	id := c.Params("endpoint")
	ctx, cancel := reqCtx(c)
	defer cancel()
	secret, err := w.deps.Webhooks.RotateSecret(ctx, id)
	if err != nil {
		return err
	}
	_ = w.audit(c, "webhook.secret", id, "")
	return w.showWebhook(c, fiber.StatusOK, webhookData{Secret: secret})
}

// deleteWebhook removes an endpoint.
func (w *Workspace) deleteWebhook(c *fiber.Ctx) error {
	id := c.Params("endpoint")
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Webhooks.Delete(ctx, id); err != nil {
		return err
	}
	_ = w.audit(c, "webhook.delete", id, "")
	return redirect(c, "/admin/webhooks?notice=n_deleted")
}

// endpointView is what the "endpointstate" template gets.
type endpointView struct {
	P *page
	E *consulta.WebhookEndpoint
}

// EventName is the localized description of a webhook event.
func (p *page) EventName(event string) string {
	return p.L.T("admin.webhooks.event." + strings.ReplaceAll(event, ".", "_"))
}
