package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// sjsonSchema is the "$s" of a FerretDB row: each field's type, in order
// (docs/storage.md, "The rows").
type sjsonSchema struct {
	Props map[string]*sjsonElem `json:"p"`
	Keys  []string              `json:"$k"`
}

type sjsonElem struct {
	Type    string       `json:"t"`
	Schema  *sjsonSchema `json:"$s"` // objects
	Items   []*sjsonElem `json:"i"`  // arrays, one per item
	Subtype *byte        `json:"s"`  // binData
	Options *string      `json:"o"`  // regex
}

// decodeSJSONDoc reads any stored row as the BSON document the driver would
// have received, so that the callers decode it with their bson tags, and a
// backup archives the same bytes from either store. It knows every type
// FerretDB v1.24.2 stores (its internal/handler/sjson); another type is an
// error, never a guess.
func decodeSJSONDoc(row []byte) (bson.Raw, error) {
	var top struct {
		Schema *sjsonSchema `json:"$s"`
	}
	if err := json.Unmarshal(row, &top); err != nil {
		return nil, wrap(err, "decode stored document")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(row, &fields); err != nil {
		return nil, wrap(err, "decode stored document")
	}
	delete(fields, "$s")
	d, err := sjsonObject(fields, top.Schema)
	if err != nil {
		return nil, wrap(err, "decode stored document")
	}
	raw, err := bson.Marshal(d)
	return raw, wrap(err, "decode stored document")
}

func sjsonObject(fields map[string]json.RawMessage, s *sjsonSchema) (bson.D, error) {
	if len(fields) == 0 {
		return bson.D{}, nil
	}
	if s == nil {
		return nil, fmt.Errorf("object without schema")
	}
	d := make(bson.D, 0, len(s.Keys))
	for _, k := range s.Keys {
		v, err := sjsonValue(fields[k], s.Props[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		d = append(d, bson.E{Key: k, Value: v})
	}
	return d, nil
}

func sjsonValue(raw json.RawMessage, e *sjsonElem) (any, error) {
	if e == nil {
		return nil, fmt.Errorf("no schema")
	}
	switch e.Type {
	case "object":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		return sjsonObject(fields, e.Schema)
	case "array":
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		if len(items) != len(e.Items) {
			return nil, fmt.Errorf("array of %d items, schema of %d", len(items), len(e.Items))
		}
		a := make(bson.A, len(items))
		for i, item := range items {
			v, err := sjsonValue(item, e.Items[i])
			if err != nil {
				return nil, err
			}
			a[i] = v
		}
		return a, nil
	case "null":
		return nil, nil
	case "binData", "objectId", "regex":
		return sjsonText(raw, e)
	}
	return sjsonScalar(raw, e.Type)
}

// sjsonText reads the types FerretDB writes as a JSON string: binary data
// (base64, subtype in the schema), object ids (24 hex digits) and regular
// expressions (options in the schema).
func sjsonText(raw json.RawMessage, e *sjsonElem) (any, error) {
	switch e.Type {
	case "binData":
		var b []byte
		if err := json.Unmarshal(raw, &b); err != nil || e.Subtype == nil {
			return nil, fmt.Errorf("binData %s: %v", raw, err)
		}
		return bson.Binary{Subtype: *e.Subtype, Data: b}, nil
	case "objectId":
		var h string
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, err
		}
		return bson.ObjectIDFromHex(h)
	}
	var pattern string
	if err := json.Unmarshal(raw, &pattern); err != nil || e.Options == nil {
		return nil, fmt.Errorf("regex %s: %v", raw, err)
	}
	return bson.Regex{Pattern: pattern, Options: *e.Options}, nil
}

func sjsonScalar(raw json.RawMessage, typ string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch typ {
	case "string", "bool":
		return v, nil
	case "double":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("double %v", v)
		}
		return n.Float64()
	case "timestamp":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("timestamp %v", v)
		}
		u, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil {
			return nil, err
		}
		return bson.Timestamp{T: uint32(u >> 32), I: uint32(u)}, nil
	case "int", "long", "date":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s %v", typ, v)
		}
		i, err := n.Int64()
		switch {
		case err != nil:
			return nil, err
		case typ == "int":
			return int32(i), nil
		case typ == "date":
			return time.UnixMilli(i).UTC(), nil
		}
		return i, nil
	}
	return nil, fmt.Errorf("type %q not read by Consulta", typ)
}
