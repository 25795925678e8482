package report

import (
	"fmt"
	"strconv"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// The periods that open data (/datos) publishes: calendar semesters, fixed.
//
// Why fixed semesters: two downloads of periods that nest or overlap can be
// subtracted, and the difference of two published counts is a count of the
// responses in the part where the periods differ, however small; with any
// month range allowed, nested ranges recovered suppressed cells exactly.
// Semesters never nest or overlap, so no two files difference into a cell.
// This file is the only place where the rule is written; the index page, the
// file route and the materializer all ask it.

// PublishGrace is how long after a semester ends it becomes published: a
// submission received just before the end but still being written is then
// counted in the first file rather than in a correction of it.
const PublishGrace = time.Hour

// Semester is a calendar half-year in the configured time zone: "2026-S1" is
// 1 January–30 June 2026, "2026-S2" 1 July–31 December 2026. The zero value
// is no semester.
type Semester struct {
	Year int
	Half int // 1 or 2
}

// ParseSemester reads "YYYY-S1" or "YYYY-S2" (four-digit year, capital S).
func ParseSemester(s string) (Semester, error) {
	bad := consulta.Errorf(consulta.EINVALID, "report: %q is not a semester (YYYY-S1 or YYYY-S2)", s)
	if len(s) != 7 || s[4:6] != "-S" || (s[6] != '1' && s[6] != '2') {
		return Semester{}, bad
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || year < 1000 {
		return Semester{}, bad
	}
	return Semester{Year: year, Half: int(s[6] - '0')}, nil
}

// String is "YYYY-SN"; the zero semester is "".
func (p Semester) String() string {
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-S%d", p.Year, p.Half)
}

// IsZero reports whether p is no semester.
func (p Semester) IsZero() bool { return p == Semester{} }

// Bounds returns the first instant of p and the first instant after it, in loc.
func (p Semester) Bounds(loc *time.Location) (from, to time.Time) {
	from = time.Date(p.Year, time.Month(6*(p.Half-1)+1), 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 6, 0)
}

// Next is the semester after p.
func (p Semester) Next() Semester {
	if p.Half == 1 {
		return Semester{Year: p.Year, Half: 2}
	}
	return Semester{Year: p.Year + 1, Half: 1}
}

// Prev is the semester before p.
func (p Semester) Prev() Semester {
	if p.Half == 2 {
		return Semester{Year: p.Year, Half: 1}
	}
	return Semester{Year: p.Year - 1, Half: 2}
}

// Before reports whether p comes before q.
func (p Semester) Before(q Semester) bool {
	return p.Year < q.Year || (p.Year == q.Year && p.Half < q.Half)
}

// SemesterOf is the semester that holds t in loc.
func SemesterOf(t time.Time, loc *time.Location) Semester {
	t = t.In(loc)
	half := 1
	if t.Month() >= time.July {
		half = 2
	}
	return Semester{Year: t.Year(), Half: half}
}

// LatestPublished is the last semester published at now: the last one that
// ended at least PublishGrace before now, in loc.
func LatestPublished(now time.Time, loc *time.Location) Semester {
	return SemesterOf(now.Add(-PublishGrace), loc).Prev()
}

// PublishedSemesters lists, oldest first, the semesters published at now for
// a form whose first response fell in first: every complete semester from
// first through LatestPublished. None when first is zero (no responses yet)
// or not complete.
func PublishedSemesters(first Semester, now time.Time, loc *time.Location) []Semester {
	if first.IsZero() {
		return nil
	}
	latest := LatestPublished(now, loc)
	var out []Semester
	for p := first; !latest.Before(p); p = p.Next() {
		out = append(out, p)
	}
	return out
}

// IsPublished reports whether p is published at now for a form whose first
// response fell in first.
func IsPublished(p, first Semester, now time.Time, loc *time.Location) bool {
	return !p.IsZero() && !first.IsZero() && !p.Before(first) && !LatestPublished(now, loc).Before(p)
}
