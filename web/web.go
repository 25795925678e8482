// Package web holds the HTML templates and static assets (CSS, JavaScript, the
// embed loader) served by Consulta, embedded into the binary.
package web

import "embed"

// FS holds templates/ and static/.
//
//go:embed templates static
var FS embed.FS
