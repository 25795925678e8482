package workspace_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestAPIResponsesScrubbedForAnalysts is an attack test: an analyst, who may
// not see contact data, asks the JSON browser instead of the HTML list for
// responses whose free text holds an e-mail address and a DPI number, and
// gets placeholders; an admin gets the text as written.
func TestAPIResponsesScrubbedForAnalysts(t *testing.T) {
	e := newEnv(t)
	e.addUser("analista@mineduc.test", "analyst", "")
	e.addUser("admin@mineduc.test", "admin", "")
	const email, dpi = "maria.lopez@example.com", "2345 67890 0101"
	e.storeResponses(2, "Idea %d: escriban a "+email+", mi DPI es "+dpi)

	get := func(who string) (string, map[string]any) {
		res, body := e.login(who).get("/admin/api/responses?form=sugerencias")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", who, res.StatusCode)
		}
		var got struct {
			Responses []struct {
				Answers map[string]any `json:"answers"`
			} `json:"responses"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Responses) != 2 {
			t.Fatalf("%s: %v, %d responses in %s", who, err, len(got.Responses), body)
		}
		return body, got.Responses[0].Answers
	}

	body, answers := get("analista@mineduc.test")
	if strings.Contains(body, email) || strings.Contains(body, dpi) || strings.Contains(body, "67890") {
		t.Errorf("an analyst reads contact data through the JSON API: %s", body)
	}
	if msg, _ := answers["message"].(string); !strings.Contains(msg, "Idea") || msg == "" {
		t.Errorf("the scrubbed message lost its words: %q", msg)
	}
	if answers["topic"] != "docentes" {
		t.Errorf("a choice's code was changed: %v", answers["topic"])
	}
	if body, _ := get("admin@mineduc.test"); !strings.Contains(body, email) || !strings.Contains(body, dpi) {
		t.Errorf("an admin does not get the text as written: %s", body)
	}
}
