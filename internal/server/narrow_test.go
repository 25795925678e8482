package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// layoutProbe reports, for each scale or rating on the page, how many rows
// its points take and whether any point's label overflows its column.
const layoutProbe = `(function () {
  var out = [];
  document.querySelectorAll('fieldset.scale').forEach(function (f) {
    var tops = {}, over = false;
    f.querySelectorAll('.choice').forEach(function (c) {
      tops[Math.round(c.getBoundingClientRect().top)] = true;
      if (c.scrollWidth > c.clientWidth + 1) over = true;
    });
    out.push({ id: f.closest('[data-q]').dataset.q, rows: Object.keys(tops).length, overflow: over });
  });
  var top = window.parent.document, pre = top.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({ width: document.documentElement.clientWidth, scales: out });
  top.body.appendChild(pre);
})();
`

var probeOut = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

// At 360 px, the width of a cheap phone, the points of a 1–5 scale stay on
// one row ("5 Muy fácil" used to wrap alone onto a second one), in the
// stand-alone page and in the narrower embedded frame, in every language.
func TestScalesFitOnOneRowAt360px(t *testing.T) {
	chromium := findChromium(t)
	a := startApp(t, nil)
	for _, path := range []string{"/f/necesidades-informacion?lang=es", "/f/necesidades-informacion?lang=quc&embed=1"} {
		t.Run(path, func(t *testing.T) {
			var got struct {
				Width  int
				Scales []struct {
					ID       string
					Rows     int
					Overflow bool
				}
			}
			probePage(t, chromium, a, path, 360, &got)
			if got.Width > 360 || len(got.Scales) == 0 {
				t.Fatalf("viewport %d px, %d scales: the probe did not run as meant", got.Width, len(got.Scales))
			}
			for _, s := range got.Scales {
				if s.Rows != 1 || s.Overflow {
					t.Errorf("%s: %d rows, overflow %t at %d px", s.ID, s.Rows, s.Overflow, got.Width)
				}
			}
		})
	}
}

// probePage loads path of the app in headless Chromium, in a frame width px
// wide (a headless window cannot be made that narrow), runs layoutProbe after
// the page's own scripts, and decodes what it wrote into the frame's parent.
func probePage(t *testing.T, chromium string, a *testApp, path string, width int, into any) {
	t.Helper()
	harness := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/probe.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, layoutProbe)
			return
		case "/narrow":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<!DOCTYPE html><body style="margin:0"><iframe style="border:0;width:%dpx;height:3000px" src="%s"></iframe></body>`,
				width, html.EscapeString(r.URL.Query().Get("src")))
			return
		}
		res, err := http.Get(a.base + r.URL.RequestURI())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if strings.HasPrefix(r.URL.Path, "/f/") {
			body = bytes.Replace(body, []byte("</body>"), []byte(`<script src="/probe.js" defer></script></body>`), 1)
		}
		w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
		w.Write(body)
	}))
	defer harness.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(chromiumFlags(t), "--dump-dom", harness.URL+"/narrow?src="+url.QueryEscape(path))
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, chromium, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := probeOut.FindSubmatch(out)
	if m == nil {
		t.Fatalf("the probe wrote nothing; chromium said:\n%.2000s", stderr.String())
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), into); err != nil {
		t.Fatal(err)
	}
}
