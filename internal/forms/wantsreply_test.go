package forms

import "testing"

// TestWantsReply: a yes to the question the contact questions depend on
// asks for a reply; a no, no answer, or a form without such a question
// does not.
func TestWantsReply(t *testing.T) {
	r, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	box, _ := r.Get("sugerencias")
	page, _ := r.Get("utilidad-pagina")
	for _, tc := range []struct {
		f       *Form
		answers map[string]any
		want    bool
	}{
		{box, map[string]any{"topic": "docentes", "wants_reply": true}, true},
		{box, map[string]any{"topic": "docentes", "wants_reply": false}, false},
		{box, map[string]any{"topic": "docentes"}, false},
		{page, map[string]any{"wants_reply": true}, false},
	} {
		if got := tc.f.WantsReply(tc.answers); got != tc.want {
			t.Errorf("%s %v: WantsReply %t, want %t", tc.f.ID, tc.answers, got, tc.want)
		}
	}
}
