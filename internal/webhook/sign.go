package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery (docs/integrations.md, "Webhooks").
const (
	// HeaderID is the delivery's id, the same at every retry: a receiver
	// that has seen it drops the delivery.
	HeaderID = "Consulta-Webhook-Id"
	// HeaderTimestamp is when this attempt was sent, in seconds since 1970.
	HeaderTimestamp = "Consulta-Webhook-Timestamp"
	// HeaderSignature is "v1=" and the hex HMAC-SHA256, keyed with the
	// endpoint's secret, of "<timestamp>.<id>.<body>".
	HeaderSignature = "Consulta-Webhook-Signature"
)

// DefaultTolerance is the replay window a receiver should allow: a
// delivery whose timestamp is further from its clock is refused.
const DefaultTolerance = 5 * time.Minute

// Sign returns the signature header of a delivery: "v1=" and the hex
// HMAC-SHA256 of "<timestamp>.<id>.<body>" keyed with secret.
func Sign(secret, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "." + id + "."))
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Errors of Verify.
var (
	ErrSignature = errors.New("webhook: the signature does not match")
	ErrTimestamp = errors.New("webhook: the timestamp is outside the replay window")
)

// Verify checks a delivery as a receiver does: the signature over the
// headers' id and timestamp and the body, and the timestamp within
// tolerance of now. (A receiver also keeps the ids it has seen for as long
// as the window, and drops a delivery whose id it saw.)
func Verify(secret, id, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrTimestamp
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrTimestamp
	}
	want := Sign(secret, id, ts, body)
	for _, s := range strings.Split(signature, ",") {
		if hmac.Equal([]byte(strings.TrimSpace(s)), []byte(want)) {
			return nil
		}
	}
	return ErrSignature
}
