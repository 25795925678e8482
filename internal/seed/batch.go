package seed

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// Generate draws n responses to f received in [from, to) and the contacts of
// those that left contact data. It panics only if f has a constraint the
// generator cannot meet (a generator bug: the shipped forms are tested); use
// GenerateBatches to get that as an error, and for large n.
func Generate(f *forms.Form, cat *geo.Catalog, n int, from, to time.Time, rng *rand.Rand) ([]*consulta.Response, []*consulta.Contact) {
	var rs []*consulta.Response
	var cs []*consulta.Contact
	err := GenerateBatches(f, cat, n, from, to, rng, n, func(r []*consulta.Response, c []*consulta.Contact) error {
		rs, cs = r, c
		return nil
	})
	if err != nil {
		panic(err)
	}
	return rs, cs
}

// GenerateBatches draws n responses like Generate but hands them to fn in
// batches of up to batch responses (with their contacts), so that a million
// never sit in memory at once, oldest first: the receipt times are drawn
// first (8 bytes each) and handed out in order, as a live portal receives
// them. Inserting in that order keeps each index's inserts at its end; in
// random order a million responses took the embedded store hours (every
// batch rewrote pages all over every index). An error from fn stops the
// generation and is returned.
func GenerateBatches(f *forms.Form, cat *geo.Catalog, n int, from, to time.Time, rng *rand.Rand,
	batch int, fn func([]*consulta.Response, []*consulta.Contact) error) error {
	if batch <= 0 {
		batch = 1000
	}
	g := NewGenerator(f, cat, from, to, rng)
	times := make([]time.Time, n)
	for i := range times {
		times[i] = g.when()
	}
	slices.SortFunc(times, time.Time.Compare)
	for done := 0; done < n; {
		size := min(batch, n-done)
		rs := make([]*consulta.Response, 0, size)
		var cs []*consulta.Contact
		for range size {
			r, c, err := g.Next()
			if err != nil {
				return err
			}
			r.ReceivedAt = times[done+len(rs)]
			if c != nil {
				c.ReceivedAt = r.ReceivedAt
			}
			rs = append(rs, r)
			if c != nil {
				cs = append(cs, c)
			}
		}
		if err := fn(rs, cs); err != nil {
			return err
		}
		done += size
	}
	return nil
}
