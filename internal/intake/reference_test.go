package intake

import "testing"

func TestReference(t *testing.T) {
	id := ResponseID("sugerencias", "0123456789abcdef0123456789abcdef")
	ref := Reference(id)
	if !ValidReference(ref) || ref[:4] != upper(id[:4]) || ref[5:] != upper(id[4:8]) {
		t.Fatalf("Reference(%q) = %q", id, ref)
	}
	for _, bad := range []string{"", "abc", "abcd-efgh!", "0189-ABCD"} {
		if ValidReference(bad) {
			t.Errorf("ValidReference(%q) = true", bad)
		}
	}
	if Reference("short") != "" {
		t.Error("a short ID has a reference")
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
