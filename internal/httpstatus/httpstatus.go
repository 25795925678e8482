// Package httpstatus maps Consulta's error codes to HTTP statuses: the one place
// where domain errors meet HTTP, shared by the public server and the workspace.
package httpstatus

import (
	"net/http"

	"github.com/consulta/consulta/internal/consulta"
)

// Of returns the HTTP status of an application error code.
func Of(code string) int {
	switch code {
	case consulta.EINVALID:
		return http.StatusUnprocessableEntity
	case consulta.ENOTFOUND:
		return http.StatusNotFound
	case consulta.ECONFLICT:
		return http.StatusConflict
	case consulta.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case consulta.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case consulta.EFORBIDDEN, consulta.ECLOSED:
		return http.StatusForbidden
	default:
		return http.StatusInternalServerError
	}
}
