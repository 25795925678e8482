package opendata

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
)

// Formats are the file formats of every snapshot.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
	// FormatHTML is the accessible page of the same figures, laid out as the
	// reports are (report.WritePublicHTML).
	FormatHTML = "html"
)

// recipeVersion changes when the way files are made changes in a way that
// the rendering of an empty aggregate does not show, so that every snapshot
// is made again.
const recipeVersion = "2" // 2: the HTML page

// materialize aggregates f over semester p, renders the files in every
// language and stores the snapshot.
func (m *Materializer) materialize(ctx context.Context, f *forms.Form, p report.Semester, recipe string,
	now time.Time) (snap *consulta.OpenDataSnapshot, err error) {
	start := time.Now()
	defer func() { m.observe(ctx, "snapshot", time.Since(start), err) }()
	src := &countingSource{Source: m.cfg.Store, statuses: publishesStatuses(f), known: consulta.TriageStatuses()}
	a, err := report.OpenData(ctx, src, f, p, m.options())
	if err != nil {
		return nil, err
	}
	files, err := m.render(a)
	if err != nil {
		return nil, err
	}
	pages, err := m.renderPages(a, now)
	if err != nil {
		return nil, err
	}
	files = append(files, pages...)
	snap = &consulta.OpenDataSnapshot{FormID: f.ID, Period: p.String(), OpenDataFingerprint: src.fp,
		Recipe: recipe, ComputedAt: now, Files: files}
	if err := m.cfg.Store.SaveOpenDataSnapshot(ctx, snap); err != nil {
		return nil, err
	}
	m.cfg.Logger.Info("open data: snapshot made", "form", f.ID, "period", snap.Period,
		"responses", snap.Responses, "took", time.Since(start).Round(time.Millisecond))
	return snap, nil
}

// options are the aggregation options of every snapshot. Earlier form
// versions are read from the store, which the counting wrapper hides from
// the report's own lookup.
func (m *Materializer) options() report.Options {
	o := report.Options{K: m.cfg.K, Location: m.loc, Geo: m.cfg.Geo, PageHosts: m.cfg.PageHosts}
	if vs, ok := m.cfg.Store.(report.VersionSource); ok {
		o.Versions = vs
	}
	return o
}

// render writes a as CSV and JSON in every language of the translator.
func (m *Materializer) render(a *report.Aggregate) ([]consulta.OpenDataFile, error) {
	var out []consulta.OpenDataFile
	for _, l := range m.cfg.Translator.Languages() {
		labels := report.NewLabels(m.cfg.Translator, l.Tag, m.loc)
		for _, r := range []struct {
			format string
			write  func(io.Writer, *report.Aggregate, report.Labels) error
		}{{FormatCSV, report.WriteCSV}, {FormatJSON, report.WriteJSON}} {
			var buf bytes.Buffer
			if err := r.write(&buf, a, labels); err != nil {
				return nil, fmt.Errorf("open data: rendering %s %s in %s: %w", a.FormID, r.format, l.Tag, err)
			}
			out = append(out, consulta.OpenDataFile{Lang: l.Tag, Format: r.format, Body: buf.Bytes(), ETag: report.ETag(buf.Bytes())})
		}
	}
	return out, nil
}

// renderPages writes a as an HTML page in every language of the translator.
// They are not part of the recipe (render's files are): a page carries the
// day it was made, which would make every snapshot stale each day, and what
// it shows is what the recipe's files already fingerprint.
func (m *Materializer) renderPages(a *report.Aggregate, now time.Time) ([]consulta.OpenDataFile, error) {
	var out []consulta.OpenDataFile
	for _, l := range m.cfg.Translator.Languages() {
		var buf bytes.Buffer
		labels := report.NewLabels(m.cfg.Translator, l.Tag, m.loc)
		if err := report.WritePublicHTML(&buf, a, labels, now, m.cfg.Org); err != nil {
			return nil, fmt.Errorf("open data: rendering %s html in %s: %w", a.FormID, l.Tag, err)
		}
		out = append(out, consulta.OpenDataFile{Lang: l.Tag, Format: FormatHTML, Body: buf.Bytes(), ETag: report.ETag(buf.Bytes())})
	}
	return out, nil
}

// recipe identifies how f's files are made now: a hash of the files
// rendered from no responses at all (they hold the form's version, its
// labels in every language, k and the columns), of the time zone and of
// recipeVersion. When a release changes any of them, every snapshot of f is
// made again, while the old ones are still served.
func (m *Materializer) recipe(ctx context.Context, f *forms.Form) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%d|%s|", recipeVersion, m.loc, f.Version, f.Hash())
	a, err := report.OpenData(ctx, emptySource{}, f, report.Semester{Year: 2000, Half: 1}, m.options())
	if err == nil {
		files, rerr := m.render(a)
		err = rerr
		for _, file := range files {
			fmt.Fprintf(h, "%s|%s|%s|", file.Lang, file.Format, file.ETag)
		}
	}
	if err != nil {
		// Never expected (nothing is read); the hash still names the form.
		fmt.Fprintf(h, "error|%v", err)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// countingSource takes the fingerprint of the responses it streams: what a
// snapshot aggregated, exactly (the aggregate's own counts are suppressed
// under k), with their triage statuses when statuses is set.
type countingSource struct {
	report.Source
	statuses bool
	known    []string // consulta.TriageStatuses, the statuses counted
	fp       consulta.OpenDataFingerprint
}

// EachResponse implements report.Source.
func (c *countingSource) EachResponse(ctx context.Context, f consulta.ResponseFilter, fields []string, fn func(*consulta.Response) error) error {
	return c.Source.EachResponse(ctx, f, fields, func(r *consulta.Response) error {
		c.fp.Responses++
		if c.statuses && slices.Contains(c.known, r.Status) {
			if c.fp.Statuses == nil {
				c.fp.Statuses = map[string]int64{}
			}
			c.fp.Statuses[r.Status]++
		}
		return fn(r)
	})
}

// emptySource has no responses.
type emptySource struct{}

// EachResponse implements report.Source.
func (emptySource) EachResponse(context.Context, consulta.ResponseFilter, []string, func(*consulta.Response) error) error {
	return nil
}
