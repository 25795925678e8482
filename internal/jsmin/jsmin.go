// Package jsmin minifies the JavaScript that the server sends (the embed
// loader and form.js), so that the sources can keep readable names and
// comments and still fit their gzipped budgets without a build step. It is
// the one package that imports github.com/tdewolff/minify.
package jsmin

import (
	"bytes"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"
)

// version is the newest ECMAScript edition whose syntax the output may use
// when that saves bytes. The sources are ES5; ES2015 keeps out newer forms
// the minifier would otherwise write (optional catch binding, ??), so the
// scripts still run in the older browsers that run their sources.
const version = 2015

// Minify returns script src without comments or white space, with its local
// names shortened. Global names (window, document, properties) are kept, so
// the script behaves as its source does. A syntax error in src is an error.
func Minify(src []byte) ([]byte, error) {
	var out bytes.Buffer
	m := &js.Minifier{Version: version}
	if err := m.Minify(minify.New(), &out, bytes.NewReader(src), nil); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
