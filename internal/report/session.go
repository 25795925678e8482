package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/pdf"
)

// SessionInfo is what a focus-group session summary's cover says about the
// session (Deps.Session looks it up by code).
type SessionInfo struct {
	Place string    // venue, municipality, department
	Date  time.Time // the day it was held
	// Org is the organisation that ran it (a CSO), and Facilitator the name
	// of the account that facilitates it: its paper forms are typed in from
	// the session's page, by its facilitation team.
	Org, Facilitator string
	// EnteredBy names the accounts that typed in or imported its paper
	// forms, in the order they first did (the audit log says who): empty
	// when none did or nobody is known, and then the facilitator is named.
	EnteredBy []string
}

// sessionInfo looks the session up; a code without a session record (seeded
// data, a session deleted since) gives a cover with the code alone.
func sessionInfo(ctx context.Context, deps Deps, code string) (*SessionInfo, error) {
	if code == "" || deps.Session == nil {
		return nil, nil
	}
	info, err := deps.Session(ctx, code)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: the session's place, date and facilitator: %w", err)
	}
	return info, nil
}

// sessionLines are a session summary's cover lines: its code, place, date,
// organisation and facilitator, and its k.
func (d *docBuilder) sessionLines() []string {
	lines := []string{d.t("report.cover.session", map[string]any{"Code": d.a.Session})}
	if s := d.opt.Session; s != nil {
		if s.Place != "" {
			lines = append(lines, d.t("report.cover.place", map[string]any{"Place": s.Place}))
		}
		if !s.Date.IsZero() {
			lines = append(lines, d.t("report.cover.date", map[string]any{"Date": d.l.Date(s.Date)}))
		}
		if s.Org != "" {
			lines = append(lines, d.t("report.cover.org", map[string]any{"Org": s.Org}))
		}
		if s.Facilitator != "" {
			lines = append(lines, d.t("report.cover.facilitator", map[string]any{"Name": s.Facilitator}))
		}
	}
	return append(lines, d.t("report.cover.session_k", map[string]any{"K": d.a.K, "Below": d.a.K - 1}))
}

// methodText is the methodology paragraph id; in a session summary, the
// paper forms are the session's, typed in by its facilitation team, not
// imported by the ministry's.
func (d *docBuilder) methodText(id string, data map[string]any) string {
	if id != "report.method.channels" || d.a.Session == "" {
		return d.t(id, data)
	}
	who := d.t("report.session.who_unknown")
	s := d.opt.Session
	if s != nil && len(s.EnteredBy) > 0 && !(len(s.EnteredBy) == 1 && s.EnteredBy[0] == s.Facilitator) {
		// Someone besides the facilitator typed forms in: name who did.
		return d.t("report.method.channels_session", map[string]any{"Who": strings.Join(s.EnteredBy, ", ")})
	}
	if s != nil && s.Facilitator != "" {
		who = d.t("report.session.who", map[string]any{"Name": s.Facilitator, "Org": s.Org})
		if s.Org == "" {
			who = d.t("report.session.who_name", map[string]any{"Name": s.Facilitator})
		}
	}
	return d.t("report.method.channels_session", map[string]any{"Who": who})
}

// sessionMethod explains a session summary's k.
func (d *docBuilder) sessionMethod() []pdf.Block {
	if d.a.Session == "" {
		return nil
	}
	return []pdf.Block{&pdf.Paragraph{Text: d.t("report.method.session_k", map[string]any{"K": d.a.K})}}
}
