package workspace

import (
	"regexp"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// The audit log stores its details as short machine-readable strings
// ("new → actioned", "role=analyst→admin disabled=false→true", "locked"),
// which entries written by every earlier release also have. They are
// turned into the reader's language when shown, here, and nowhere else.

// auditRow is an audit entry as the log page shows it.
type auditRow struct {
	*consulta.AuditEntry
	// Who is the actor in words (the command line has no account).
	Who string
	// Detail is the entry's detail in the reader's language and time zone.
	Detail string
}

func (w *Workspace) auditRows(p *page, entries []*consulta.AuditEntry) []auditRow {
	out := make([]auditRow, len(entries))
	for i, e := range entries {
		out[i] = auditRow{AuditEntry: e, Who: e.Actor, Detail: auditDetail(p, e)}
		if e.Actor == consulta.CommandLineActor {
			out[i].Who = p.T("admin.audit.cli")
		}
	}
	return out
}

// stampPattern finds the RFC 3339 times that details of earlier releases
// hold in UTC.
var stampPattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})`)

// auditDetail is e's detail for p's reader.
func auditDetail(p *page, e *consulta.AuditEntry) string {
	d := e.Detail
	switch e.Action {
	case "response.status":
		return arrow(d, func(s string) string { return p.T("report.status." + s) })
	case "response.assignee":
		return arrow(d, func(s string) string { return orNone(s) })
	case "response.tags":
		return arrow(d, orNone)
	case "response.action", "response.note":
		// Entries written before the audit scrubbed these texts.
		return report.Scrub(d)
	case "login.failure", "user.password.failure", "session.import.failure":
		// A reason code, then what else the entry keeps (file=…).
		code, rest, _ := strings.Cut(d, " ")
		if t, ok := translated(p, "admin.audit.reason."+code); ok {
			if rest != "" {
				t += " (" + rest + ")"
			}
			return t
		}
	case "user.create", "user.update":
		return fieldChanges(p, d)
	}
	return stampPattern.ReplaceAllStringFunc(d, func(s string) string {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return p.Time(t)
	})
}

// translated is id's text, and whether the catalogue has one.
func translated(p *page, id string) (string, bool) {
	t := p.T(id)
	return t, t != id
}

// orNone shows an empty value as a dash.
func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// arrow maps both sides of "before → after" with name.
func arrow(d string, name func(string) string) string {
	before, after, ok := strings.Cut(d, " → ")
	if !ok {
		return d
	}
	return name(before) + " → " + name(after)
}

// fieldChanges reads "role=a→b org=c disabled=false→true" (an account's
// fields, changed or set) as "Rol: Analista → Administración; Desactivada:
// no → sí", leaving out the fields that did not change.
func fieldChanges(p *page, d string) string {
	var parts []string
	for _, kv := range strings.Fields(d) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			parts = append(parts, kv)
			continue
		}
		value := func(s string) string {
			switch {
			case k == "role" && s != "":
				return p.Role(s)
			case s == "true":
				return p.T("form.yes")
			case s == "false":
				return p.T("form.no")
			}
			return orNone(s)
		}
		label, ok := translated(p, "admin.audit.field."+k)
		if !ok {
			label = k
		}
		before, after, changed := strings.Cut(v, "→")
		switch {
		case !changed:
			if v != "" {
				parts = append(parts, label+": "+value(v))
			}
		case before != after:
			parts = append(parts, label+": "+value(before)+" → "+value(after))
		}
	}
	return strings.Join(parts, "; ")
}
