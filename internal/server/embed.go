package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/jsmin"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/web"
)

// asset is a file served from memory with a strong ETag, and gzipped once
// at the best compression (the loader's budget is counted gzipped).
type asset struct {
	body, gz []byte
	etag     string
}

func newAsset(body []byte) *asset {
	sum := sha256.Sum256(body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	return &asset{body: body, gz: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// send writes the asset, gzipped when the client takes gzip.
func (a *asset) send(c *fiber.Ctx) error {
	c.Set(fiber.HeaderETag, a.etag)
	c.Vary(fiber.HeaderAcceptEncoding)
	if c.Get(fiber.HeaderIfNoneMatch) == a.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(a.gz)
	}
	return c.Send(a.body)
}

// loaderLabels is where web/static/embed.js takes its texts: the server puts
// there, once at start-up, a JSON object {lang: [tab, close, frame title]}
// for every language, so the loader holds no translation of its own.
const loaderLabels = "{/*LABELS*/}"

// readScript reads web/static/<name>.
func readScript(name string) ([]byte, error) {
	src, err := fs.ReadFile(web.FS, "static/"+name)
	if err != nil {
		return nil, fmt.Errorf("server: %s: %w", name, err)
	}
	return src, nil
}

// newScript builds the asset of web/static/<name>, minified: the sources
// keep readable names and comments without a build step.
func newScript(name string) (*asset, error) {
	src, err := readScript(name)
	if err != nil {
		return nil, err
	}
	minified, err := jsmin.Minify(src)
	if err != nil {
		return nil, fmt.Errorf("server: web/static/%s: %w", name, err)
	}
	return newAsset(minified), nil
}

// newLoader builds /embed.js from web/static/embed.js and the translations.
// The labels go in before the loader is minified, since the minifier drops
// the comment that marks their place.
func newLoader(tr *locale.Translator) (*asset, error) {
	src, err := readScript("embed.js")
	if err != nil {
		return nil, err
	}
	if bytes.Count(src, []byte(loaderLabels)) != 1 {
		return nil, fmt.Errorf("server: web/static/embed.js must contain %s exactly once", loaderLabels)
	}
	labels := map[string][3]string{}
	for _, lang := range tr.Languages() {
		l := tr.Localizer(lang.Tag)
		labels[lang.Tag] = [3]string{l.T("embed.open"), l.T("embed.close"), l.T("embed.frame_title")}
	}
	for tag, texts := range labels { // the loader falls back to Spanish: save the bytes
		if tag != locale.Source && texts == labels[locale.Source] {
			delete(labels, tag)
		}
	}
	js, err := json.Marshal(labels) // a JSON object is a JavaScript object literal
	if err != nil {
		return nil, err
	}
	minified, err := jsmin.Minify(bytes.Replace(src, []byte(loaderLabels), js, 1))
	if err != nil {
		return nil, fmt.Errorf("server: web/static/embed.js: %w", err)
	}
	return newAsset(minified), nil
}

// embedScript serves GET /embed.js, the loader that host pages include with
// one script tag. It may be used from any origin (the frames it creates are
// what each form's origins restrict).
func (s *Server) embedScript(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	return s.loader.send(c)
}

// formScript serves GET /static/form.js, minified like the loader.
func (s *Server) formScript(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return s.formJS.send(c)
}

// clientTexts holds, per language, the messages form.js may show: the
// messages of the field error codes (with {Min}, {Max} where the server puts
// the question's limits), the error summary's title in its two plural forms
// ({Count}) and the status messages of a submission. They are rendered into
// each form page as JSON, so that the browser speaks the page's language with
// the server's own texts.
type clientTexts map[string]map[string]string

// fieldCodes are the problems form.js detects itself, as forms.Validate does.
func fieldCodes() []string {
	return []string{
		forms.CodeRequired, forms.CodeWrongType, forms.CodeTooLong, forms.CodeNotAnOption,
		forms.CodeDuplicateChoice, forms.CodeTooFewChoices, forms.CodeTooManyChoices,
		forms.CodeNotInteger, forms.CodeOutOfRange, forms.CodeBelowMin, forms.CodeAboveMax, forms.CodeInvalidEmail, forms.CodeInvalidPhone,
		forms.CodeInvalidGeo, forms.CodeMustConsent, forms.CodeOtherWithoutChoice,
	}
}

// countMark stands for the count in the "other" plural form of the summary
// title: a number that is "other" in Spanish, English and the languages that
// borrow English rules, and that appears in no message.
const countMark = 1000003

// clientStatusIDs are the status messages of a JSON submission.
func clientStatusIDs() []string {
	return []string{"offline.queued", "offline.sent", "offline.retry_later",
		"form.sending", "error.internal", "error.unavailable", "form.consent_short"}
}

func newClientTexts(tr *locale.Translator) clientTexts {
	out := clientTexts{}
	for _, lang := range tr.Languages() {
		l := tr.Localizer(lang.Tag)
		m := map[string]string{}
		put := func(key, id, text string) {
			if text != id { // a message that exists: form.js falls back to the server otherwise
				m[key] = text
			}
		}
		params := map[string]any{"Min": "{Min}", "Max": "{Max}"}
		for _, code := range fieldCodes() {
			put(code, "error.field."+code, l.T("error.field."+code, params))
		}
		put("summary.one", "form.error_summary", l.N("form.error_summary", 1))
		put("summary.other", "form.error_summary",
			strings.ReplaceAll(l.N("form.error_summary", countMark), strconv.Itoa(countMark), "{Count}"))
		for _, id := range clientStatusIDs() {
			put(id, id, l.T(id))
		}
		out[lang.Tag] = m
	}
	return out
}

// get returns the texts of lang, or Spanish's.
func (ct clientTexts) get(lang string) map[string]string {
	if m, ok := ct[lang]; ok {
		return m
	}
	return ct[locale.Source]
}

// pageState is what a form page carries in hidden fields and passes on to its
// thank-you page.
func pageState(embed bool, session, pageURL string) url.Values {
	v := url.Values{}
	if embed {
		v.Set("_embed", "1")
	}
	if session != "" {
		v.Set("_session", session)
	}
	if pageURL != "" {
		v.Set("_page", pageURL)
	}
	return v
}

// parentOrigin returns the origin of the embedding page pageURL when the form
// lets it frame and post to it (one of the form's origins, or this server's
// own): form.js sends postMessage to that origin only, so a page that merely
// claims another page's URL receives nothing.
func (s *Server) parentOrigin(c *fiber.Ctx, formID, pageURL string) string {
	return s.parentOf(c, formID, s.pageURLs.get(pageURL))
}

// parentOf is parentOrigin of an address already read.
func (s *Server) parentOf(c *fiber.Ctx, formID string, page pageURL) string {
	if page.origin == "" {
		return ""
	}
	// The form's own origins first: the common case, and no header to read.
	if s.formAllows(formID, page.origin) || s.ownHost(c, page.host, page.origin) {
		return page.origin
	}
	return ""
}

// ownOrigin reports whether origin is this server's: the host the request was
// sent to (the scheme is not compared, since TLS often ends at a proxy), or
// the configured base URL.
func (s *Server) ownOrigin(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return s.ownHost(c, u.Host, origin)
}

// ownHost is ownOrigin of an origin already read, and its host.
func (s *Server) ownHost(c *fiber.Ctx, host, origin string) bool {
	return strings.EqualFold(host, c.Hostname()) ||
		s.baseOrigin != "" && strings.EqualFold(s.baseOrigin, origin)
}

// baseOrigin is the scheme://host[:port] of a base URL ("" if it has none).
func baseOrigin(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// formAllows reports whether origin is one of form formID's origins; with
// formID "" (the form list, the geo catalog) any form's origins will do.
func (s *Server) formAllows(formID, origin string) bool {
	if formID == "" {
		for _, f := range s.deps.Forms.All() {
			if slices.Contains(f.Origins, origin) {
				return true
			}
		}
		return false
	}
	f, ok := s.deps.Forms.Get(formID)
	return ok && slices.Contains(f.Origins, origin)
}

// apiFormID is the form a JSON API path is about, "" for the others.
func apiFormID(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/forms/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// apiCORS lets the origins listed on a form use the JSON API from their
// pages, and no other origin. A preflight from an allowed origin is answered
// here; a cross-origin POST from any other origin is refused (403) even when
// the browser would not have asked first. Reads from other origins get no
// CORS headers, so browsers keep the answer from the page. Requests without
// an Origin (servers, curl) and from this server's own pages pass untouched.
func (s *Server) apiCORS(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderOrigin)
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || s.ownOrigin(c, origin) {
		return c.Next()
	}
	allowed := s.formAllows(apiFormID(c.Path()), origin)
	if c.Method() == fiber.MethodOptions {
		if !allowed {
			return c.SendStatus(fiber.StatusForbidden)
		}
		c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
		c.Set(fiber.HeaderAccessControlAllowMethods, "GET, POST")
		c.Set(fiber.HeaderAccessControlAllowHeaders, "Content-Type, Idempotency-Key, "+tokenHeader)
		c.Set(fiber.HeaderAccessControlMaxAge, "600")
		return c.SendStatus(fiber.StatusNoContent)
	}
	if !allowed {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return errStatus(fiber.StatusForbidden, "error.forbidden")
		}
		return c.Next()
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
	c.Set(fiber.HeaderAccessControlExposeHeaders, "Retry-After, Idempotent-Replayed")
	return c.Next()
}
