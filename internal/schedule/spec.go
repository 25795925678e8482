package schedule

import (
	"context"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// job is one of the scheduler's gocron jobs.
type job struct {
	kind Kind // "" for the catch-up
	name string
	spec *spec
	task func(ctx context.Context)
}

// spec is a cron spec parsed once, by gocron's own parser, in the
// scheduler's time zone (Config.Location): the job fires by it, and the
// catch-up asks it when the job was due. config has checked the text with the
// same parser at start-up, so that a bad spec names its setting.
type spec struct {
	gocron.Cron
	text string
}

// parseSpec parses text, five fields, in loc.
func parseSpec(text string, loc *time.Location, now time.Time) (*spec, error) {
	c := gocron.NewDefaultCron(false)
	if err := c.IsValid(text, loc, now); err != nil {
		return nil, err
	}
	return &spec{Cron: c, text: text}, nil
}

// IsValid is what gocron calls when a job is added: the spec was parsed by
// parseSpec, in the scheduler's time zone, whatever the time zone of the
// gocron scheduler it is added to.
func (s *spec) IsValid(string, *time.Location, time.Time) error { return nil }
