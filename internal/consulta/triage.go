package consulta

import "time"

// Triage is the ministry's handling of one response: tags, notes, an assignee
// and the public action text ("you said, we did"). It shares the response's ID.
// The status itself lives on the response (Response.Status), so that
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
