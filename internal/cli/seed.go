package cli

import (
	"context"
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
	env, form, err := openFormEnv(ctx, "seed", cfg, io.Stderr, formID)
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
			k, err := env.Store.InsertResponses(ctx, rs, cs)
			stored += k
			return err
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%d synthetic responses stored for %s (%s to %s)\n", stored, formID,
		start.Format(time.DateOnly), end.Add(-time.Nanosecond).Format(time.DateOnly))
	return nil
}

// seedPeriod parses --from and --to as whole days in the configured time zone;
// the end is exclusive (the day after --to).
func seedPeriod(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	start, end := today.AddDate(0, 0, -180), today.AddDate(0, 0, 1)
	var err error
	if from != "" {
		if start, err = time.ParseInLocation(time.DateOnly, from, loc); err != nil {
			return start, end, fmt.Errorf("seed: --from %q: want YYYY-MM-DD", from)
		}
	}
	if to != "" {
		if end, err = time.ParseInLocation(time.DateOnly, to, loc); err != nil {
			return start, end, fmt.Errorf("seed: --to %q: want YYYY-MM-DD", to)
		}
		end = end.AddDate(0, 0, 1)
	}
	if !end.After(start) {
		return start, end, fmt.Errorf("seed: --to must not be before --from")
	}
	return start, end, nil
}
