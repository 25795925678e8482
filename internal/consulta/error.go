package consulta

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package and to one
// localized message id ("error.<code>").
const (
	EINVALID      = "invalid"      // the request or its answers are not acceptable
	ENOTFOUND     = "not_found"    // no such form, response, session...
	ECONFLICT     = "conflict"     // e.g. an idempotency key reused with another body
	EUNAVAILABLE  = "unavailable"  // the store cannot be reached; retry later
	EUNAUTHORIZED = "unauthorized" // not logged in
	EFORBIDDEN    = "forbidden"    // logged in, not allowed
	ECLOSED       = "closed"       // a focus-group session outside its window
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is an application error with a machine-readable code. Message is for
// operators and logs (English); users see a localized text chosen from Code and
// from the per-field problems.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError says what is wrong with the answer to one question. Code is a
// stable identifier ("required", "too_long", "not_an_option", ...) that is both
// returned to API clients and used to pick the localized message; Params fills
// the message template (for example {"Max": 500}).
type FieldError struct {
	Question string
	Code     string
	Params   map[string]any
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("consulta: %s: %s (%d field errors)", e.Code, e.Message, len(e.Fields))
	}
	return fmt.Sprintf("consulta: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted operator message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// MaxFieldErrors is how many field errors one request is told about. Beyond
// it, one more_errors entry gives the count of the others: thousands of
// unknown keys in a 60 KB request must not make a response ten times larger.
const MaxFieldErrors = 20

// CodeMoreErrors is the code of the entry that counts the field errors left
// out (params: Count); its Question is empty.
const CodeMoreErrors = "more_errors"

// LimitFieldErrors keeps the first MaxFieldErrors of fields and, when there
// were more, adds one CodeMoreErrors entry with their count.
func LimitFieldErrors(fields []FieldError) []FieldError {
	if len(fields) <= MaxFieldErrors {
		return fields
	}
	out := append(fields[:MaxFieldErrors:MaxFieldErrors], FieldError{Code: CodeMoreErrors,
		Params: map[string]any{"Count": len(fields) - MaxFieldErrors}})
	return out
}

// FieldErrors returns the per-question problems carried by err, if any.
func FieldErrors(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
