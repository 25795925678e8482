package store

import (
	"encoding/json"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// sjsonResponse is a response as FerretDB's SQLite backend stores it: one JSON
// object per row (column _ferretdb_sjson), with its type schema under "$s",
// dates as milliseconds since 1970 and every other field of a response as
// plain JSON. docs/storage.md, "The embedded store's rows", describes the
// format; TestEmbeddedRowsDecodeAsTheDriverReads checks this decoder against
// the driver on every kind of answer.
type sjsonResponse struct {
	ID          string           `json:"_id"`
	FormID      string           `json:"form"`
	FormVersion int              `json:"form_version"`
	Lang        string           `json:"lang"`
	Channel     consulta.Channel `json:"channel"`
	Page        string           `json:"page"`
	Session     string           `json:"session"`
	ReceivedAt  int64            `json:"received_at"`
	Answers     map[string]any   `json:"answers"`
	Department  string           `json:"department"`
	HasContact  bool             `json:"has_contact"`
	RequestHash string           `json:"request_hash"`
	Status      string           `json:"status"`
	Assignee    string           `json:"assignee"`
	Tags        []string         `json:"tags"`
	Reply       string           `json:"reply"`
}

// decodeSJSON reads one stored response row.
func decodeSJSON(row []byte) (*consulta.Response, error) {
	var d sjsonResponse
	if err := json.Unmarshal(row, &d); err != nil {
		return nil, wrap(err, "decode stored response")
	}
	answers := make(map[string]any, len(d.Answers))
	for k, v := range d.Answers {
		answers[k] = normalizeValue(fromJSON(v))
	}
	return &consulta.Response{
		ID: d.ID, FormID: d.FormID, FormVersion: d.FormVersion, Lang: d.Lang, Channel: d.Channel,
		Page: d.Page, Session: d.Session, ReceivedAt: time.UnixMilli(d.ReceivedAt).UTC(),
		Answers: answers, Department: d.Department, HasContact: d.HasContact,
		RequestHash: d.RequestHash, Status: d.Status, Assignee: d.Assignee, Tags: d.Tags,
		Reply: d.Reply,
	}, nil
}

// fromJSON gives a decoded JSON value the shape the driver gives the same
// BSON value (bson.A, bson.D), so that one normalization serves both.
// Numbers are float64 either way once normalized.
func fromJSON(v any) any {
	switch x := v.(type) {
	case []any:
		a := make(bson.A, len(x))
		for i, e := range x {
			a[i] = fromJSON(e)
		}
		return a
	case map[string]any:
		d := make(bson.D, 0, len(x))
		for k, e := range x {
			d = append(d, bson.E{Key: k, Value: fromJSON(e)})
		}
		return d
	default:
		return v
	}
}
