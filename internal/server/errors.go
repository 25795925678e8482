package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/httpstatus"
)

// retryAfterSeconds is what clients are told to wait when the store is down or
// they are rate limited without a more precise figure.
const retryAfterSeconds = "5"

// httpError is an error that already knows its status and message id (body
// limit, media type, rate limits...), for failures that happen before the domain.
type httpError struct {
	status    int
	messageID string
	// retryAfter is how long the client should wait (429); 0 means the
	// default retryAfterSeconds.
	retryAfter time.Duration
}

func (e *httpError) Error() string { return e.messageID }

func errStatus(status int, messageID string) error {
	return &httpError{status: status, messageID: messageID}
}

// retryAfterOf is the Retry-After header value for err: its own wait in whole
// seconds (at least 1) when it knows it, the default otherwise.
func retryAfterOf(err error) string {
	var he *httpError
	if errors.As(err, &he) && he.retryAfter > 0 {
		return strconv.Itoa(int(math.Max(1, math.Ceil(he.retryAfter.Seconds()))))
	}
	return retryAfterSeconds
}

// classify returns the HTTP status and the localized message id of any error.
func classify(err error) (int, string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.messageID
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case http.StatusRequestEntityTooLarge:
			return fe.Code, "error.too_large"
		case http.StatusNotFound:
			return fe.Code, "error.not_found"
		case http.StatusMethodNotAllowed:
			return fe.Code, "error.invalid"
		}
		if fe.Code < 500 {
			return fe.Code, "error.invalid"
		}
		return fe.Code, "error.internal"
	}
	code := consulta.ErrorCode(err)
	return httpstatus.Of(code), "error." + code
}
