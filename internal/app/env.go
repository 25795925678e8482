package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/locales"
)

// Env is what every consulta command works with: the store, the forms, the
// geographic catalog and the translations.
type Env struct {
	Config     *config.Config
	Logger     *slog.Logger
	Store      *store.Store
	Embedded   *embedded.Server // nil with a MongoDB URI
	Forms      *forms.Registry
	Geo        *geo.Catalog
	Translator *locale.Translator
	SecretKey  string
	// OrgLogo is CONSULTA_ORG_LOGO_FILE's content, read once (nil for none):
	// the public pages and every report's cover show it.
	OrgLogo []byte
}

// OpenEnv loads forms, catalog and translations, then opens the store: the
// configured MongoDB, or the embedded one under DataDir (attaching to a running
// server's store when another consulta process owns the directory). serve says
// whether this process must own the embedded store.
func OpenEnv(ctx context.Context, cfg *config.Config, logger *slog.Logger, serve bool) (*Env, error) {
	e := &Env{Config: cfg, Logger: logger}
	var err error
	if e.Forms, err = forms.LoadDir(cfg.FormsDir); err != nil {
		return nil, err
	}
	if e.Geo, err = geo.Load(); err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	if e.Translator, err = LoadTranslator(cfg, e.Forms); err != nil {
		return nil, err
	}
	if e.OrgLogo, err = readLogo(cfg.OrgLogoFile); err != nil {
		return nil, err
	}
	if err := e.openStore(ctx, serve); err != nil {
		e.Close()
		return nil, err
	}
	if e.SecretKey, err = e.secretKey(); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// OpenStoreOnly opens the store alone, as OpenEnv does, for commands that
// need neither forms nor translations (backup, restore): a restore must work
// before anything else of a deployment is in place.
func OpenStoreOnly(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Env, error) {
	e := &Env{Config: cfg, Logger: logger}
	if err := e.openStore(ctx, false); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// LoadTranslator reads translations from LocalesDir, or the built-in ones.
func LoadTranslator(cfg *config.Config, reg *forms.Registry) (*locale.Translator, error) {
	var fsys fs.FS = locales.FS
	if cfg.LocalesDir != "" {
		fsys = os.DirFS(cfg.LocalesDir)
	}
	tr, err := locale.Load(fsys, reg.All())
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	return tr, nil
}

func (e *Env) openStore(ctx context.Context, serve bool) error {
	uri, embeddedDir := e.Config.MongoURI, ""
	if uri == "" {
		srv, err := embedded.Open(ctx, e.Config.DataDir, e.Config.StoreAddr, e.Logger)
		if err != nil {
			return fmt.Errorf("config: CONSULTA_DATA_DIR = %q: %w", e.Config.DataDir, err)
		}
		e.Embedded = srv
		if serve && !srv.Owner() {
			return fmt.Errorf("config: CONSULTA_DATA_DIR = %q: another consulta server already serves this directory", e.Config.DataDir)
		}
		uri, embeddedDir = srv.URI(), srv.StoreDir()
	}
	st, err := store.Open(ctx, store.Options{
		URI: uri, Password: e.Config.MongoPassword, Database: e.Config.Database, Logger: e.Logger, OpTimeout: e.Config.OpTimeout,
		StreamTimeout: e.Config.StreamTimeout, EmbeddedDir: embeddedDir,
		WriteMajority: e.Config.WriteMajority && e.Config.MongoURI != "",
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	e.Store = st
	return nil
}

// secretKey returns the configured secret, or (embedded store: config requires
// a secret with a MongoDB URI) one generated once and kept in the data directory
// so that it survives restarts.
func (e *Env) secretKey() (string, error) {
	if e.Config.SecretKey != "" {
		return e.Config.SecretKey, nil
	}
	path := filepath.Join(e.Config.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	key := randomHex(32)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("config: CONSULTA_DATA_DIR: cannot write %s: %w", path, err)
	}
	return key, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RecordFormVersions stores a snapshot of every form version, and refuses a form
// whose content changed while its version number stayed the same: older responses
// must keep meaning what they meant.
func (e *Env) RecordFormVersions(ctx context.Context) error {
	for _, f := range e.Forms.All() {
		def, err := json.Marshal(f)
		if err != nil {
			return err
		}
		err = e.Store.SaveFormVersion(ctx, f.ID, f.Version, f.Hash(), def)
		if consulta.ErrorCode(err) == consulta.ECONFLICT {
			return fmt.Errorf("%s:1: form %q changed but its version is still %d; increase version so that older responses keep their meaning", f.File, f.ID, f.Version)
		}
		if err != nil {
			return fmt.Errorf("store: recording form %s: %w", f.ID, err)
		}
	}
	return nil
}

// StoreDescription says which store is in use, for logs.
func (e *Env) StoreDescription() string {
	if e.Embedded != nil {
		return "embedded " + e.Embedded.URI()
	}
	return "mongodb"
}

// Close flushes and closes the store, then the embedded server.
func (e *Env) Close() error {
	var errs []error
	if e.Store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, e.Store.Close(ctx))
		cancel()
	}
	if e.Embedded != nil {
		errs = append(errs, e.Embedded.Close())
	}
	return errors.Join(errs...)
}
