package forms

import (
	"regexp"
	"strings"
)

// emailPattern is the address syntax of an HTML email field (WHATWG), with
// the extra demand of a dot in the domain: a reply cannot reach "ana@localhost".
var emailPattern = regexp.MustCompile(`^[a-zA-Z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]{1,64}@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$`)

func validEmail(s string) bool {
	return emailPattern.MatchString(s)
}

// normalizePhone accepts the ways people write phone numbers in Guatemala and
// abroad and returns one canonical form:
//   - Guatemalan: 8 digits starting with 2 to 7 ("5555 1234", "2411-9595"),
//     optionally after +502, 502 or 00502 → "+502 5555 1234";
//   - other countries: "+" or "00", then 8 to 15 digits (E.164) → "+<digits>".
//
// Spaces, hyphens, dots and parentheses may separate the digits.
func normalizePhone(s string) (string, bool) {
	var digits strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	if !plus && strings.HasPrefix(d, "00") {
		plus, d = true, d[2:]
	}
	switch {
	case !plus && len(d) == 8:
		return guatemalan(d)
	case strings.HasPrefix(d, "502") && len(d) == 11:
		return guatemalan(d[3:])
	case plus && !strings.HasPrefix(d, "502") && len(d) >= 8 && len(d) <= 15 && d[0] != '0':
		return "+" + d, true
	}
	return "", false
}

// guatemalan formats an 8-digit Guatemalan number; they start with 2 to 7.
func guatemalan(local string) (string, bool) {
	if local[0] < '2' || local[0] > '7' {
		return "", false
	}
	return "+502 " + local[:4] + " " + local[4:], true
}

// LeavesContact reports whether answers give a way to reply: an answer to a
// shown e-mail or phone question. The thank-you page confirms the reply then.
func (f *Form) LeavesContact(answers map[string]any) bool {
	for _, q := range f.Questions {
		if (q.Type == TypeEmail || q.Type == TypePhone) && hasAnswer(answers[q.ID]) && f.Visible(q, answers) {
			return true
		}
	}
	return false
}

// WantsReply reports whether answers ask for a reply: "Sí" to a yes/no
// question that the form's contact questions depend on (their show_if names
// it, as "¿Desea que le respondamos?" in the suggestion box). Whether a way
// to reply was left is a separate matter (the response's HasContact).
func (f *Form) WantsReply(answers map[string]any) bool {
	for _, q := range f.Questions {
		if !q.Personal || q.ShowIf == nil || q.ShowIf.Question == "" {
			continue
		}
		gate := f.Question(q.ShowIf.Question)
		if gate != nil && gate.Type == TypeYesNo && answers[gate.ID] == true {
			return true
		}
	}
	return false
}
