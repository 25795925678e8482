package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/schedule"
)

// The events an endpoint can receive.
const (
	EventResponseCreated = "response.created"
	EventResponseTriaged = "response.triaged"
	EventActionPublished = "action.published"
	EventReportStored    = "report.stored"
)

// Events lists every event, in the order the workspace shows them.
func Events() []string {
	return []string{EventResponseCreated, EventResponseTriaged, EventActionPublished, EventReportStored}
}

// event is one thing that happened, ready to be delivered: its id (the
// same for every endpoint and every retry), name, time and data.
type event struct {
	ID   string
	Name string
	At   time.Time
	Data []byte // JSON
}

// eventID is the id of event name about key (a response and a save time, a
// report): the same whichever replica makes it, so that an event made twice
// is enqueued once.
func eventID(name, key string) string {
	sum := sha256.Sum256([]byte(name + "|" + key))
	return "evt_" + hex.EncodeToString(sum[:12])
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// responseData is what response.created says of a response: what was
// answered and how it arrived. Contact data lives apart (consulta.Contact)
// and never leaves in a webhook; neither does the request's fingerprint.
type responseData struct {
	ID          string         `json:"id"`
	Form        string         `json:"form"`
	FormVersion int            `json:"form_version"`
	Lang        string         `json:"lang"`
	Channel     string         `json:"channel"`
	Page        string         `json:"page,omitempty"`
	Session     string         `json:"session,omitempty"`
	Department  string         `json:"department,omitempty"`
	ReceivedAt  time.Time      `json:"received_at"`
	Status      string         `json:"status"`
	Answers     map[string]any `json:"answers"`
}

func responseCreated(r *consulta.Response) (event, error) {
	data, err := json.Marshal(map[string]any{"response": responseData{
		ID: r.ID, Form: r.FormID, FormVersion: r.FormVersion, Lang: r.Lang, Channel: string(r.Channel), Page: r.Page,
		Session: r.Session, Department: r.Department, ReceivedAt: r.ReceivedAt.UTC(), Status: r.Status, Answers: r.Answers,
	}})
	return event{ID: eventID(EventResponseCreated, r.ID), Name: EventResponseCreated, At: r.ReceivedAt, Data: data}, err
}

// triageEvents are the events of one triage save: response.triaged, and
// action.published when the save published (or changed) the public action.
// Internal notes and who triaged stay in the workspace.
func triageEvents(t *consulta.Triage) ([]event, error) {
	data, err := json.Marshal(map[string]any{"triage": map[string]any{
		"response": t.ID, "form": t.FormID, "status": t.Status, "tags": t.Tags, "updated_at": t.UpdatedAt.UTC(),
	}})
	if err != nil {
		return nil, err
	}
	out := []event{{ID: eventID(EventResponseTriaged, t.ID+"|"+ms(t.UpdatedAt)), Name: EventResponseTriaged, At: t.UpdatedAt, Data: data}}
	if t.Action != "" && t.ActionAt.Equal(t.UpdatedAt) {
		data, err := json.Marshal(map[string]any{"action": map[string]any{
			"response": t.ID, "form": t.FormID, "text": t.Action, "lang": t.ActionLang, "published_at": t.ActionAt.UTC(),
		}})
		if err != nil {
			return nil, err
		}
		out = append(out, event{ID: eventID(EventActionPublished, t.ID+"|"+ms(t.ActionAt)), Name: EventActionPublished,
			At: t.ActionAt, Data: data})
	}
	return out, nil
}

// reportStored is the event of one stored report, scheduled or made on
// demand: url is where the workspace downloads its PDF, html_url where it
// shows its HTML twin (sign-in required; none for reports stored before
// twins), both under baseURL.
func reportStored(r schedule.StoredReport, baseURL string) (event, error) {
	report := map[string]any{
		"id": r.ID, "kind": r.Kind, "run": r.Run, "form": r.FormID, "lang": r.Lang, "from": r.From.UTC(), "to": r.To.UTC(),
		"responses": r.Responses, "suppressed": r.Suppressed, "k": r.K, "generated_at": r.GeneratedAt.UTC(),
		"url": baseURL + schedule.PDFPath(r.ID),
	}
	if r.HTML {
		report["html_url"] = baseURL + schedule.HTMLPath(r.ID)
	}
	data, err := json.Marshal(map[string]any{"report": report})
	return event{ID: eventID(EventReportStored, r.ID), Name: EventReportStored, At: r.GeneratedAt, Data: data}, err
}
