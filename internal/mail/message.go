// Package mail writes e-mail messages (MIME: plain text and HTML
// alternatives, attachments) and sends them over SMTP with STARTTLS or
// implicit TLS and authentication. It is Consulta's one package that speaks
// SMTP; what is sent, and when, is package mailing's.
package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one e-mail to one recipient.
type Message struct {
	From mail.Address
	To   string
	// Subject, Text and HTML are the message; HTML may be empty.
	Subject, Text, HTML string
	// MessageID is the Message-ID without angle brackets: the same for every
	// attempt at the same message, so that a receiver can drop a duplicate.
	MessageID   string
	Date        time.Time
	Attachments []Attachment
}

// Attachment is a file attached to a message.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Bytes writes the message in MIME: multipart/mixed of a
// multipart/alternative (text, then HTML) and the attachments.
func (m *Message) Bytes() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	mixed := multipart.NewWriter(&buf)
	h := []string{
		"From: " + m.From.String(),
		"To: " + m.To,
		"Subject: " + mime.QEncoding.Encode("utf-8", m.Subject),
		"Date: " + m.Date.Format(time.RFC1123Z),
		"Message-ID: <" + m.MessageID + ">",
		"MIME-Version: 1.0",
		// Out-of-office replies are not sent to automatic messages (RFC 3834).
		"Auto-Submitted: auto-generated",
		`Content-Type: multipart/mixed; boundary="` + mixed.Boundary() + `"`,
	}
	buf.WriteString(strings.Join(h, "\r\n") + "\r\n\r\n")
	if err := m.writeBody(mixed); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		if err := writeAttachment(mixed, a); err != nil {
			return nil, err
		}
	}
	if err := mixed.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// check refuses what would break the headers: line breaks, an address that
// is not one.
func (m *Message) check() error {
	for _, v := range []string{m.To, m.Subject, m.MessageID, m.From.Name, m.From.Address} {
		if strings.ContainsAny(v, "\r\n") {
			return errors.New("mail: a header contains a line break")
		}
	}
	for _, a := range []string{m.To, m.From.Address} {
		if _, err := mail.ParseAddress(a); err != nil {
			return fmt.Errorf("mail: %q is not an e-mail address", a)
		}
	}
	if m.MessageID == "" || strings.ContainsAny(m.MessageID, "<> ") || !strings.Contains(m.MessageID, "@") {
		return errors.New("mail: the Message-ID must be id@domain")
	}
	return nil
}

func (m *Message) writeBody(mixed *multipart.Writer) error {
	var alt bytes.Buffer
	aw := multipart.NewWriter(&alt)
	if err := writeText(aw, "text/plain; charset=utf-8", m.Text); err != nil {
		return err
	}
	if m.HTML != "" {
		if err := writeText(aw, "text/html; charset=utf-8", m.HTML); err != nil {
			return err
		}
	}
	if err := aw.Close(); err != nil {
		return err
	}
	part, err := mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type": {`multipart/alternative; boundary="` + aw.Boundary() + `"`},
	})
	if err != nil {
		return err
	}
	_, err = part.Write(alt.Bytes())
	return err
}

func writeText(w *multipart.Writer, contentType, text string) error {
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {contentType},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(part)
	if _, err := io.WriteString(qp, strings.ReplaceAll(text, "\n", "\r\n")); err != nil {
		return err
	}
	return qp.Close()
}

func writeAttachment(w *multipart.Writer, a Attachment) error {
	name := strings.Map(func(r rune) rune {
		if r < ' ' || r == '"' || r == '\\' || r > '~' {
			return '_'
		}
		return r
	}, a.Name)
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {a.ContentType + `; name="` + name + `"`},
		"Content-Disposition":       {`attachment; filename="` + name + `"`},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString(a.Data)
	for len(enc) > 76 {
		if _, err := io.WriteString(part, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err = io.WriteString(part, enc+"\r\n")
	return err
}
