package geo

import (
	"strings"
	"testing"
)

func TestParseAcceptsMinimalCatalog(t *testing.T) {
	data := headerLine + "\n" +
		"01,Guatemala,0101,Guatemala\n" +
		"01,Guatemala,0102,Santa Catarina Pinula\n" +
		"03,Sacatepéquez,0301,Antigua Guatemala\n"
	c, err := parse([]byte(data))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	deps := c.Departments()
	if len(deps) != 2 || deps[0].Code != "01" || deps[1].Code != "03" || len(deps[0].Municipalities) != 2 {
		t.Errorf("parse gave %+v", deps)
	}
}

func TestParseRejects(t *testing.T) {
	const ok = "01,Guatemala,0101,Guatemala\n"
	tests := []struct {
		name, data, wantErr string
	}{
		{"empty file", "", "reading header"},
		{"header only", headerLine + "\n", "no rows"},
		{"wrong header", "dep,department,municipality_code,municipality\n" + ok, "header is"},
		{"byte order mark", "\ufeff" + headerLine + "\n" + ok, "header is"},
		{"too few fields", headerLine + "\n01,Guatemala,0101\n", "wrong number of fields"},
		{"too many fields", headerLine + "\n01,Guatemala,0101,Guatemala,x\n", "wrong number of fields"},
		{"department code one digit", headerLine + "\n1,Guatemala,0101,Guatemala\n", "department code"},
		{"department code zero", headerLine + "\n00,Guatemala,0001,Guatemala\n", "department code"},
		{"department code letters", headerLine + "\nAB,Guatemala,AB01,Guatemala\n", "department code"},
		{"municipality code three digits", headerLine + "\n01,Guatemala,101,Guatemala\n", "municipality code"},
		{"municipality code zero", headerLine + "\n01,Guatemala,0100,Guatemala\n", "municipality code"},
		{"municipality code padded", headerLine + "\n01,Guatemala, 0101,Guatemala\n", "municipality code"},
		{"municipality outside department", headerLine + "\n01,Guatemala,0201,Guastatoya\n", "does not start with"},
		{"duplicate municipality code", headerLine + "\n" + ok + "01,Guatemala,0101,Mixco\n", "ascending"},
		{"out of order", headerLine + "\n01,Guatemala,0102,Santa Catarina Pinula\n" + ok, "ascending"},
		{"department named twice", headerLine + "\n" + ok + "01,Guatemala City,0102,Santa Catarina Pinula\n", "named both"},
		{"empty municipality name", headerLine + "\n01,Guatemala,0101,\n", "empty"},
		{"empty department name", headerLine + "\n01,,0101,Guatemala\n", "empty"},
		{"untrimmed name", headerLine + "\n01,Guatemala,0101,Guatemala \n", "trailing space"},
		{"double space", headerLine + "\n01,Guatemala,0101,Santa  Catarina Pinula\n", "double space"},
		// "Sacatepe\u0301quez" is "Sacatepéquez" with a combining acute accent (NFD).
		{"decomposed accent", headerLine + "\n03,Sacatepe\u0301quez,0301,Antigua Guatemala\n", "NFC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parse([]byte(tt.data))
			if err == nil {
				t.Fatalf("parse accepted it: %+v", c.Departments())
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseErrorNamesLine(t *testing.T) {
	data := headerLine + "\n01,Guatemala,0101,Guatemala\n01,Guatemala,0199x,Mixco\n"
	_, err := parse([]byte(data))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v does not name line 3", err)
	}
}
