package report

import (
	"math"
	"strconv"
	"strings"
)

// Number formats of the reports. Guatemala writes 1,234.5 (comma for
// thousands, point for decimals), as English does; the percent sign's
// spacing comes from the language's "report.percent" message.

// groupDigits writes n with thousands separated by commas: 1,234,567.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// decimal1 writes x with one decimal.
func decimal1(x float64) string {
	if math.Abs(x) < 0.05 {
		x = 0 // no "-0.0"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// signed1 writes x with one decimal and its sign: "+1.5", "-0.3", "0.0".
func signed1(x float64) string {
	s := decimal1(x)
	if x >= 0.05 {
		return "+" + s
	}
	return s
}
