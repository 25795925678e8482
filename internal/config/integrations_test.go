package config

import (
	"strings"
	"testing"
)

func TestIntegrationSettings(t *testing.T) {
	cfg, err := load(t, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MailEnabled() || cfg.SMTPPort != 587 || cfg.SMTPTLS != "starttls" || cfg.WebhookDisableAfter != 20 || cfg.WebhookAllowPrivate {
		t.Fatalf("defaults: %+v", cfg.Integrations)
	}
	env := map[string]string{"CONSULTA_SMTP_HOST": "smtp.mineduc.test", "CONSULTA_SMTP_PORT": "465", "CONSULTA_SMTP_TLS": "tls",
		"CONSULTA_SMTP_USERNAME": "consulta", "CONSULTA_SMTP_PASSWORD_FILE": "/run/secrets/smtp",
		"CONSULTA_SMTP_FROM": "Consulta MINEDUC <consulta@mineduc.test>", "CONSULTA_BASE_URL": "https://consulta.mineduc.test",
		"CONSULTA_WEBHOOK_DISABLE_AFTER": "5", "CONSULTA_WEBHOOK_ALLOW_PRIVATE": "true"}
	cfg, err = load(t, nil, env, map[string]string{"/run/secrets/smtp": "s3cret\n"})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.MailEnabled() || cfg.SMTPPort != 465 || cfg.SMTPPassword != "s3cret" || cfg.SMTPFrom.Name != "Consulta MINEDUC" ||
		cfg.SMTPFrom.Address != "consulta@mineduc.test" || cfg.WebhookDisableAfter != 5 || !cfg.WebhookAllowPrivate {
		t.Fatalf("settings: %+v", cfg.Integrations)
	}
	for _, tc := range []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"CONSULTA_SMTP_FROM": ""}, "CONSULTA_SMTP_FROM is required"},
		{map[string]string{"CONSULTA_BASE_URL": ""}, "CONSULTA_BASE_URL is required"},
		{map[string]string{"CONSULTA_SMTP_TLS": "none"}, "authentication needs starttls or tls"},
		{map[string]string{"CONSULTA_SMTP_TLS": "ssl"}, "CONSULTA_SMTP_TLS"},
		{map[string]string{"CONSULTA_SMTP_FROM": "not an address"}, "CONSULTA_SMTP_FROM"},
		{map[string]string{"CONSULTA_SMTP_PORT": "0"}, "CONSULTA_SMTP_PORT"},
		{map[string]string{"CONSULTA_WEBHOOK_DISABLE_AFTER": "0"}, "CONSULTA_WEBHOOK_DISABLE_AFTER"},
	} {
		bad := map[string]string{}
		for k, v := range env {
			bad[k] = v
		}
		for k, v := range tc.change {
			bad[k] = v
		}
		_, err := load(t, nil, bad, map[string]string{"/run/secrets/smtp": "s3cret"})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%v: error %v, want one naming %s", tc.change, err, tc.want)
		}
	}
}
