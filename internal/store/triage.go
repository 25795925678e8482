package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// saidOf is what u keeps of the response: nothing once the action is gone.
func saidOf(u consulta.TriageUpdate) consulta.Said {
	if u.Action == "" {
		return consulta.Said{}
	}
	return u.Said
}

func (s *Store) triage() *mongo.Collection { return s.db.Collection(triageName) }

// Triage returns the triage of a response; one never triaged comes back empty
// (with its ID), not as an error.
func (s *Store) Triage(ctx context.Context, id string) (*consulta.Triage, error) {
	var t consulta.Triage
	err := s.findByID(ctx, s.triage(), id, &t, "triage")
	if isNotFound(err) {
		return &consulta.Triage{ID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	t.ActionAt, t.UpdatedAt = t.ActionAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

// SaveTriage records u for response r: its status on the response, the rest in
// its triage document (created on first save). The action date is set when the
// action text first appears or changes, and cleared with it.
func (s *Store) SaveTriage(ctx context.Context, r *consulta.Response, u consulta.TriageUpdate) (*consulta.Triage, error) {
	prev, err := s.Triage(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	at := storedTime(u.At)
	set := bson.D{
		{Key: "form", Value: r.FormID}, {Key: "status", Value: u.Status},
		{Key: "tags", Value: nonNil(u.Tags)}, {Key: "assignee", Value: u.Assignee},
		{Key: "action", Value: u.Action}, {Key: "action_lang", Value: u.ActionLang}, {Key: "said", Value: saidOf(u)},
		{Key: "updated_at", Value: at}, {Key: "updated_by", Value: u.By},
	}
	set = append(set, actionDates(prev, u, at)...)
	update := bson.D{{Key: "$set", Value: set}}
	if u.Note != "" {
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "notes", Value: consulta.Note{At: at, Author: u.By, Text: u.Note}}}})
	}
	// The status, assignee and tags are copied onto the response, where the
	// browser's filters and indexes read them.
	mirror := bson.D{{Key: fieldStatus, Value: u.Status}, {Key: fieldAssignee, Value: u.Assignee},
		{Key: fieldTags, Value: nonNil(u.Tags)}}
	if err := s.setByID(ctx, s.responses, r.ID, mirror, "response"); err != nil {
		return nil, err
	}
	opCtx, cancel := s.OpContext(ctx)
	_, err = s.triage().UpdateOne(opCtx, bson.D{{Key: "_id", Value: r.ID}}, update, options.UpdateOne().SetUpsert(true))
	cancel()
	if err != nil {
		return nil, wrap(err, "save triage %s", r.ID)
	}
	return s.Triage(ctx, r.ID)
}

// ActionsBetween lists the actions published in [from, to), oldest first; an
// empty formID means every form. Reports call it for their period.
func (s *Store) ActionsBetween(ctx context.Context, formID string, from, to time.Time) ([]consulta.Action, error) {
	q := docQuery{coll: triageName, conds: []docCond{gt("action", "")}, sort: "action_at"}
	if formID != "" {
		q.conds = append(q.conds, eq("form", formID))
	}
	if !from.IsZero() {
		q.conds = append(q.conds, gte("action_at", from))
	}
	if !to.IsZero() {
		q.conds = append(q.conds, lt("action_at", to))
	}
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	return s.actions(ctx, q)
}

// RecentActions lists the newest published actions first, up to limit.
func (s *Store) RecentActions(ctx context.Context, limit int) ([]consulta.Action, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	return s.actions(ctx, docQuery{coll: triageName, conds: []docCond{gt("action", "")}, sort: "action_at",
		desc: true, limit: limit})
}

// actions reads the triage q selects as actions, in q's order, the
// responses of a shared action merged into its first entry.
func (s *Store) actions(ctx context.Context, q docQuery) ([]consulta.Action, error) {
	var out []consulta.Action
	at := map[string]int{} // shared action ID → its index in out
	err := s.backend.find(ctx, q, func(doc bson.Raw) error {
		var t consulta.Triage
		if err := bson.Unmarshal(doc, &t); err != nil {
			return wrap(err, "decode triage")
		}
		if i, ok := at[t.ActionID]; ok && t.ActionID != "" {
			out[i].Responses++
			out[i].ResponseIDs = append(out[i].ResponseIDs, t.ID)
			out[i].Said = append(out[i].Said, t.Said)
			return nil
		}
		id := t.ActionID
		if id == "" {
			id = t.ID
		} else {
			at[id] = len(out)
		}
		out = append(out, consulta.Action{ID: id, ResponseID: t.ID, FormID: t.FormID, Text: t.Action, Lang: t.ActionLang,
			Date: t.ActionAt.UTC(), Responses: 1, ResponseIDs: []string{t.ID}, Said: []consulta.Said{t.Said}})
		return nil
	})
	return out, err
}

// actionDates are the action date and link SaveTriage sets (see
// TriageUpdate.ActionID): the date is set when the text first appears or
// changes (or kept from the shared action), cleared with the text.
func actionDates(prev *consulta.Triage, u consulta.TriageUpdate, at time.Time) bson.D {
	switch {
	case u.Action == "":
		return bson.D{{Key: "action_at", Value: time.Time{}}, {Key: "action_id", Value: ""}}
	case u.ActionID != "" && !u.ActionAt.IsZero():
		return bson.D{{Key: "action_at", Value: storedTime(u.ActionAt)}, {Key: "action_id", Value: u.ActionID}}
	case u.ActionID != "":
		return bson.D{{Key: "action_at", Value: at}, {Key: "action_id", Value: u.ActionID}}
	case u.Action != prev.Action:
		return bson.D{{Key: "action_at", Value: at}, {Key: "action_id", Value: ""}}
	}
	return nil
}

// SharedAction returns the published action of the given ID (Action.ID)
// with every response it answers, or ENOTFOUND. The triage is read by
// action_id without an index: few responses are triaged.
func (s *Store) SharedAction(ctx context.Context, id string) (*consulta.Action, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	list, err := s.actions(ctx, docQuery{coll: triageName, conds: []docCond{eq("action_id", id), gt("action", "")}, sort: "action_at"})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		// An action of one response is named by the response's ID.
		t, err := s.Triage(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.Action == "" || t.ActionID != "" {
			return nil, consulta.Errorf(consulta.ENOTFOUND, "action %s", id)
		}
		return &consulta.Action{ID: t.ID, ResponseID: t.ID, FormID: t.FormID, Text: t.Action, Lang: t.ActionLang,
			Date: t.ActionAt.UTC(), Responses: 1, ResponseIDs: []string{t.ID}, Said: []consulta.Said{t.Said}}, nil
	}
	return &list[0], nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
