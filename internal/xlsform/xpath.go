package xlsform

import (
	"fmt"
	"strconv"
	"strings"
)

// This file parses the expressions of XLSForm's relevant and constraint
// columns: the subset of XPath that Consulta's conditions and limits can say.
// What it cannot parse is an *unsupported error naming the reason, which
// the import reports.

// expr is a parsed expression.
type expr interface{ isExpr() }

type (
	// xAnd and xOr are "a and b", "a or b".
	xAnd struct{ parts []expr }
	xOr  struct{ parts []expr }
	// xCmp is "left op right", op one of = != < <= > >=.
	xCmp struct {
		op          string
		left, right expr
	}
	// xCall is "name(args)".
	xCall struct {
		name string
		args []expr
	}
	xRef struct{ name string } // ${name}
	xStr struct{ s string }    // 'text' or "text"
	xNum struct{ n float64 }   // 3, 2.5
	xDot struct{}              // . (the answer itself, in constraints)
)

func (xAnd) isExpr()  {}
func (xOr) isExpr()   {}
func (xCmp) isExpr()  {}
func (xCall) isExpr() {}
func (xRef) isExpr()  {}
func (xStr) isExpr()  {}
func (xNum) isExpr()  {}
func (xDot) isExpr()  {}

// unsupported says why an expression cannot be carried over: code is the
// reason ("relevant_operator", ...), detail what it is about.
type unsupported struct {
	code   string
	detail string
}

func (u *unsupported) Error() string { return u.code + ": " + u.detail }

func notSupported(code, detail string) error { return &unsupported{code: code, detail: detail} }

// token is one lexical element of an expression.
type token struct {
	kind string // "ref", "str", "num", "word", "op", "(", ")", ",", ".", "end"
	text string
}

// tokenize splits an expression into tokens.
func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, notSupported("relevant_syntax", s[i:])
			}
			out = append(out, token{"ref", strings.TrimSpace(s[i+2 : i+end])})
			i += end + 1
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, notSupported("relevant_syntax", s[i:])
			}
			out = append(out, token{"str", s[i+1 : i+1+end]})
			i += end + 2
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			out = append(out, token{"num", s[i:j]})
			i = j
		case isWordByte(c):
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '-' || s[j] == ':') {
				j++
			}
			out = append(out, token{"word", s[i:j]})
			i = j
		case c == '!' || c == '<' || c == '>' || c == '=':
			op := string(c)
			if i+1 < len(s) && s[i+1] == '=' && c != '=' {
				op += "="
			}
			if op == "!" {
				return nil, notSupported("relevant_syntax", s[i:])
			}
			out = append(out, token{"op", op})
			i += len(op)
		case c == '(' || c == ')' || c == ',' || c == '.':
			out = append(out, token{string(c), string(c)})
			i++
		default:
			return nil, notSupported("relevant_syntax", s[i:])
		}
	}
	return append(out, token{kind: "end"}), nil
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// parser is a recursive-descent parser over tokens.
type xparser struct {
	toks []token
	pos  int
}

// parseExpr parses a whole expression.
func parseExpr(s string) (expr, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &xparser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != "end" {
		return nil, notSupported("relevant_syntax", p.rest())
	}
	return e, nil
}

func (p *xparser) peek() token { return p.toks[p.pos] }
func (p *xparser) next() token { t := p.toks[p.pos]; p.pos++; return t }

// rest is the text from the current token on, for messages.
func (p *xparser) rest() string {
	var parts []string
	for _, t := range p.toks[p.pos:] {
		if t.kind != "end" {
			parts = append(parts, t.text)
		}
	}
	return strings.Join(parts, " ")
}

func (p *xparser) isWord(w string) bool {
	t := p.peek()
	return t.kind == "word" && t.text == w
}

func (p *xparser) or() (expr, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	parts := []expr{first}
	for p.isWord("or") {
		p.next()
		e, err := p.and()
		if err != nil {
			return nil, err
		}
		parts = append(parts, e)
	}
	if len(parts) == 1 {
		return first, nil
	}
	return xOr{parts}, nil
}

func (p *xparser) and() (expr, error) {
	first, err := p.comparison()
	if err != nil {
		return nil, err
	}
	parts := []expr{first}
	for p.isWord("and") {
		p.next()
		e, err := p.comparison()
		if err != nil {
			return nil, err
		}
		parts = append(parts, e)
	}
	if len(parts) == 1 {
		return first, nil
	}
	return xAnd{parts}, nil
}

func (p *xparser) comparison() (expr, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != "op" {
		return left, nil
	}
	op := p.next().text
	right, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.peek().kind == "op" {
		return nil, notSupported("relevant_syntax", p.rest())
	}
	return xCmp{op: op, left: left, right: right}, nil
}

func (p *xparser) primary() (expr, error) {
	t := p.next()
	switch t.kind {
	case "ref":
		return xRef{t.text}, nil
	case "str":
		return xStr{t.text}, nil
	case "num":
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, notSupported("relevant_syntax", t.text)
		}
		return xNum{n}, nil
	case ".":
		return xDot{}, nil
	case "(":
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next().kind != ")" {
			return nil, notSupported("relevant_syntax", p.rest())
		}
		return e, nil
	case "word":
		if p.peek().kind != "(" {
			return nil, notSupported("relevant_syntax", t.text)
		}
		p.next()
		call := xCall{name: t.text}
		for p.peek().kind != ")" {
			arg, err := p.or()
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, arg)
			if p.peek().kind == "," {
				p.next()
			} else if p.peek().kind != ")" {
				return nil, notSupported("relevant_syntax", p.rest())
			}
		}
		p.next()
		return call, nil
	}
	return nil, notSupported("relevant_syntax", strings.TrimSpace(t.text+" "+p.rest()))
}

// quote writes s as an XPath string literal.
func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

// number writes n as XPath writes numbers: 3, 2.5.
func number(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// describe writes an expression back, for messages.
func describe(e expr) string {
	switch x := e.(type) {
	case xAnd:
		return joinExprs(x.parts, " and ")
	case xOr:
		return joinExprs(x.parts, " or ")
	case xCmp:
		return describe(x.left) + " " + x.op + " " + describe(x.right)
	case xCall:
		args := make([]string, len(x.args))
		for i, a := range x.args {
			args[i] = describe(a)
		}
		return x.name + "(" + strings.Join(args, ", ") + ")"
	case xRef:
		return "${" + x.name + "}"
	case xStr:
		return quote(x.s)
	case xNum:
		return number(x.n)
	case xDot:
		return "."
	}
	return fmt.Sprint(e)
}

func joinExprs(parts []expr, sep string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = describe(p)
		if _, ok := p.(xOr); ok {
			out[i] = "(" + out[i] + ")"
		}
	}
	return strings.Join(out, sep)
}
