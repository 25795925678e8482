package store

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// normalizeAnswers converts answers decoded from BSON (bson.D, bson.A, int32, int64,
// bson.DateTime...) back to the Go types documented on consulta.Response: string,
// []string, float64, bool, consulta.Geo. It never returns nil, so that a response
// without answers reads back as it was written (an empty map).
func normalizeAnswers(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeValue(v)
	}
	return out
}

// normalizeValue converts one decoded answer. Values of unknown shape are kept as the
// driver decoded them rather than dropped.
func normalizeValue(v any) any {
	switch x := v.(type) {
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case bson.DateTime:
		return x.Time().UTC()
	case time.Time:
		return x.UTC()
	case bson.A:
		return normalizeArray(x)
	case bson.D:
		return normalizeDocument(x)
	default:
		return v
	}
}

// normalizeArray returns a []string when every element is a string (multiple-choice
// answers, including an empty selection), and a []any of normalized values otherwise.
func normalizeArray(a bson.A) any {
	strs := make([]string, 0, len(a))
	for _, e := range a {
		s, ok := e.(string)
		if !ok {
			return normalizeSlice(a)
		}
		strs = append(strs, s)
	}
	return strs
}

func normalizeSlice(a bson.A) []any {
	out := make([]any, len(a))
	for i, e := range a {
		out[i] = normalizeValue(e)
	}
	return out
}

// normalizeDocument returns a consulta.Geo for a geo answer (a document holding only
// department and municipality codes) and a map of normalized values otherwise.
func normalizeDocument(d bson.D) any {
	if g, ok := geoOf(d); ok {
		return g
	}
	out := make(map[string]any, len(d))
	for _, e := range d {
		out[e.Key] = normalizeValue(e.Value)
	}
	return out
}

func geoOf(d bson.D) (consulta.Geo, bool) {
	var g consulta.Geo
	for _, e := range d {
		s, ok := e.Value.(string)
		if !ok {
			return g, false
		}
		switch e.Key {
		case "department":
			g.Department = s
		case "municipality":
			g.Municipality = s
		default:
			return g, false
		}
	}
	return g, len(d) > 0
}
