package intake

import "github.com/consulta/consulta/internal/consulta"

// Outcome is what became of one submission: the outcome label of
// consulta_submissions_total (docs/operations.md). Intake names it, from what
// it did or from why the submission never reached it, so that a count never
// depends on how the HTTP layer happened to answer.
type Outcome string

// Outcomes of a submission.
const (
	OutcomeCreated     Outcome = "created"      // stored
	OutcomeReplayed    Outcome = "replayed"     // the same submission again: acknowledged, nothing new stored
	OutcomeInvalid     Outcome = "invalid"      // answers refused, with field errors
	OutcomeConflict    Outcome = "conflict"     // a key (or page-load token) reused with other answers
	OutcomeRateLimited Outcome = "rate_limited" // too many or too soon: try again later
	OutcomeRefused     Outcome = "refused"      // for good: another site, an expired page, a full or closed session
	OutcomeTrapped     Outcome = "trapped"      // the honeypot was filled: told it worked, nothing stored
	OutcomeNotFound    Outcome = "not_found"    // no such form
	OutcomeUnavailable Outcome = "unavailable"  // the store could not take it: try again later
	OutcomeBadRequest  Outcome = "bad_request"  // not a submission: wrong media type, broken body, bad key
	OutcomeFailed      Outcome = "error"        // anything else: a bug
)

// Observer hears the outcome of every submission (metrics.Metrics is one).
// formID is "unknown" for a form that does not exist, so that a label never
// takes an unbounded set of values.
type Observer interface {
	Submission(formID string, channel consulta.Channel, outcome Outcome)
}

// OutcomeOf names the outcome of a call to Submit from its result.
func OutcomeOf(r Receipt, err error) Outcome {
	if err == nil {
		if r.Replayed {
			return OutcomeReplayed
		}
		return OutcomeCreated
	}
	switch consulta.ErrorCode(err) {
	case consulta.EINVALID:
		return OutcomeInvalid
	case consulta.ECONFLICT:
		return OutcomeConflict
	case consulta.ENOTFOUND:
		return OutcomeNotFound
	case consulta.ECLOSED, consulta.EFORBIDDEN:
		return OutcomeRefused
	case consulta.EUNAVAILABLE:
		return OutcomeUnavailable
	default:
		return OutcomeFailed
	}
}

// Record tells the observer what became of sub. Submit records its own
// results; callers record the submissions they refuse before Submit (abuse
// control, a body that is no submission).
func (s *Service) Record(sub Submission, o Outcome) {
	if s.Observer == nil {
		return
	}
	formID := "unknown"
	if f, ok := s.Forms.Get(sub.FormID); ok {
		formID = f.ID
	}
	channel := sub.Channel
	if channel == "" {
		channel = ChannelFor(sub.Page, sub.Session)
	}
	s.Observer.Submission(formID, channel, o)
}
