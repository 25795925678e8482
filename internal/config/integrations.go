package config

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"

	consultamail "github.com/consulta/consulta/internal/mail"
)

// Integrations are the settings of the e-mailed reports and the webhooks
// (docs/integrations.md).
type Integrations struct {
	// SMTPHost is the server that sends the e-mailed reports; "" sends none.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	// SMTPFrom is the sender of the messages.
	SMTPFrom mail.Address
	// SMTPTLS is starttls, tls (implicit) or none.
	SMTPTLS string
	// SMTPCAFile, when set, is a PEM file of the certificate authorities
	// that the SMTP server's certificate is checked against (an internal
	// relay); empty uses the system's.
	SMTPCAFile string

	// WebhookAllowPrivate lets webhook endpoints be on loopback, private or
	// link-local addresses, and use plain http (an internal network, tests).
	WebhookAllowPrivate bool
	// WebhookDisableAfter is how many failed attempts in a row disable an
	// endpoint.
	WebhookDisableAfter int
}

// MailEnabled reports whether e-mails are sent.
func (c *Config) MailEnabled() bool { return c.SMTPHost != "" }

// integrationSettings are the settings of Integrations, in --help order.
func integrationSettings() []setting {
	return []setting{
		{name: "smtp_host", help: "SMTP server of the e-mailed reports (empty: no e-mail)", parse: str(func(c *Config) *string { return &c.SMTPHost })},
		{name: "smtp_port", def: "587", help: "SMTP port (587 for STARTTLS, 465 for TLS)", parse: parsePort},
		{name: "smtp_username", help: "SMTP user (empty: no authentication)", parse: str(func(c *Config) *string { return &c.SMTPUsername })},
		{name: "smtp_password", help: "SMTP password", secret: true, parse: str(func(c *Config) *string { return &c.SMTPPassword })},
		{name: "smtp_from", help: "sender of the e-mails, e.g. \"Consulta <consulta@mineduc.gob.gt>\"", parse: parseFrom},
		{name: "smtp_tls", def: consultamail.STARTTLS, help: "starttls, tls (implicit, port 465) or none (a relay on the same network, no authentication)",
			parse: oneOf(func(c *Config) *string { return &c.SMTPTLS }, consultamail.STARTTLS, consultamail.ImplicitTLS, consultamail.NoTLS)},
		{name: "smtp_ca_file", help: "PEM file of the authorities that sign the SMTP server's certificate (empty: the system's)", parse: str(func(c *Config) *string { return &c.SMTPCAFile })},
		{name: "webhook_allow_private", def: "false", help: "allow webhook endpoints on loopback and private addresses, and over plain http (internal networks, tests)",
			parse: boolean(func(c *Config) *bool { return &c.WebhookAllowPrivate })},
		{name: "webhook_disable_after", def: "20", help: "a webhook endpoint is disabled after this many failed attempts in a row", parse: parseDisableAfter},
	}
}

func parsePort(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return errors.New("must be a port number from 1 to 65535")
	}
	c.SMTPPort = n
	return nil
}

func parseFrom(c *Config, v string) error {
	c.SMTPFrom = mail.Address{}
	if v == "" {
		return nil
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return errors.New("must be an e-mail address, optionally with a name: \"Consulta <consulta@example.org>\"")
	}
	c.SMTPFrom = *a
	return nil
}

func parseDisableAfter(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return errors.New("must be a whole number from 1 to 1000")
	}
	c.WebhookDisableAfter = n
	return nil
}

// checkIntegrations checks the settings that depend on each other: e-mails
// need a sender, and links in them need the public URL.
func (c *Config) checkIntegrations() error {
	if c.SMTPHost == "" {
		return nil
	}
	switch {
	case c.SMTPFrom.Address == "":
		return errors.New("config: CONSULTA_SMTP_FROM is required when CONSULTA_SMTP_HOST is set (the sender of the e-mails)")
	case c.BaseURL == "":
		return errors.New("config: CONSULTA_BASE_URL is required when CONSULTA_SMTP_HOST is set (the links in the e-mails)")
	case c.SMTPTLS == consultamail.NoTLS && c.SMTPUsername != "":
		return fmt.Errorf("config: CONSULTA_SMTP_TLS = %q: authentication needs starttls or tls", c.SMTPTLS)
	}
	return nil
}
