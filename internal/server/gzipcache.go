package server

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// A cached page is sent gzipped without compressing it for each visitor. A
// DEFLATE stream is a sequence of blocks, and a block may be "stored"
// (uncompressed), so the stream of one page is made of:
//
//   - each static part compressed once, on its own, and ended with a sync
//     flush: the output then stops at a byte boundary, with no block marked
//     final, and refers to nothing before it;
//   - each visitor's value (key, token, page address) as a stored block;
//   - an empty final stored block.
//
// Wrapped in the gzip header and trailer (CRC-32 and length of the whole
// page, combined per request from each part's, crc32combine.go), this is an ordinary gzip body
// (RFC 1951, 3.2.4 and RFC 1952): any client decodes it. Compressing the
// heaviest form page (37 KB) for each request cost more than everything
// else a page load does (docs/performance.md, "Form pages").

// gzipHeader is a gzip member header: deflate, no name, no time, unknown OS.
func gzipHeader() []byte { return []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff} }

// finalBlock is an empty stored block marked final.
func finalBlock() []byte { return []byte{0x01, 0x00, 0x00, 0xff, 0xff} }

// maxStored is the largest payload of one stored block.
const maxStored = 0xffff

// checksums are each part's CRC-32 and shift (see crcShift).
func checksums(parts [][]byte) (crcs []uint32, shifts []crcShift) {
	for _, part := range parts {
		crcs = append(crcs, crc32.ChecksumIEEE(part))
		shifts = append(shifts, shiftFor(len(part)))
	}
	return crcs, shifts
}

// deflateParts compresses each part on its own, ending at a byte boundary.
func deflateParts(parts [][]byte) [][]byte {
	out := make([][]byte, len(parts))
	for i, part := range parts {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid
		_, _ = w.Write(part)                                 // a bytes.Buffer does not fail
		_ = w.Flush()
		out[i] = buf.Bytes()
	}
	return out
}

// appendStored appends s to body as stored (uncompressed), non-final blocks.
func appendStored(body *fasthttp.Response, s string) {
	for len(s) > 0 {
		n := min(len(s), maxStored)
		var head [5]byte
		binary.LittleEndian.PutUint16(head[1:], uint16(n))
		binary.LittleEndian.PutUint16(head[3:], ^uint16(n))
		body.AppendBody(head[:])
		body.AppendBodyString(s[:n])
		s = s[n:]
	}
}

// updateCRC adds v, just appended to resp by appendStored, to crc. A value
// that fits one stored block is read back from the body: []byte(v) would
// allocate a copy on every page load.
func updateCRC(crc uint32, resp *fasthttp.Response, v string) uint32 {
	if len(v) > maxStored {
		return crc32.Update(crc, crc32.IEEETable, []byte(v))
	}
	body := resp.Body()
	return crc32.Update(crc, crc32.IEEETable, body[len(body)-len(v):])
}

// writeGzip writes the gzip body of a cached page with one visitor's values
// into the response's own (pooled) buffer.
func writeGzip(resp *fasthttp.Response, cp *cachedPage, values [4]string) {
	resp.AppendBody(gzipHeader())
	crc, length := uint32(0), 0
	for i, z := range cp.gz {
		resp.AppendBody(z)
		crc = cp.shifts[i].combine(crc, cp.crcs[i])
		length += len(cp.parts[i])
		if i < len(cp.holes) {
			v := values[cp.holes[i]]
			appendStored(resp, v)
			crc = updateCRC(crc, resp, v)
			length += len(v)
		}
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(length))
	resp.AppendBody(finalBlock())
	resp.AppendBody(trailer[:])
}

// acceptsGzip reports whether the client takes a gzipped body. Browsers that
// prefer Brotli take gzip as well; a page compressed once in gzip costs less
// than one compressed in Brotli for each request.
func acceptsGzip(c *fiber.Ctx) bool {
	return gzipAccepted(c.Request().Header.Peek(fiber.HeaderAcceptEncoding))
}

// gzipAccepted reads an Accept-Encoding value (RFC 9110, 12.5.3): gzip is
// taken when named, or matched by *, with a q-value other than 0
// ("gzip;q=0" refuses it); a missing or empty header takes none. Written out
// because Fiber's negotiation took 1.5 % of the CPU of a cached page load in
// a profile.
func gzipAccepted(header []byte) bool {
	star := false
	for len(header) > 0 {
		var item []byte
		if i := bytes.IndexByte(header, ','); i >= 0 {
			item, header = header[:i], header[i+1:]
		} else {
			item, header = header, nil
		}
		name, params, _ := bytes.Cut(item, []byte(";"))
		name = bytes.TrimSpace(name)
		switch {
		case bytes.EqualFold(name, []byte("gzip")), bytes.EqualFold(name, []byte("x-gzip")):
			return !zeroQ(params)
		case bytes.Equal(name, []byte("*")):
			star = !zeroQ(params)
		}
	}
	return star
}

// zeroQ reports whether the parameters of an Accept-Encoding item set q=0.
func zeroQ(params []byte) bool {
	for len(params) > 0 {
		var p []byte
		p, params, _ = bytes.Cut(params, []byte(";"))
		k, v, ok := bytes.Cut(bytes.TrimSpace(p), []byte("="))
		if !ok || !bytes.EqualFold(bytes.TrimSpace(k), []byte("q")) {
			continue
		}
		v = bytes.TrimSpace(v)
		// q is 0, 0., 0.0, 0.00 or 0.000 for "not acceptable".
		if len(v) == 0 || v[0] != '0' {
			return false
		}
		return len(bytes.Trim(v[1:], ".0")) == 0 && bytes.Count(v, []byte(".")) <= 1
	}
	return false
}
