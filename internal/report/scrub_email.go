package report

import (
	"regexp"
	"strings"
)

// emailFinder finds e-mail addresses, also written out so that a form does
// not recognize them: "ana @ gmail.com", "ana arroba gmail punto com",
// "ana[at]gmail[dot]com", "ana (arroba) gmail (punto) com", "ana at gmail
// dot com", "ana@gmail" (a known provider without its ending).
//
// It looks for the "at" first, then reads the name before it and the domain
// after it. How sure it is depends on the "at": an "@" or a bracketed word
// is always an address when a domain follows; the bare word "arroba" (also a
// unit of weight) needs a known provider or a domain ending such as ".com",
// and the bare English "at" a known provider or a written-out "dot".
type emailFinder struct {
	at     *regexp.Regexp // the "at", with the spaces around it
	local  *regexp.Regexp // the name before it, anchored at the end
	label  *regexp.Regexp // one label of the domain, anchored at the start
	sep    *regexp.Regexp // a dot between labels, anchored at the start
	tlds   map[string]bool
	mailer map[string]bool
}

// Separators between the parts of an address, as the folded text has them
// (every space is a plain space there).
const (
	// A bracketed word: "[at]", "(arroba)", "{dot}", "<punto>", "(.)".
	bracketAt  = `[ ]*[\[({<][ ]*(?:at|arroba|@)[ ]*[\])}>][ ]*`
	bracketDot = `[ ]*[\[({<][ ]*(?:dot|punto|\.)[ ]*[\])}>][ ]*`
	wordChars  = `[\p{L}\p{N}_%+\-]+`
)

func newEmailFinder() *emailFinder {
	return &emailFinder{
		at: regexp.MustCompile(`(?i)(` + bracketAt + `)|([ ]*@[ ]*)|[ ]+(arroba|at)[ ]+`),
		// Name parts joined by a dot, spaced ("ana . lopez") or not, or a
		// written-out one ("ana punto lopez"); a dot right after a word and
		// then a space ends a sentence instead ("Gracias. ana@...").
		local: regexp.MustCompile(`(?i)(?:` + wordChars + `(?:\.|[ ]+\.[ ]*|` + bracketDot + `|[ ]+(?:punto|dot)[ ]+))*` + wordChars + `$`),
		label: regexp.MustCompile(`^[\p{L}\p{N}\-]+`),
		// 1: a dot with no space around it; 2: a dot with spaces; 3: a
		// bracketed or written-out dot.
		sep: regexp.MustCompile(`(?i)^(?:(\.)|([ ]*\.[ ]*)|(` + bracketDot + `|[ ]+(?:punto|dot)[ ]+))`),
		tlds: wordSet(`com net org edu gob gov mil int info biz io co me us gt sv hn ni cr pa mx es ar cl pe
			ec bo py uy ve cu do pr br ca uk de fr it nl eu`),
		mailer: wordSet(`gmail googlemail hotmail outlook live msn yahoo ymail icloud me aol proton protonmail
			zoho gmx yandex correo`),
	}
}

func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// find appends the addresses of f as spans replaced by placeholder.
func (e *emailFinder) find(f *folded, placeholder string, spans []span) []span {
	for _, m := range e.at.FindAllSubmatchIndex(f.b, -1) {
		if f.b[m[0]] == taken || f.b[m[1]-1] == taken {
			continue // inside an address found already
		}
		kind := atWeak
		switch {
		case m[2] >= 0, m[4] >= 0:
			kind = atStrong
		case strings.EqualFold(string(f.b[m[6]:m[7]]), "at"):
			kind = atEnglish
		}
		from, ok := e.localStart(f.b, m[0])
		if !ok {
			continue
		}
		to, ok := e.domainEnd(f.b, m[1], kind)
		if !ok {
			continue
		}
		spans = f.take(from, to, placeholder, spans)
	}
	return spans
}

// How an "at" was written.
const (
	atStrong  = iota // "@" or a bracketed word
	atWeak           // the bare word "arroba"
	atEnglish        // the bare word "at"
)

// localStart returns where the name before the "at" at i begins.
func (e *emailFinder) localStart(b []byte, i int) (int, bool) {
	lo := max(0, i-160)
	loc := e.local.FindIndex(b[lo:i])
	if loc == nil {
		return 0, false
	}
	return lo + loc[0], true
}

// domainEnd reads the domain that starts at i and returns where the address
// ends: after the last label that is a plausible ending (any letters after a
// plain dot, a known ending after a spaced or written-out one, so that "punto
// final" or a new sentence is not taken), or after a known provider's name.
func (e *emailFinder) domainEnd(b []byte, i int, kind int) (int, bool) {
	first := e.label.FindIndex(b[i:])
	if first == nil {
		return 0, false
	}
	firstLabel := strings.ToLower(string(b[i : i+first[1]]))
	end := -1
	if e.mailer[firstLabel] {
		end = i + first[1]
	}
	spelled := false
	for pos := i + first[1]; ; {
		s := e.sep.FindSubmatchIndex(b[pos:])
		if s == nil {
			break
		}
		l := e.label.FindIndex(b[pos+s[1]:])
		if l == nil {
			break
		}
		name := strings.ToLower(string(b[pos+s[1] : pos+s[1]+l[1]]))
		tight := s[2] >= 0
		if s[6] >= 0 {
			spelled = true
		}
		if (tight && isLetters(name) && len(name) >= 2 && len(name) <= 24) || e.tlds[name] {
			end = pos + s[1] + l[1]
		}
		pos += s[1] + l[1]
	}
	switch {
	case end < 0:
		return 0, false
	case kind == atWeak && firstLabel == "www", kind == atEnglish && !spelled && !e.mailer[firstLabel]:
		return 0, false
	}
	return end, true
}

func isLetters(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && c < 0x80 {
			return false
		}
	}
	return s != ""
}

// mayHaveEmail is a quick test that s cannot hold an address: no "@" and
// none of the words "arroba", "at" or "dot". Term counting, which sees every
// answer, runs the finder only on the few that may.
func mayHaveEmail(s string) bool {
	if strings.ContainsAny(s, "@\uff20\ufe6b") {
		return true
	}
	lower := strings.ToLower(s)
	for _, w := range []string{"arroba", "at", "dot"} {
		for rest := lower; ; {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			before, after := rest[:i], rest[i+len(w):]
			if (before == "" || !isWordByte(before[len(before)-1])) && (after == "" || !isWordByte(after[0])) {
				return true
			}
			rest = after
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
