package mailing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/mail"
	"github.com/consulta/consulta/internal/outbox"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/store"
)

// Sender sends one message (*mail.Sender, or a fake).
type Sender interface {
	Send(ctx context.Context, msg *mail.Message) (string, error)
}

// Service keeps the distribution lists and makes and sends the e-mails of
// the scheduled reports.
type Service struct {
	Store      *store.Store
	Archive    *schedule.Archive
	Forms      *forms.Registry
	Translator *locale.Translator
	// Sender is nil when no SMTP server is configured: lists can be kept,
	// and nothing is enqueued.
	Sender Sender
	From   netmail.Address
	// BaseURL is the public URL of the service, for the links in messages.
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// Enabled reports whether e-mails are sent (an SMTP server is configured).
func (s *Service) Enabled() bool { return s.Sender != nil }

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// RunStored enqueues one message per recipient of each list that matches a
// report of run (its kind, the report's form and language). It implements
// schedule.Config.Stored: calling it again for the same run enqueues
// nothing new, since a message's _id is its report and recipient.
func (s *Service) RunStored(ctx context.Context, run *schedule.Run, reports []string) error {
	if !s.Enabled() {
		return nil
	}
	lists, err := s.Store.MailLists(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, id := range reports {
		meta, err := s.Archive.Get(ctx, id)
		if err != nil {
			return err
		}
		for _, l := range lists {
			if l.Kind != string(run.Kind) || l.FormID != meta.FormID || l.Lang != meta.Lang {
				continue
			}
			for _, to := range l.Recipients {
				created, err := s.Store.Enqueue(ctx, consulta.MailOutbox, consulta.OutboxItem{
					ID: messageKey(id, to), Group: l.ID, Label: to, CreatedAt: s.now(),
					Data: map[string]string{"report": id, "run": run.ID, "list": l.ID, "list_name": l.Name,
						"lang": l.Lang, "kind": l.Kind, "form": meta.FormID},
				})
				if err != nil {
					return fmt.Errorf("mailing: enqueue %s to %s: %w", id, to, err)
				}
				if created {
					n++
				}
			}
		}
	}
	if n > 0 {
		s.logger().Info("mailing: messages enqueued", "run", run.ID, "messages", n)
	}
	return nil
}

// messageKey is the outbox _id of the message of report to recipient: a run
// stores each report once, so this is one message per run, report and
// recipient.
func messageKey(report, to string) string { return report + "|" + strings.ToLower(to) }

// messageID is the Message-ID of the message of report to recipient, the
// same at every attempt: a receiver that gets it twice (the window that
// docs/integrations.md describes) can drop the second.
func (s *Service) messageID(report, to string) string {
	sum := sha256.Sum256([]byte(messageKey(report, to)))
	domain := "consulta.invalid"
	if i := strings.LastIndex(s.From.Address, "@"); i >= 0 {
		domain = s.From.Address[i+1:]
	}
	return hex.EncodeToString(sum[:16]) + "@" + domain
}

// Send makes and sends one message of the outbox (outbox.Sender). A report
// that is gone, or a 5xx refusal, gives the message up.
func (s *Service) Send(ctx context.Context, it *consulta.OutboxItem) (string, error) {
	if !s.Enabled() {
		return "", errors.New("mailing: no SMTP server configured")
	}
	if err := s.checkRecipient(ctx, it); err != nil {
		return "", err
	}
	msg, err := s.compose(ctx, it)
	if err != nil {
		return "", err
	}
	detail, err := s.Sender.Send(ctx, msg)
	var me *mail.Error
	if errors.As(err, &me) && me.Permanent() {
		return detail, outbox.Permanent(err)
	}
	return detail, err
}

// checkRecipient gives up a message of a staff-only list whose recipient
// is no longer an account that may see reports (disabled, removed or made a
// facilitator since the list was saved): the list was checked when saved,
// and is checked again at the last moment, so a month never reaches
// someone who could subtract it from the semester. The reason shows in the
// workspace's failed messages.
func (s *Service) checkRecipient(ctx context.Context, it *consulta.OutboxItem) error {
	if !StaffOnly(it.Data["kind"]) {
		return nil
	}
	ok, err := s.mayReceive(ctx, it.Label)
	if err != nil {
		return err
	}
	if !ok {
		return outbox.Permanent(fmt.Errorf("mailing: %s is not an active account that may see reports, and %s reports go to staff only", it.Label, it.Data["kind"]))
	}
	return nil
}

// compose reads the report and writes the message.
func (s *Service) compose(ctx context.Context, it *consulta.OutboxItem) (*mail.Message, error) {
	reportID := it.Data["report"]
	meta, err := s.Archive.Get(ctx, reportID)
	if err != nil {
		return nil, outbox.Permanent(err)
	}
	rc, _, err := s.Archive.Open(ctx, reportID)
	if err != nil {
		return nil, err
	}
	pdf, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("mailing: read report %s: %w", reportID, err)
	}
	body, err := s.body(meta, it.Data)
	if err != nil {
		return nil, err
	}
	files := []mail.Attachment{{Name: meta.Filename, ContentType: "application/pdf", Data: pdf}}
	if meta.HTML {
		twin, err := s.twin(ctx, meta)
		if err != nil {
			return nil, err
		}
		files = append(files, twin)
	}
	return &mail.Message{From: s.From, To: it.Label, Subject: body.Subject, Text: body.Text, HTML: body.HTML,
		MessageID: s.messageID(reportID, it.Label), Date: s.now(), Attachments: files}, nil
}

// twin reads the report's HTML twin as an attachment: a recipient without
// an account (a biannual list's) can read it too, in any browser.
func (s *Service) twin(ctx context.Context, meta schedule.StoredReport) (mail.Attachment, error) {
	rc, _, err := s.Archive.OpenHTML(ctx, meta.ID)
	if err != nil {
		return mail.Attachment{}, err
	}
	defer rc.Close()
	html, err := io.ReadAll(rc)
	if err != nil {
		return mail.Attachment{}, fmt.Errorf("mailing: read html of %s: %w", meta.ID, err)
	}
	name := strings.TrimSuffix(meta.Filename, ".pdf") + ".html"
	return mail.Attachment{Name: name, ContentType: "text/html; charset=utf-8", Data: html}, nil
}

// Failures lists the messages given up and those waiting for a retry after
// a failure, for the workspace.
func (s *Service) Failures(ctx context.Context, limit int) (failed, retrying []*consulta.OutboxItem, err error) {
	if failed, err = s.Store.OutboxItems(ctx, consulta.MailOutbox, consulta.OutboxFailed, limit); err != nil {
		return nil, nil, err
	}
	pending, err := s.Store.OutboxItems(ctx, consulta.MailOutbox, consulta.OutboxPending, limit)
	for _, it := range pending {
		if it.LastError != "" {
			retrying = append(retrying, it)
		}
	}
	return failed, retrying, err
}

// Retry makes a failed message due now.
func (s *Service) Retry(ctx context.Context, id string) error {
	return s.Store.RetryOutbox(ctx, consulta.MailOutbox, id, s.now())
}
