package intake

import (
	"regexp"
	"strings"
)

// referencePattern is the shape of a Reference: two groups of four base32
// letters and digits.
var referencePattern = regexp.MustCompile(`^[A-Z2-7]{4}-[A-Z2-7]{4}$`)

// Reference is the short reference of a response that the thank-you page
// shows, for the person to quote when they write about it: the first eight
// characters of its ID (ResponseID, base32), upper case, in two groups
// ("K3QF-7ZPA"). Forty bits tell apart the responses of any one form for
// years; staff find the response whose ID starts with it. "" for an ID too
// short to have one.
func Reference(responseID string) string {
	if len(responseID) < 8 {
		return ""
	}
	ref := strings.ToUpper(responseID[:4] + "-" + responseID[4:8])
	if !ValidReference(ref) {
		return ""
	}
	return ref
}

// ValidReference reports whether s has the shape of a Reference (a thank-you
// page shows only those).
func ValidReference(s string) bool { return referencePattern.MatchString(s) }
