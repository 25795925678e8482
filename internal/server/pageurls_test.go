package server

import (
	"fmt"
	"testing"
)

func TestPageURLs(t *testing.T) {
	var p pageURLs
	tests := []struct{ raw, clean, origin, host string }{
		{"", "", "", ""},
		{"https://WWW.Mineduc.gob.gt/transparencia/?a=1#x", "https://www.mineduc.gob.gt/transparencia/", "https://www.mineduc.gob.gt", "www.mineduc.gob.gt"},
		{"javascript:alert(1)", "", "", ""},
		{"/relative/path", "", "", ""},
	}
	for _, tt := range tests {
		for range 2 { // parsed, then from the memo
			got := p.get(tt.raw)
			if got != (pageURL{tt.clean, tt.origin, tt.host}) {
				t.Fatalf("get(%q) = %+v", tt.raw, got)
			}
		}
	}
}

func TestPageURLsKeepsAtMostItsLimit(t *testing.T) {
	var p pageURLs
	for i := range maxPageURLs + 100 {
		raw := fmt.Sprintf("https://example.org/p/%d", i)
		if got := p.get(raw); got.clean != raw {
			t.Fatalf("get(%q).clean = %q", raw, got.clean)
		}
	}
	kept := 0
	p.byRaw.Range(func(_, _ any) bool { kept++; return true })
	if kept != maxPageURLs {
		t.Fatalf("kept %d addresses, want %d", kept, maxPageURLs)
	}
}
