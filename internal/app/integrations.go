package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/mail"
	"github.com/consulta/consulta/internal/mailing"
	"github.com/consulta/consulta/internal/metrics"
	"github.com/consulta/consulta/internal/outbox"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/webhook"
)

// integrations are the e-mailed reports and the webhooks
// (docs/integrations.md): their services, on every replica (the workspace
// keeps lists and endpoints), and their background workers, on replicas
// that run scheduled jobs.
type integrations struct {
	mailing  *mailing.Service
	webhooks *webhook.Service
	metrics  *metrics.Outbox
	// The workers; nil until newIntegrationWorkers, and the mail worker when
	// no SMTP server is configured.
	mailWorker, hookWorker *outbox.Worker
	feed                   *webhook.Feed
}

// newIntegrations prepares the services of the e-mailed reports and the
// webhooks, and their metrics.
func (a *App) newIntegrations() error {
	in := &integrations{metrics: metrics.NewOutbox([]string{string(consulta.MailOutbox), string(consulta.WebhookOutbox)},
		[]string{outbox.OutcomeSent, outbox.OutcomeRetry, outbox.OutcomeFailed})}
	if err := a.metrics.Registry().Register(in.metrics); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	in.mailing = &mailing.Service{Store: a.env.Store, Archive: schedule.NewArchive(a.env.Store), Forms: a.env.Forms,
		Translator: a.env.Translator, From: a.cfg.SMTPFrom, BaseURL: a.cfg.BaseURL, Logger: a.logger}
	if a.cfg.MailEnabled() {
		sender, err := a.smtpSender()
		if err != nil {
			return err
		}
		in.mailing.Sender = sender
	}
	hooks, err := webhook.New(webhook.Config{Store: a.env.Store, Secret: a.env.SecretKey, AllowPrivate: a.cfg.WebhookAllowPrivate,
		DisableAfter: a.cfg.WebhookDisableAfter, BaseURL: a.cfg.BaseURL, Logger: a.logger, Disabled: in.metrics.EndpointDisabled})
	if err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	in.webhooks = hooks
	a.integrations = in
	return nil
}

// smtpSender is the SMTP client of the settings.
func (a *App) smtpSender() (*mail.Sender, error) {
	cfg := mail.Config{Host: a.cfg.SMTPHost, Port: a.cfg.SMTPPort, Username: a.cfg.SMTPUsername,
		Password: a.cfg.SMTPPassword, TLS: a.cfg.SMTPTLS}
	if a.cfg.SMTPCAFile != "" {
		pem, err := os.ReadFile(a.cfg.SMTPCAFile)
		if err != nil {
			return nil, fmt.Errorf("config: CONSULTA_SMTP_CA_FILE = %q: %v", a.cfg.SMTPCAFile, errors.Unwrap(err))
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("config: CONSULTA_SMTP_CA_FILE = %q: no PEM certificate in it", a.cfg.SMTPCAFile)
		}
	}
	s, err := mail.NewSender(cfg)
	if err != nil {
		return nil, fmt.Errorf("config: CONSULTA_SMTP_*: %w", err)
	}
	return s, nil
}

// newIntegrationWorkers prepares the workers that send e-mails and webhook
// deliveries, and the webhook feed (replicas with CONSULTA_SCHEDULER).
func (a *App) newIntegrationWorkers() error {
	in := a.integrations
	var err error
	if in.mailing.Enabled() {
		in.mailWorker, err = outbox.New(outbox.Config{Box: consulta.MailOutbox, Store: a.env.Store, Send: in.mailing.Send,
			Logger: a.logger, Observe: in.metrics.Observer(string(consulta.MailOutbox))})
		if err != nil {
			return err
		}
	}
	in.hookWorker, err = outbox.New(outbox.Config{Box: consulta.WebhookOutbox, Store: a.env.Store, Send: in.webhooks.Send,
		Done: in.webhooks.Done, Logger: a.logger, Observe: in.metrics.Observer(string(consulta.WebhookOutbox)),
		Backoff:     outbox.Backoff{First: webhook.DefaultFirstRetry, Max: webhook.DefaultMaxRetry},
		MaxAttempts: webhook.DefaultMaxAttempts})
	if err != nil {
		return err
	}
	in.feed = webhook.NewFeed(in.webhooks)
	return nil
}

// reportsStored is told of each scheduled run's stored reports
// (schedule.Config.Stored): their e-mails and report.stored deliveries are
// enqueued, once however often it is called.
func (a *App) reportsStored(ctx context.Context, run *schedule.Run, reports []string) error {
	return errors.Join(a.integrations.mailing.RunStored(ctx, run, reports),
		a.integrations.webhooks.ReportsStored(ctx, run, reports))
}

// startIntegrations starts the workers and the feed.
func (a *App) startIntegrations(ctx context.Context) {
	in := a.integrations
	if in == nil || in.hookWorker == nil {
		return
	}
	if in.mailWorker != nil {
		in.mailWorker.Start(ctx)
	}
	in.hookWorker.Start(ctx)
	in.feed.Start(ctx)
}

// stopIntegrations stops the workers and the feed and waits for them.
func (a *App) stopIntegrations() {
	in := a.integrations
	if in == nil || in.hookWorker == nil {
		return
	}
	in.feed.Stop()
	in.hookWorker.Stop()
	if in.mailWorker != nil {
		in.mailWorker.Stop()
	}
	in.hookWorker, in.mailWorker = nil, nil
	a.logger.Info("e-mail and webhook workers stopped")
}
