package server

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestCRCCombineMatchesOnePass: the CRC of pieces combined equals the CRC of
// the whole, for pieces of every size from empty to larger than a page.
func TestCRCCombineMatchesOnePass(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		whole := make([]byte, rnd.IntN(70_000))
		for i := range whole {
			whole[i] = byte(rnd.Uint32())
		}
		crc, rest := uint32(0), whole
		for len(rest) > 0 {
			n := min(len(rest), rnd.IntN(5_000))
			if rnd.IntN(10) == 0 {
				n = 0 // empty pieces too
			}
			crc = shiftFor(n).combine(crc, crc32.ChecksumIEEE(rest[:n]))
			rest = rest[n:]
		}
		if want := crc32.ChecksumIEEE(whole); crc != want {
			t.Fatalf("combined CRC of %d bytes = %08x, want %08x", len(whole), crc, want)
		}
	}
}
