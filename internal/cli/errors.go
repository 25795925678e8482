package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/consulta/consulta/internal/consulta"
)

// problem is a command's failure told as one sentence for the person at the
// terminal: what is wrong, naming the flag, setting or value, and what to do.
// The cause stays reachable with errors.Is/As for tests and callers.
type problem struct {
	sentence string
	cause    error
}

func (p *problem) Error() string { return p.sentence }
func (p *problem) Unwrap() error { return p.cause }

// problemf makes a problem from a format, with no underlying cause.
func problemf(format string, args ...any) error {
	return &problem{sentence: fmt.Sprintf(format, args...)}
}

// sentence returns the one line printed for err: a problem's own sentence, a
// known field error or code told in words, or, for anything unforeseen, the
// command's name and the error itself so that it can be reported.
func sentence(cmd string, err error) string {
	var p *problem
	if errors.As(err, &p) {
		return p.sentence
	}
	if s, ok := fieldSentence(err); ok {
		return s
	}
	if consulta.ErrorCode(err) == consulta.EUNAVAILABLE {
		return "the store cannot be reached: check CONSULTA_MONGODB_URI (or, with the embedded store, CONSULTA_DATA_DIR) and try again"
	}
	// config and app start a bad setting's error with "config: " and then
	// name the setting, its value and the rule in one line: that line is the
	// sentence.
	if s, ok := strings.CutPrefix(err.Error(), "config: "); ok {
		return s
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("%s does not exist: run consulta from the directory that holds forms/ (the repository's), or set the CONSULTA_FORMS_DIR or CONSULTA_DATA_DIR that names it", pe.Path)
	}
	return fmt.Sprintf("%s failed: %v", cmd, err)
}

// fieldSentence tells the first field error of err, when it is one the
// commands' services return. It goes by the field and the stable code (the
// workspace localizes the same codes): the operator message of a
// consulta.Error is not meant for the person at the terminal.
func fieldSentence(err error) (string, bool) {
	fields := consulta.FieldErrors(err)
	if len(fields) == 0 {
		return "", false
	}
	switch fields[0].Question + "/" + fields[0].Code {
	case "email/invalid_email":
		return "--email is not an e-mail address: give one like ana@example.org", true
	case "role/invalid_role":
		return "--role must be admin, analyst or facilitator", true
	case "org/org_required":
		return "a facilitator account needs an organisation: add --org NAME", true
	case "password/password_short":
		return "the password is too short: use 12 characters or more", true
	case "password/password_common":
		return "the password is a common one or contains the e-mail address, so it is easy to guess: choose another of 12 characters or more", true
	}
	return "", false
}
