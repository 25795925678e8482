package httpstatus

import (
	"net/http"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

func TestOf(t *testing.T) {
	tests := map[string]int{
		consulta.EINVALID: http.StatusUnprocessableEntity, consulta.ENOTFOUND: http.StatusNotFound,
		consulta.ECONFLICT: http.StatusConflict, consulta.EUNAVAILABLE: http.StatusServiceUnavailable,
		consulta.EUNAUTHORIZED: http.StatusUnauthorized, consulta.EFORBIDDEN: http.StatusForbidden,
		consulta.ECLOSED: http.StatusForbidden, consulta.EINTERNAL: http.StatusInternalServerError,
		"something else": http.StatusInternalServerError,
	}
	for code, want := range tests {
		t.Run(code, func(t *testing.T) {
			if got := Of(code); got != want {
				t.Fatalf("Of(%q) = %d, want %d", code, got, want)
			}
		})
	}
}
