package workspace

import "testing"

// TestSafeNextRejectsHostileTargets checks the post-login redirect's rule on
// its own (TestAttackLoginNextHeaderInjection in internal/app attacks it over
// HTTP).
func TestSafeNextRejectsHostileTargets(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/responses?form=x":      "/admin/responses?form=x",
		"/admin":                       "/admin",
		"/admin/\r\nSet-Cookie: a=b":   "/admin/",
		"/admin/%0d%0aSet-Cookie: a=b": "/admin/",
		"/admin/?q=%0a":                "/admin/",
		"//evil.example/admin":         "/admin/",
		"/\\evil.example":              "/admin/",
		"https://evil.example/admin":   "/admin/",
		"/admin/login?next=/admin/":    "/admin/",
		"/administrator":               "/admin/",
		"/admin/../f/x":                "/admin/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
