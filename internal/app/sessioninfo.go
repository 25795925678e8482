package app

import (
	"context"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/workspace"
)

// sessionLookup gives session summaries their cover (report.Deps.Session):
// the session's place and date, its organisation, and its facilitator's name.
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
	return info, nil
}
