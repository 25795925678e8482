package server

import (
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/intake"
)

// checkAnswers validates a submission's answers before abuse control looks
// at it, so that a person who sent an empty or incomplete form is told what
// to answer ("Responda esta pregunta") rather than to wait and send again:
// waiting would not help them. Intake validates again when it stores them;
// this only decides which refusal comes first. Posts from another site and
// robots caught by the honeypot are not answered with their answers' problems.
// A refusal here is counted as intake's "invalid" outcome.
func (s *Server) checkAnswers(sub intake.Submission) error {
	form, ok := s.deps.Forms.Get(sub.FormID)
	if !ok {
		return nil // the submission's own path reports an unknown form
	}
	var geo forms.GeoChecker
	if s.deps.Geo != nil {
		geo = s.deps.Geo
	}
	if _, _, errs := form.Validate(sub.Answers, geo); len(errs) > 0 {
		err := &consulta.Error{Code: consulta.EINVALID, Message: "invalid answers", Fields: consulta.LimitFieldErrors(errs)}
		return s.turnedAway(sub, intake.OutcomeInvalid, err)
	}
	return nil
}
