package server

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// Open data (/datos): aggregated counts of every form over whole calendar
// months, with the reports' suppression, as CSV and JSON. See docs/reports.md.
const (
	// openDataTimeout bounds the aggregation behind one download.
	openDataTimeout = 2 * time.Minute
	// openDataMaxAge is how long clients and proxies may keep a file; the
	// server keeps its rendering as long, so a burst of downloads reads the
	// responses once.
	openDataMaxAge = time.Hour
	// openDataParallel bounds the aggregations running at once: each reads
	// every response of a period, and /datos is public.
	openDataParallel = 2
	// openDataCacheSize bounds the renderings kept.
	openDataCacheSize = 64
)

// openData serves /datos with a small cache of rendered files.
type openData struct {
	s     *Server
	slots chan struct{}
	mu    sync.Mutex
	cache map[string]openDataFile
}

// openDataFile is one rendered download.
type openDataFile struct {
	body    []byte
	etag    string
	name    string
	expires time.Time
}

// openDataRoutes registers GET /datos and GET /datos/{form}.csv|.json.
func (s *Server) openDataRoutes() {
	od := &openData{s: s, slots: make(chan struct{}, openDataParallel), cache: map[string]openDataFile{}}
	s.app.Get("/datos", od.index)
	s.app.Get("/datos/:file", od.file)
}

// openDataForm is one form of the index page.
type openDataForm struct {
	ID, Title, CSV, JSON string
}

// openDataColumn is one documented CSV column.
type openDataColumn struct {
	Name, Meaning string
}

// openDataColumns are the CSV columns, as report.CSVHeader gives them; each
// has its meaning under datos.column.<name>.
func openDataColumns(p *page) []openDataColumn {
	var out []openDataColumn
	for _, c := range report.CSVHeader() {
		out = append(out, openDataColumn{Name: c, Meaning: p.T("opendata.column." + c)})
	}
	return out
}

// index is the page that lists the files in the person's language, for the
// period asked for (the last twelve complete months by default).
func (od *openData) index(c *fiber.Ctx) error {
	s := od.s
	lang := s.requestLang(c, "")
	from, to, err := od.period(c)
	if err != nil {
		return err
	}
	p := s.newPage(c, lang, "")
	p.Title = p.T("opendata.title")
	query := "?" + url.Values{"from": {from.Format("2006-01")}, "to": {to.AddDate(0, -1, 0).Format("2006-01")},
		"lang": {lang}}.Encode()
	var list []openDataForm
	for _, f := range s.deps.Forms.All() {
		title := f.ID
		if v, ok := s.views.get(f.ID, lang); ok {
			title = v.Title
		}
		list = append(list, openDataForm{ID: f.ID, Title: title,
			CSV: "/datos/" + f.ID + ".csv" + query, JSON: "/datos/" + f.ID + ".json" + query})
	}
	labels := report.NewLabels(s.deps.Translator, lang, od.location())
	return s.render(c, fiber.StatusOK, "datos", struct {
		*page
		Forms    []openDataForm
		Period   string
		From, To string // the month inputs, YYYY-MM
		K        int
		Columns  []openDataColumn
		Latest   string // the last complete month, the inputs' max
	}{page: p, Forms: list, Period: labels.Period(from, to), From: from.Format("2006-01"),
		To: to.AddDate(0, -1, 0).Format("2006-01"), K: od.k(), Columns: openDataColumns(p),
		Latest: latestMonth(od.location())})
}

// file serves /datos/{form}.csv or .json for ?from=&to= (YYYY-MM-DD or
// YYYY-MM), widened to whole months. The ETag is a hash of the bytes, so
// If-None-Match answers 304 exactly when nothing changed.
func (od *openData) file(c *fiber.Ctx) error {
	s := od.s
	name := c.Params("file")
	formID, ext, ok := strings.Cut(name, ".")
	if !ok || (ext != "csv" && ext != "json") {
		return fiber.ErrNotFound
	}
	f, ok := s.deps.Forms.Get(formID)
	if !ok {
		return fiber.ErrNotFound
	}
	from, to, err := od.period(c)
	if err != nil {
		return err
	}
	lang := s.requestLang(c, "")
	key := strings.Join([]string{f.ID, ext, lang, from.Format(time.DateOnly), to.Format(time.DateOnly)}, "|")
	out, ok := od.cached(key)
	if !ok {
		if out, err = od.render(c.UserContext(), f.ID, ext, lang, from, to); err != nil {
			return err
		}
		od.keep(key, out)
	}
	c.Set(fiber.HeaderETag, out.etag)
	c.Set(fiber.HeaderCacheControl, fmt.Sprintf("public, max-age=%d", int(openDataMaxAge.Seconds())))
	c.Set(fiber.HeaderVary, "Accept-Language")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), out.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	disposition := "attachment"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	if ext == "json" {
		disposition = "inline"
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	}
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="`+out.name+`"`)
	return c.Send(out.body)
}

// render aggregates the form over [from, to) and writes the file. At most
// openDataParallel renderings run at once; a request that cannot get a turn
// before its deadline is told to come back (503).
func (od *openData) render(ctx context.Context, formID, ext, lang string, from, to time.Time) (openDataFile, error) {
	s := od.s
	ctx, cancel := context.WithTimeout(ctx, openDataTimeout)
	defer cancel()
	select {
	case od.slots <- struct{}{}:
		defer func() { <-od.slots }()
	case <-ctx.Done():
		return openDataFile{}, consulta.Errorf(consulta.EUNAVAILABLE, "open data: busy")
	}
	f, _ := s.deps.Forms.Get(formID)
	opts := report.Options{K: od.k(), Location: od.location(), Geo: s.deps.Geo}
	now := time.Now()
	a, err := report.OpenData(ctx, s.deps.OpenData, f, from, to, now, opts)
	if err != nil {
		return openDataFile{}, err
	}
	labels := report.NewLabels(s.deps.Translator, lang, od.location())
	var buf bytes.Buffer
	if ext == "csv" {
		err = report.WriteCSV(&buf, a, labels)
	} else {
		err = report.WriteJSON(&buf, a, labels)
	}
	if err != nil {
		return openDataFile{}, err
	}
	last := to.In(od.location()).AddDate(0, 0, -1)
	return openDataFile{body: buf.Bytes(), etag: report.ETag(buf.Bytes()), expires: now.Add(openDataMaxAge),
		name: fmt.Sprintf("%s-%s-%s-%s.%s", formID, from.In(od.location()).Format("2006-01"), last.Format("2006-01"), lang, ext)}, nil
}

func (od *openData) cached(key string) (openDataFile, bool) {
	od.mu.Lock()
	defer od.mu.Unlock()
	f, ok := od.cache[key]
	if !ok || time.Now().After(f.expires) {
		return openDataFile{}, false
	}
	return f, true
}

// keep stores a rendering; when the cache is full, expired entries go, and
// if none had, everything (the cache only spares repeated work).
func (od *openData) keep(key string, f openDataFile) {
	od.mu.Lock()
	defer od.mu.Unlock()
	if len(od.cache) >= openDataCacheSize {
		now := time.Now()
		for k, v := range od.cache {
			if now.After(v.expires) {
				delete(od.cache, k)
			}
		}
		if len(od.cache) >= openDataCacheSize {
			clear(od.cache)
		}
	}
	od.cache[key] = f
}

// period reads ?from= and ?to= (YYYY-MM-DD or YYYY-MM; to is included) and
// makes of them the whole months that /datos publishes. A date that does not
// parse is a 400; a period without a complete month a 422.
func (od *openData) period(c *fiber.Ctx) (time.Time, time.Time, error) {
	loc := od.location()
	from, err := parseOpenDataDate(c.Query("from"), loc, false)
	if err != nil {
		return from, from, errStatus(fiber.StatusBadRequest, "opendata.error.date")
	}
	to, err := parseOpenDataDate(c.Query("to"), loc, true)
	if err != nil {
		return from, to, errStatus(fiber.StatusBadRequest, "opendata.error.date")
	}
	from, to, err = report.OpenDataPeriod(from, to, time.Now(), loc)
	if err != nil {
		return from, to, errStatus(fiber.StatusUnprocessableEntity, "opendata.error.period")
	}
	return from, to, nil
}

// parseOpenDataDate parses a day or a month in loc; empty is the zero time.
// end says the date is the last one included, so the result is the instant
// just after it: the next day, or the next month.
func parseOpenDataDate(v string, loc *time.Location, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01", v, loc)
	if err != nil {
		return t, err
	}
	if end {
		t = t.AddDate(0, 1, 0)
	}
	return t, nil
}

// latestMonth is the last complete month in loc, YYYY-MM.
func latestMonth(loc *time.Location) string {
	now := time.Now().In(loc)
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -1, 0).Format("2006-01")
}

// etagMatches reports whether an If-None-Match header names etag (or is *).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

func (od *openData) k() int {
	if od.s.opts.SuppressionK > 0 {
		return od.s.opts.SuppressionK
	}
	return report.DefaultK
}

func (od *openData) location() *time.Location {
	if od.s.opts.Location != nil {
		return od.s.opts.Location
	}
	loc, err := time.LoadLocation(report.DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
