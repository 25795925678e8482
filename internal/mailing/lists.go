// Package mailing sends the scheduled reports by e-mail: admins keep
// distribution lists (a schedule, a form, a language, recipients) in the
// workspace; when a scheduled run has stored its reports, each recipient of
// each matching list gets one message through the store's mail outbox (a
// summary in text and HTML, the PDF attached, a link to the workspace), sent
// by package outbox with package mail. docs/integrations.md, "E-mail".
package mailing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/mail"
	"slices"
	"strings"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/schedule"
)

// Limits of a list.
const (
	maxRecipients = 200
	maxNameLen    = 100
)

// Langs are the languages a list can be in: those of the PDF reports.
func Langs() []string { return []string{"es", "en"} }

// Kinds are the schedules a list can follow.
func Kinds() []string { return []string{string(schedule.Monthly), string(schedule.Biannual)} }

// ListInput is a list as typed in the workspace: recipients one per line
// (or separated by commas or spaces).
type ListInput struct {
	Name, Kind, Form, Lang, Recipients string
}

// parse checks in and returns the list's fields, or an EINVALID error whose
// fields say what is wrong (codes admin.field.list_*).
func (s *Service) parse(ctx context.Context, in ListInput) (*consulta.MailList, error) {
	l := &consulta.MailList{Name: strings.TrimSpace(in.Name), Kind: in.Kind, FormID: in.Form, Lang: in.Lang}
	var fields []consulta.FieldError
	bad := func(field, code string, params map[string]any) {
		fields = append(fields, consulta.FieldError{Question: field, Code: code, Params: params})
	}
	if l.Name == "" || len([]rune(l.Name)) > maxNameLen {
		bad("name", "list_name", map[string]any{"Max": maxNameLen})
	}
	if !slices.Contains(Kinds(), l.Kind) {
		bad("kind", "list_kind", nil)
	}
	if _, ok := s.Forms.Get(l.FormID); !ok {
		bad("form", "list_form", nil)
	}
	if !slices.Contains(Langs(), l.Lang) {
		bad("lang", "list_lang", nil)
	}
	for _, raw := range strings.FieldsFunc(in.Recipients, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t' }) {
		a, err := mail.ParseAddress(raw)
		if err != nil || a.Address != raw || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".") {
			bad("recipients", "list_recipient", map[string]any{"Address": raw})
			continue
		}
		if addr := strings.ToLower(a.Address); !slices.Contains(l.Recipients, addr) {
			l.Recipients = append(l.Recipients, addr)
		}
	}
	if len(l.Recipients) == 0 && !slices.ContainsFunc(fields, func(f consulta.FieldError) bool { return f.Question == "recipients" }) {
		bad("recipients", "list_recipients", map[string]any{"Max": maxRecipients})
	}
	if len(l.Recipients) > maxRecipients {
		bad("recipients", "list_recipients", map[string]any{"Max": maxRecipients})
	}
	if len(fields) == 0 && StaffOnly(l.Kind) {
		for _, to := range l.Recipients {
			ok, err := s.mayReceive(ctx, to)
			if err != nil {
				return nil, err
			}
			if !ok {
				bad("recipients", "list_recipient_staff", map[string]any{"Address": to})
			}
		}
	}
	if len(fields) > 0 {
		return nil, &consulta.Error{Code: consulta.EINVALID, Message: "mailing: invalid list", Fields: consulta.LimitFieldErrors(fields)}
	}
	return l, nil
}

// StaffOnly reports whether the lists of schedule kind may reach only staff:
// workspace accounts that may see reports anyway. Monthly reports nest in
// the semester's: whoever holds a month and its semester can subtract one
// from the other and read counts that each suppresses (docs/reports.md,
// "Which outputs are fixed"). Semesters never nest, so biannual lists may
// reach anyone, the CSOs of the commitment among them.
func StaffOnly(kind string) bool { return kind == string(schedule.Monthly) }

// mayReceive reports whether address is an active account allowed to see
// the workspace's reports (auth.Export, as /admin/reports requires).
func (s *Service) mayReceive(ctx context.Context, address string) (bool, error) {
	u, err := s.Store.User(ctx, strings.ToLower(address))
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return auth.Can(u, auth.Export), nil
}

// Input is the form of an existing list.
func Input(l *consulta.MailList) ListInput {
	return ListInput{Name: l.Name, Kind: l.Kind, Form: l.FormID, Lang: l.Lang, Recipients: strings.Join(l.Recipients, "\n")}
}

// CreateList stores a new list made by user.
func (s *Service) CreateList(ctx context.Context, in ListInput, user string) (*consulta.MailList, error) {
	l, err := s.parse(ctx, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	l.ID, l.CreatedAt, l.CreatedBy, l.UpdatedAt, l.UpdatedBy = newID(), now, user, now, user
	return l, s.Store.CreateMailList(ctx, l)
}

// UpdateList replaces list id with in, changed by user.
func (s *Service) UpdateList(ctx context.Context, id string, in ListInput, user string) (*consulta.MailList, error) {
	if _, err := s.Store.MailList(ctx, id); err != nil {
		return nil, err
	}
	l, err := s.parse(ctx, in)
	if err != nil {
		return nil, err
	}
	l.ID, l.UpdatedAt, l.UpdatedBy = id, s.now(), user
	return l, s.Store.SaveMailList(ctx, l)
}

// LangsFor lists the languages of the lists of formID for runs of kind,
// for the scheduler to make a report in each (none when e-mail is off).
func (s *Service) LangsFor(ctx context.Context, kind schedule.Kind, formID string) ([]string, error) {
	if !s.Enabled() {
		return nil, nil
	}
	lists, err := s.Store.MailLists(ctx)
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, l := range lists {
		if l.Kind == string(kind) && l.FormID == formID && !slices.Contains(langs, l.Lang) {
			langs = append(langs, l.Lang)
		}
	}
	return langs, nil
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
