package cli

import (
	"context"
	"io"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/forms"
)

// openFormEnv opens the store (a running server's, or the data directory's) for a
// command that works on one form, and finds that form. The caller closes env.
func openFormEnv(ctx context.Context, cfg *config.Config, stderr io.Writer, formID string) (*app.Env, *forms.Form, error) {
	env, err := app.OpenEnv(ctx, cfg, newLogger(cfg, stderr), false)
	if err != nil {
		return nil, nil, err
	}
	form, ok := env.Forms.Get(formID)
	if !ok {
		env.Close()
		return nil, nil, problemf("there is no form %q in %s (CONSULTA_FORMS_DIR): a form's id is its file name without .yaml", formID, cfg.FormsDir)
	}
	return env, form, nil
}
