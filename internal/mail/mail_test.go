package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/mail"
	"github.com/consulta/consulta/internal/smtptest"
)

func message() *mail.Message {
	return &mail.Message{
		From: netmail.Address{Name: "Consulta · MINEDUC", Address: "informes@mineduc.test"}, To: "revisora@osc.test",
		Subject: "Informe mensual: Sugerencias (junio de 2026)", Text: "Respuestas: 1.234\nVer: https://x.test/r",
		HTML: "<p>Respuestas: <strong>1.234</strong></p>", MessageID: "abc123@mineduc.test",
		Date:        time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC),
		Attachments: []mail.Attachment{{Name: "informe.pdf", ContentType: "application/pdf", Data: bytes.Repeat([]byte("%PDF-1.4 x"), 100)}},
	}
}

// TestSendOverTLS sends through a real SMTP server, with STARTTLS and with
// implicit TLS, authenticated, and reads the message back as a mail client
// would.
func TestSendOverTLS(t *testing.T) {
	for _, mode := range []string{mail.STARTTLS, mail.ImplicitTLS} {
		t.Run(mode, func(t *testing.T) {
			srv := smtptest.Start(t, mode == mail.ImplicitTLS)
			s, err := mail.NewSender(mail.Config{Host: srv.Host, Port: srv.Port, Username: smtptest.Username,
				Password: smtptest.Password, TLS: mode, RootCAs: srv.Roots, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Send(context.Background(), message()); err != nil {
				t.Fatal(err)
			}
			got := srv.Received()
			if len(got) != 1 || got[0].From != "informes@mineduc.test" || len(got[0].To) != 1 || got[0].To[0] != "revisora@osc.test" {
				t.Fatalf("received %+v", got)
			}
			checkMIME(t, got[0].Data)
		})
	}
}

func checkMIME(t *testing.T, data []byte) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Informe mensual: Sugerencias (junio de 2026)" || m.Header.Get("Message-Id") != "<abc123@mineduc.test>" {
		t.Errorf("headers: subject %q, message-id %q", subject, m.Header.Get("Message-Id"))
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	alt, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	_, altParams, _ := mime.ParseMediaType(alt.Header.Get("Content-Type"))
	ar := multipart.NewReader(alt, altParams["boundary"])
	var texts []string
	for {
		p, err := ar.NextPart() // NextPart decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		texts = append(texts, p.Header.Get("Content-Type")+": "+string(b))
	}
	if len(texts) != 2 || !strings.Contains(texts[0], "Respuestas: 1.234\r\nVer: https://x.test/r") ||
		!strings.Contains(texts[1], "<strong>1.234</strong>") {
		t.Errorf("alternatives: %q", texts)
	}
	att, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(att)
	pdf, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil || !bytes.Equal(pdf, message().Attachments[0].Data) || att.FileName() != "informe.pdf" {
		t.Errorf("attachment %q: %d bytes, %v", att.FileName(), len(pdf), err)
	}
}

// TestSendRefusals: a wrong password is an error to retry (the settings get
// fixed), a 5xx refusal of the message a permanent one, a 4xx a temporary
// one; a header with a line break is never sent.
func TestSendRefusals(t *testing.T) {
	srv := smtptest.Start(t, false)
	cfg := mail.Config{Host: srv.Host, Port: srv.Port, Username: smtptest.Username, Password: "wrong",
		TLS: mail.STARTTLS, RootCAs: srv.Roots, Timeout: 10 * time.Second}
	s, _ := mail.NewSender(cfg)
	_, err := s.Send(context.Background(), message())
	var e *mail.Error
	if !errors.As(err, &e) || e.Step != "auth" || e.Permanent() {
		t.Errorf("wrong password: %v", err)
	}
	cfg.Password = smtptest.Password
	s, _ = mail.NewSender(cfg)
	srv.Refuse(451, 554)
	if _, err := s.Send(context.Background(), message()); !errors.As(err, &e) || e.Code != 451 || e.Permanent() {
		t.Errorf("451: %v", err)
	}
	if _, err := s.Send(context.Background(), message()); !errors.As(err, &e) || e.Code != 554 || !e.Permanent() {
		t.Errorf("554: %v", err)
	}
	bad := message()
	bad.Subject = "x\r\nBcc: victim@example.org"
	if _, err := s.Send(context.Background(), bad); err == nil || len(srv.Received()) != 0 {
		t.Errorf("header injection: %v, %d received", err, len(srv.Received()))
	}
	// Without the test's certificate the server is not trusted.
	cfg.RootCAs = nil
	s, _ = mail.NewSender(cfg)
	if _, err := s.Send(context.Background(), message()); !errors.As(err, &e) || e.Step != "starttls" {
		t.Errorf("untrusted certificate: %v", err)
	}
}
