package xlsform

import "fmt"

// limits is what a constraint says that Consulta can check: bounds of a
// number, of the count of choices, of a text's length, or a regular
// expression (which Import recognises when it is one of Export's).
type limits struct {
	min, max             *float64 // . >= a, . <= b
	minChoice, maxChoice *float64 // count-selected(.) >= a, <= b
	maxLength            int      // string-length(.) <= n
	regex                string   // regex(., 'r')
}

// parseConstraint reads the parts of a constraint joined by "and"; rest
// lists, written back, the parts it could not read.
func parseConstraint(s string) (lim limits, rest []string) {
	e, err := parseExpr(s)
	if err != nil {
		return lim, []string{s}
	}
	parts := []expr{e}
	if and, ok := e.(xAnd); ok {
		parts = and.parts
	}
	for _, part := range parts {
		if !lim.read(part) {
			rest = append(rest, describe(part))
		}
	}
	return lim, rest
}

// read takes one part of a constraint into lim, reporting whether it could.
func (lim *limits) read(e expr) bool {
	if c, ok := e.(xCall); ok {
		if c.name != "regex" || len(c.args) != 2 || lim.regex != "" {
			return false
		}
		_, dot := c.args[0].(xDot)
		re, str := c.args[1].(xStr)
		if dot && str {
			lim.regex = re.s
		}
		return dot && str
	}
	cmp, ok := e.(xCmp)
	if !ok {
		return false
	}
	n, ok := cmp.right.(xNum)
	if !ok {
		return false
	}
	v := n.n
	switch left := cmp.left.(type) {
	case xDot:
		return bound(cmp.op, v, &lim.min, &lim.max)
	case xCall:
		if len(left.args) != 1 {
			return false
		}
		if _, dot := left.args[0].(xDot); !dot {
			return false
		}
		switch left.name {
		case "count-selected":
			return bound(cmp.op, v, &lim.minChoice, &lim.maxChoice)
		case "string-length":
			if v != float64(int(v)) {
				return false
			}
			switch cmp.op {
			case "<=":
				lim.maxLength = int(v)
				return true
			case "<":
				lim.maxLength = int(v) - 1
				return true
			}
		}
	}
	return false
}

// bound sets min (>=) or max (<=) to v.
func bound(op string, v float64, lo, hi **float64) bool {
	switch op {
	case ">=":
		*lo = &v
	case "<=":
		*hi = &v
	default:
		return false
	}
	return true
}

// constraint writes limits as an XLSForm constraint, "" when there are none.
func (lim limits) String() string {
	var parts []string
	if lim.regex != "" {
		parts = append(parts, "regex(., "+quote(lim.regex)+")")
	}
	if lim.maxLength > 0 {
		parts = append(parts, fmt.Sprintf("string-length(.) <= %d", lim.maxLength))
	}
	if lim.min != nil {
		parts = append(parts, ". >= "+number(*lim.min))
	}
	if lim.max != nil {
		parts = append(parts, ". <= "+number(*lim.max))
	}
	if lim.minChoice != nil {
		parts = append(parts, "count-selected(.) >= "+number(*lim.minChoice))
	}
	if lim.maxChoice != nil {
		parts = append(parts, "count-selected(.) <= "+number(*lim.maxChoice))
	}
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " and "
		}
		out += p
	}
	return out
}
