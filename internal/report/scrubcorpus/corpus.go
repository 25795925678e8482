// Package scrubcorpus is the corpus report.Scrubber is tested on: comments
// that carry Guatemalan phone numbers, DPI numbers, e-mail addresses and home
// addresses written in many ways, each with a partner that looks alike and
// must be kept as it is. The report package's own test and the attack tests
// that send the comments through the running program (internal/app) read
// it from here; testdata/scrub_corpus.txt says how it is written.
package scrubcorpus

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed testdata/scrub_corpus.txt
var corpus string

// Kinds of personal data in the corpus.
const (
	Phone   = "phone"
	DPI     = "dpi"
	Email   = "email"
	Address = "address"
)

// Case is one comment of the corpus and its partner.
type Case struct {
	Line    int
	Kind    string
	Input   string   // the comment as a person writes it
	Data    []string // the personal data in it, as written
	Partner string   // a comment alike that must be kept unchanged
	marked  string
}

// Want is the comment as it must be published: each datum replaced by
// placeholder.
func (c Case) Want(placeholder string) string {
	var b strings.Builder
	rest := c.marked
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], shut)
		b.WriteString(rest[:i])
		b.WriteString(placeholder)
		rest = rest[i+j+len(shut):]
	}
	b.WriteString(rest)
	return b.String()
}

const open, shut = "⟦", "⟧"

// Cases returns every case of the corpus.
func Cases() ([]Case, error) {
	var out []Case
	for n, line := range strings.Split(corpus, "\n") {
		if line = strings.TrimRight(line, "\r"); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, err := parse(n+1, line)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func parse(n int, line string) (Case, error) {
	f := strings.Split(line, "\t")
	if len(f) != 3 {
		return Case{}, fmt.Errorf("scrub corpus line %d: %d fields, want 3", n, len(f))
	}
	switch f[0] {
	case Phone, DPI, Email, Address:
	default:
		return Case{}, fmt.Errorf("scrub corpus line %d: unknown kind %q", n, f[0])
	}
	marked, err := unescape(f[1])
	if err != nil {
		return Case{}, fmt.Errorf("scrub corpus line %d: %w", n, err)
	}
	partner, err := unescape(f[2])
	if err != nil {
		return Case{}, fmt.Errorf("scrub corpus line %d: %w", n, err)
	}
	c := Case{Line: n, Kind: f[0], Partner: partner, marked: marked}
	rest := marked
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], shut)
		if j < 0 {
			return Case{}, fmt.Errorf("scrub corpus line %d: %s without %s", n, open, shut)
		}
		c.Data = append(c.Data, rest[i+len(open):i+j])
		rest = rest[i+j+len(shut):]
	}
	if len(c.Data) == 0 {
		return Case{}, fmt.Errorf("scrub corpus line %d: no datum marked", n)
	}
	c.Input = strings.NewReplacer(open, "", shut, "").Replace(marked)
	return c, nil
}

// unescape turns each \uXXXX into its character.
func unescape(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, `\u`)
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if len(s) < i+6 {
			return "", fmt.Errorf("short escape in %q", s)
		}
		r, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
		if err != nil {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(r))
		s = s[i+6:]
	}
}
