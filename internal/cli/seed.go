package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/seed"
)

// seedBatch is how many synthetic responses are written per InsertMany.
const seedBatch = 1000

// runSeed stores n realistic synthetic responses to a form.
func runSeed(ctx context.Context, args []string, io IO) error {
	var formID, from, to string
	var n int
	var seedValue uint64
	cfg, _, err := parse("seed", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&formID, "form", "", "form id (required)")
		fs.IntVar(&n, "n", 100, "number of responses")
		fs.StringVar(&from, "from", "", "first day, YYYY-MM-DD (default: 180 days ago)")
		fs.StringVar(&to, "to", "", "last day, YYYY-MM-DD (default: today)")
		fs.Uint64Var(&seedValue, "seed", 0, "random seed (0: from the clock)")
	})
	if err != nil {
		return err
	}
	if formID == "" || n < 1 {
		return errUsage
	}
	start, end, err := seedPeriod(from, to, cfg.Timezone)
	if err != nil {
		return err
	}
	env, form, err := openFormEnv(ctx, cfg, io.Stderr, formID)
	if err != nil {
		return err
	}
	defer env.Close()
	if seedValue == 0 {
		seedValue = uint64(time.Now().UnixNano())
	}
	rng := rand.New(rand.NewPCG(seedValue, seedValue>>1))
	stored := 0
	err = seed.GenerateBatches(form, env.Geo, n, start, end, rng, seedBatch,
		func(rs []*consulta.Response, cs []*consulta.Contact) error {
			if stored == 0 {
				if err := checkSeedUnused(ctx, env.Store.Response, rs[0].ID); err != nil {
					return err
				}
			}
			k, err := env.Store.InsertResponses(ctx, rs, cs)
			stored += k
			return err
		})
	if err != nil {
		return seedError(err, formID, seedValue, stored)
	}
	fmt.Fprintf(io.Stdout, "%d synthetic responses stored for %s (%s to %s)\n", stored, formID,
		start.Format(time.DateOnly), end.Add(-time.Nanosecond).Format(time.DateOnly))
	return nil
}

// seedPeriod parses --from and --to as whole days in the configured time zone;
// the end is exclusive (the day after --to). Without --from the period starts
// 180 days ago; without --to it ends with today.
func seedPeriod(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	d, err := dayFlags(from, to, loc)
	if err != nil {
		return d.From, d.To, err
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if d.From.IsZero() {
		d.From = today.AddDate(0, 0, -180)
	}
	if d.To.IsZero() {
		d.To = today.AddDate(0, 0, 1)
	}
	if !d.To.After(d.From) {
		return d.From, d.To, problemf("--to must not be before --from (180 days ago when not given)")
	}
	return d.From, d.To, nil
}

// checkSeedUnused fails when the first response of this run is already stored.
// A seed's ids depend on the seed and the form only (internal/seed), so that
// happens exactly when the same --seed was used for this form before, and
// then the responses this run shares with that one would clash, from the
// first: better to say so before storing any.
func checkSeedUnused(ctx context.Context, lookup func(context.Context, string) (*consulta.Response, error), firstID string) error {
	_, err := lookup(ctx, firstID)
	switch consulta.ErrorCode(err) {
	case consulta.ENOTFOUND:
		return nil
	case "":
		return errSeedUsed
	default:
		return err
	}
}

// errSeedUsed is the cause of a seed that was already used for the form.
var errSeedUsed = errors.New("seed already used for this form")

// seedError tells a failed seed run: a seed used before, and a clash midway
// (responses stored by something else under the same ids), name the flag
// to change and how many responses this run stored.
func seedError(err error, formID string, seedValue uint64, stored int) error {
	switch {
	case errors.Is(err, errSeedUsed):
		return &problem{cause: err, sentence: fmt.Sprintf(
			"--seed %d was already used for form %s (its responses are in the store), so nothing was stored: give another --seed, or leave it out for one from the clock",
			seedValue, formID)}
	case consulta.ErrorCode(err) == consulta.ECONFLICT:
		return &problem{cause: err, sentence: fmt.Sprintf(
			"a response with the id of a synthetic one (--seed %d) is already stored for form %s, after %d were stored by this run: give another --seed",
			seedValue, formID, stored)}
	}
	return err
}
