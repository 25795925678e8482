package app

import (
	"context"
	"slices"
	"strings"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/workspace"
)

// sessionLookup gives session summaries their cover (report.Deps.Session):
// the session's place and date, its organisation, its facilitator's name,
// and who entered its paper forms.
type sessionLookup struct {
	store *store.Store
	geo   *geo.Catalog
}

func (l sessionLookup) info(ctx context.Context, code string) (*report.SessionInfo, error) {
	g, err := l.store.FocusGroup(ctx, code)
	if err != nil {
		return nil, err
	}
	info := &report.SessionInfo{Place: workspace.PlaceText(l.geo, g), Date: g.Date, Org: g.Org}
	if g.Facilitator != "" {
		u, err := l.store.User(ctx, g.Facilitator)
		switch {
		case consulta.ErrorCode(err) == consulta.ENOTFOUND:
			// An account removed since: the organisation still says who.
		case err != nil:
			return nil, err
		default:
			info.Facilitator = u.Name
		}
	}
	if info.EnteredBy, err = l.enteredBy(ctx, code); err != nil {
		return nil, err
	}
	return info, nil
}

// maxSessionEntries bounds the audit entries read for one session's paper
// forms: a room's worth many times over.
const maxSessionEntries = 2000

// enteredBy names the accounts that typed in or imported the session's paper
// forms, in the order they first did, from the audit log. Accounts removed
// since, and the command line, are left out.
func (l sessionLookup) enteredBy(ctx context.Context, code string) ([]string, error) {
	var entries []*consulta.AuditEntry
	for _, action := range []string{workspace.AuditSessionEntry, workspace.AuditSessionImport} {
		got, err := l.store.AuditEntries(ctx, consulta.AuditFilter{Action: action, Target: code, Limit: maxSessionEntries})
		if err != nil {
			return nil, err
		}
		entries = append(entries, got...)
	}
	slices.SortFunc(entries, func(a, b *consulta.AuditEntry) int { return strings.Compare(a.ID, b.ID) }) // IDs are in time order
	var names []string
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Actor] || e.Actor == consulta.CommandLineActor {
			continue
		}
		seen[e.Actor] = true
		u, err := l.store.User(ctx, e.Actor)
		switch {
		case consulta.ErrorCode(err) == consulta.ENOTFOUND:
		case err != nil:
			return nil, err
		case u.Name != "":
			names = append(names, u.Name)
		}
	}
	return names, nil
}
