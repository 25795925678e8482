package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// Triage is the ministry's handling of one response: tags, notes, an assignee
// and the public action text ("you said, we did"). It shares the response's ID.
// The status itself lives on the response (consulta.Response.Status), so that
// the responses browser filters on it; Status here mirrors it.
type Triage struct {
	ID       string    `bson:"_id"`
	FormID   string    `bson:"form"`
	Status   string    `bson:"status"`
	Tags     []string  `bson:"tags"`
	Assignee string    `bson:"assignee,omitempty"`
	Notes    []Note    `bson:"notes"`
	Action   string    `bson:"action,omitempty"`
	ActionAt time.Time `bson:"action_at,omitempty"`
	// ActionLang is the language the action text is written in.
	ActionLang string `bson:"action_lang,omitempty"`
	// Said is what the response said, kept with the action for /acciones.
	Said Said `bson:"said,omitempty"`
	// ActionID names the action this response shares with the others it
	// answers (published together or attached later); empty for an action
	// written on this response alone.
	ActionID  string    `bson:"action_id,omitempty"`
	UpdatedAt time.Time `bson:"updated_at"`
	UpdatedBy string    `bson:"updated_by"`
}

// Note is an internal remark on a response.
type Note struct {
	At     time.Time `bson:"at"`
	Author string    `bson:"author"`
	Text   string    `bson:"text"`
}

// Said is what a response said, shown beside the action that answers it:
// the option chosen in one question (its topic) and the page it was sent
// from. Codes, not texts: the public page words them in its own language.
type Said struct {
	Question string `bson:"q,omitempty"`
	Value    string `bson:"value,omitempty"`
	Page     string `bson:"page,omitempty"`
}

// TriageUpdate is one save of the triage form. Note, when not empty, is added.
type TriageUpdate struct {
	Status, Assignee, Action, ActionLang, Note string
	Tags                                       []string
	// Said is kept with the action (cleared with it).
	Said Said
	// ActionID, when set, links the response to that shared action, and
	// ActionAt (when set) keeps the action's date. When empty, a response
	// keeps its link as long as its action text is unchanged; a text edited
	// on one response makes it an action of its own.
	ActionID string
	ActionAt time.Time
	By       string
	At       time.Time
}

// Action is a published "you said, we did" entry: one text answering one
// response or, shared, several.
type Action struct {
	// ID is the shared action's ID, or the response's for an action of
	// one response; ResponseID is the first response it answers.
	ID         string
	ResponseID string
	FormID     string
	Text       string
	Lang       string
	Date       time.Time
	// Responses counts the responses it answers, ResponseIDs names them;
	// Said is what each said (empty for actions saved before it was kept).
	Responses   int
	ResponseIDs []string
	Said        []Said
}

// saidOf is what u keeps of the response: nothing once the action is gone.
func saidOf(u TriageUpdate) Said {
	if u.Action == "" {
		return Said{}
	}
	return u.Said
}

func (s *Store) triage() *mongo.Collection { return s.db.Collection(triageName) }

// Triage returns the triage of a response; one never triaged comes back empty
// (with its ID), not as an error.
func (s *Store) Triage(ctx context.Context, id string) (*Triage, error) {
	var t Triage
	err := s.findByID(ctx, s.triage(), id, &t, "triage")
	if isNotFound(err) {
		return &Triage{ID: id}, nil
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
func (s *Store) SaveTriage(ctx context.Context, r *consulta.Response, u TriageUpdate) (*Triage, error) {
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
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "notes", Value: Note{At: at, Author: u.By, Text: u.Note}}}})
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
func (s *Store) ActionsBetween(ctx context.Context, formID string, from, to time.Time) ([]Action, error) {
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
func (s *Store) RecentActions(ctx context.Context, limit int) ([]Action, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	return s.actions(ctx, docQuery{coll: triageName, conds: []docCond{gt("action", "")}, sort: "action_at",
		desc: true, limit: limit})
}

// actions reads the triage q selects as actions, in q's order, the
// responses of a shared action merged into its first entry.
func (s *Store) actions(ctx context.Context, q docQuery) ([]Action, error) {
	var out []Action
	at := map[string]int{} // shared action ID → its index in out
	err := s.backend.find(ctx, q, func(doc bson.Raw) error {
		var t Triage
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
		out = append(out, Action{ID: id, ResponseID: t.ID, FormID: t.FormID, Text: t.Action, Lang: t.ActionLang,
			Date: t.ActionAt.UTC(), Responses: 1, ResponseIDs: []string{t.ID}, Said: []Said{t.Said}})
		return nil
	})
	return out, err
}

// actionDates are the action date and link SaveTriage sets (see
// TriageUpdate.ActionID): the date is set when the text first appears or
// changes (or kept from the shared action), cleared with the text.
func actionDates(prev *Triage, u TriageUpdate, at time.Time) bson.D {
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
func (s *Store) SharedAction(ctx context.Context, id string) (*Action, error) {
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
		return &Action{ID: t.ID, ResponseID: t.ID, FormID: t.FormID, Text: t.Action, Lang: t.ActionLang,
			Date: t.ActionAt.UTC(), Responses: 1, ResponseIDs: []string{t.ID}, Said: []Said{t.Said}}, nil
	}
	return &list[0], nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
