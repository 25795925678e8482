package forms

import "testing"

func TestAllowsPage(t *testing.T) {
	f := &Form{ID: "f", Origins: []string{"https://www.mineduc.gob.gt", "http://localhost:8080"}}
	hosts := []string{"portal.mineduc.gob.gt", "Consulta.Example.org"}
	tests := []struct {
		page string
		want bool
	}{
		{"https://www.mineduc.gob.gt/transparencia/presupuesto", true},
		{"http://www.mineduc.gob.gt/", true}, // the host, whatever the scheme
		{"https://WWW.MINEDUC.GOB.GT:443/x", true},
		{"http://localhost:8080/demo", true},
		{"https://portal.mineduc.gob.gt/a", true},
		{"https://consulta.example.org/demo", true},
		{"http://localhost:9090/demo", false},
		{"https://evil.example/www.mineduc.gob.gt", false},
		{"https://www.mineduc.gob.gt.evil.example/", false},
		{"https://mineduc.gob.gt/", false},
		{"ftp://www.mineduc.gob.gt/", false},
		{"www.mineduc.gob.gt/x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := f.AllowsPage(tt.page, hosts); got != tt.want {
			t.Errorf("AllowsPage(%q) = %t, want %t", tt.page, got, tt.want)
		}
	}
}
