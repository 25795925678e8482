package store

import (
	"encoding/json"
	"testing"
)

// The raw pre-check must never say no where matchesAny would say yes.
func TestMayMatchJSONNeverMissesAMatch(t *testing.T) {
	answers := []map[string]any{
		{"m": "No encuentro la EDUCACIÓN bilingüe"},
		{"m": `dijo "hola" \ y <b>adiós</b> & más`},
		{"m": "línea\u2028otra", "o": []string{"Ejecución presupuestaria"}},
		{"ñ": "año", "geo": map[string]any{"department": "01"}},
	}
	terms := []string{"educacion", "Educación", "bilingue", `"hola"`, `\ y`, "<b>", "& más", "adios", "presupuestaria",
		"línea\u2028otra", "ano", "año", "zzz", "m", "department"}
	for _, a := range answers {
		raw, _ := json.Marshal(a)
		decoded := normalizeAnswers(a)
		for _, term := range terms {
			m := newTextMatcher(term)
			if m.matchesAny(decoded) && !m.mayMatchJSON(raw) {
				t.Errorf("term %q: matchesAny yes, mayMatchJSON no, on %s", term, raw)
			}
		}
	}
	if newTextMatcher("zzz").mayMatchJSON([]byte(`{"m":"abc"}`)) {
		t.Error("mayMatchJSON found a term that is not there")
	}
}
