package server

import "hash/crc32"

// crcShift carries a CRC-32 (IEEE) across bytes it has not read: the CRC of
// A followed by B is shift(len(B)) applied to crc(A), XORed with crc(B). A
// cached page keeps each part's CRC and shift, so that the trailer of its
// gzipped body costs a few multiplications per part instead of a pass over
// the whole page. The arithmetic is zlib's crc32_combine (polynomials over
// GF(2) modulo the CRC's, bit-reflected).
type crcShift uint32

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

// shiftFor is x^(8n) modulo the polynomial: the shift across n bytes.
func shiftFor(n int) crcShift {
	p := uint32(1) << 31 // x^0
	x := uint32(1) << 23 // x^8, one byte
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			p = multModP(x, p)
		}
		x = multModP(x, x)
	}
	return crcShift(p)
}

// combine is the CRC of A followed by B, from crcA, crcB and B's shift.
func (s crcShift) combine(crcA, crcB uint32) uint32 {
	return multModP(uint32(s), crcA) ^ crcB
}
