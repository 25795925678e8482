package workspace_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// storeResponses stores n responses to sugerencias an hour apart, the
// oldest first, with IDs that sort the other way (r9 is the oldest): the
// list must follow the dates, not the IDs. It returns the IDs oldest first.
func (e *env) storeResponses(n int, message string) []string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now().Add(-time.Duration(n+1) * time.Hour)
	var ids []string
	for i := range n {
		r := &consulta.Response{ID: fmt.Sprintf("r%d", 9-i), FormID: "sugerencias", FormVersion: 1, Lang: "es",
			Channel: consulta.ChannelPage, ReceivedAt: start.Add(time.Duration(i) * time.Hour), Status: consulta.StatusNew,
			Answers: map[string]any{"topic": "docentes", "message": fmt.Sprintf(message, i)}}
		if _, _, err := e.store.InsertResponse(ctx, r, nil); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// linkOrder is the order in which the page links to the responses ids.
func linkOrder(t *testing.T, page string, ids []string) []string {
	t.Helper()
	pos := map[int]string{}
	var at []int
	for _, id := range ids {
		i := strings.Index(page, `href="/admin/responses/`+id+`?`)
		if i < 0 {
			t.Fatalf("no link to %s in the page", id)
		}
		pos[i] = id
		at = append(at, i)
	}
	for i := range at { // a few elements: insertion sort
		for j := i; j > 0 && at[j] < at[j-1]; j-- {
			at[j], at[j-1] = at[j-1], at[j]
		}
	}
	out := make([]string, len(at))
	for i, p := range at {
		out[i] = pos[p]
	}
	return out
}

// TestResponsesListOrderFiltersAndBack: the list is in date order (newest
// first, or oldest first on request) whatever the IDs; tags and assignee
// filter and show; the response page's «Volver» and triage keep the filter.
func TestResponsesListOrderFiltersAndBack(t *testing.T) {
	e := newEnv(t)
	e.addUser("analista@mineduc.test", "analyst", "")
	ids := e.storeResponses(4, "Idea %d: escriban a maria.lopez@example.com o al 5555-1234")
	a := e.login("analista@mineduc.test")

	_, page := a.get("/admin/responses?form=sugerencias")
	newest := []string{ids[3], ids[2], ids[1], ids[0]}
	if got := linkOrder(t, page, ids); fmt.Sprint(got) != fmt.Sprint(newest) {
		t.Errorf("default order %v, want newest first %v", got, newest)
	}
	if !strings.Contains(page, `<option value="sugerencias" selected>Buzón de sugerencias</option>`) {
		t.Errorf("the form picker does not show the form's title")
	}
	if strings.Contains(page, "maria.lopez@example.com") || strings.Contains(page, "5555-1234") {
		t.Errorf("an analyst sees contact data in the excerpts")
	}
	_, page = a.get("/admin/responses?form=sugerencias&order=oldest")
	if got := linkOrder(t, page, ids); fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("oldest first: %v, want %v", got, ids)
	}

	// Triage from a filtered list: the redirect and «Volver» keep the filter.
	filter := "form=sugerencias&order=oldest"
	_, page = a.get("/admin/responses/" + ids[1] + "?" + filter)
	if strings.Contains(page, "maria.lopez@example.com") {
		t.Errorf("an analyst sees an e-mail address in the answers")
	}
	if back := `href="/admin/responses?` + html.EscapeString(filter) + `"`; !strings.Contains(page, back) {
		t.Errorf("«Volver» does not lead back to the filtered list (%s)", back)
	}
	res, _ := a.post("/admin/responses/"+ids[1]+"/triage?"+filter, url.Values{"status": {"in_review"},
		"tags": {"Escuelas, agua"}, "assignee": {"analista@mineduc.test"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, filter) {
		t.Fatalf("triage: %d to %q, want a redirect keeping %q", res.StatusCode, loc, filter)
	}

	for _, q := range []string{"tag=escuelas", "tag=AGUA", "assignee=analista%40mineduc.test"} {
		_, page = a.get("/admin/responses?" + q)
		if strings.Count(page, `href="/admin/responses/r`) != 1 || !strings.Contains(page, `href="/admin/responses/`+ids[1]+`?`) {
			t.Errorf("%s: want only %s listed", q, ids[1])
		}
		if !strings.Contains(page, "<td>escuelas, agua</td><td>analista@mineduc.test</td>") {
			t.Errorf("%s: the tags and assignee columns are missing", q)
		}
	}
	if _, page = a.get("/admin/responses?tag=salud"); strings.Contains(page, `href="/admin/responses/r`) {
		t.Errorf("a tag no response has lists responses")
	}
}

// TestResponsesExcerptsForAdmins: who may see contact data sees the text
// as written.
func TestResponsesExcerptsForAdmins(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.storeResponses(1, "Idea %d: escriban a maria.lopez@example.com")
	_, page := e.login("admin@mineduc.test").get("/admin/responses")
	if !strings.Contains(page, "maria.lopez@example.com") {
		t.Errorf("an admin does not see the text as written")
	}
}
