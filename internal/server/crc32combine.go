package server

import "hash/crc32"

// crcShift carries a CRC-32 (IEEE) across bytes it has not read: the CRC of
// A followed by B is shift(len(B)) applied to crc(A), XORed with crc(B). A
// cached page keeps each part's CRC and shift, so that the trailer of its
// gzipped body costs a few table look-ups per part instead of a pass over
// the whole page. The arithmetic is zlib's crc32_combine (polynomials over
// GF(2) modulo the CRC's, bit-reflected); the shift is linear in crc(A), so
// it is kept as four tables of its value on each byte of crc(A): the
// multiplication itself took 8 % of the HTTP layer's time for a cached page
// (BenchmarkCachedFormPage).
type crcShift struct {
	bytes *[4][256]uint32 // bytes[k][b] is the shift of b<<(8k)
}

// crcPoly is the IEEE polynomial, reflected (hash/crc32.IEEE).
const crcPoly = crc32.IEEE

// multModP multiplies a and b modulo the CRC polynomial.
func multModP(a, b uint32) uint32 {
	p := uint32(0)
	for m := uint32(1) << 31; m != 0; {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// shiftFor is the shift across n bytes.
func shiftFor(n int) crcShift {
	x := shiftPoly(n)
	t := new([4][256]uint32)
	for k := range t {
		for b := range t[k] {
			t[k][b] = multModP(x, uint32(b)<<(8*k))
		}
	}
	return crcShift{t}
}

// shiftPoly is x^(8n) modulo the polynomial.
func shiftPoly(n int) uint32 {
	p := uint32(1) << 31 // x^0
	x := uint32(1) << 23 // x^8, one byte
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			p = multModP(x, p)
		}
		x = multModP(x, x)
	}
	return p
}

// combine is the CRC of A followed by B, from crcA, crcB and B's shift.
func (s crcShift) combine(crcA, crcB uint32) uint32 {
	t := s.bytes
	return t[0][crcA&0xff] ^ t[1][crcA>>8&0xff] ^ t[2][crcA>>16&0xff] ^ t[3][crcA>>24] ^ crcB
}
