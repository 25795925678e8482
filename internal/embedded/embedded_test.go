package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// helperDirEnv makes the test binary act as a separate consulta process that owns a
// data directory (see TestMain).
const helperDirEnv = "CONSULTA_EMBEDDED_TEST_OWNER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperDirEnv); dir != "" {
		os.Exit(runOwnerProcess(dir))
	}
	os.Exit(m.Run())
}

// runOwnerProcess opens dir, prints the store's URI and ownership, and serves until
// killed.
func runOwnerProcess(dir string) int {
	s, err := Open(context.Background(), dir, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Printf("uri=%s owner=%t\n", s.URI(), s.Owner())
	select {}
}

func TestOpenKeepsDataAcrossRestarts(t *testing.T) {
	dir := t.TempDir()

	first := open(t, dir)
	if !first.Owner() {
		t.Fatal("first Open on an empty directory is not the owner")
	}
	published, err := os.ReadFile(filepath.Join(dir, uriFileName))
	if err != nil {
		t.Fatalf("store.uri not written: %v", err)
	}
	if got := strings.TrimSpace(string(published)); got != first.URI() {
		t.Fatalf("store.uri = %q, want %q", got, first.URI())
	}
	insertNote(t, first.URI(), "kept")
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, uriFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("store.uri still there after Close (stat error %v)", err)
	}

	second := open(t, dir)
	if !second.Owner() {
		t.Fatal("Open after Close is not the owner")
	}
	if got := notes(t, second.URI()); !equal(got, []string{"kept"}) {
		t.Fatalf("notes after reopen = %v, want [kept]", got)
	}
}

func TestSecondOpenUsesTheRunningStore(t *testing.T) {
	dir := t.TempDir()
	owner := open(t, dir)

	guest := open(t, dir)
	if guest.Owner() {
		t.Fatal("second Open on a locked directory claims ownership")
	}
	if guest.URI() != owner.URI() {
		t.Fatalf("guest URI = %q, want the owner's %q", guest.URI(), owner.URI())
	}
	insertNote(t, guest.URI(), "from guest")
	if got := notes(t, owner.URI()); !equal(got, []string{"from guest"}) {
		t.Fatalf("owner sees %v, want [from guest]", got)
	}

	// Closing a guest must leave the owner's store running.
	if err := guest.Close(); err != nil {
		t.Fatalf("guest Close: %v", err)
	}
	insertNote(t, owner.URI(), "after guest left")

	if err := owner.Close(); err != nil {
		t.Fatalf("owner Close: %v", err)
	}
	next := open(t, dir)
	if !next.Owner() {
		t.Fatal("Open after the owner closed is not the owner")
	}
	if got := notes(t, next.URI()); !equal(got, []string{"after guest left", "from guest"}) {
		t.Fatalf("notes = %v", got)
	}
}

func TestOpenFailsWhenTheOwnerDoesNotAnswer(t *testing.T) {
	dir := t.TempDir()
	// Hold the lock as a hung owner would, publishing a port where nothing listens.
	lock, err := tryLock(filepath.Join(dir, lockFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer lock.release()
	if err := writeFileAtomic(filepath.Join(dir, uriFileName), []byte("mongodb://"+closedPort(t)+"/\n")); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	s, err := Open(context.Background(), dir, "127.0.0.1:0", nil)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded on a locked directory whose store does not answer")
	}
	if !strings.Contains(err.Error(), "locked by another consulta process but its store does not answer") {
		t.Fatalf("error = %v", err)
	}
	if elapsed := time.Since(start); elapsed > attachWait+time.Second {
		t.Fatalf("Open took %v to give up", elapsed)
	}
}

func TestStaleURIFileIsReplaced(t *testing.T) {
	dir := t.TempDir()
	// A server killed with SIGKILL leaves store.uri behind but no lock.
	stale := "mongodb://" + closedPort(t) + "/\n"
	if err := os.WriteFile(filepath.Join(dir, uriFileName), []byte(stale), 0o640); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	if !s.Owner() {
		t.Fatal("Open with a stale store.uri and no lock is not the owner")
	}
	published, _ := os.ReadFile(filepath.Join(dir, uriFileName))
	if strings.TrimSpace(string(published)) != s.URI() {
		t.Fatalf("store.uri = %q, want %q", published, s.URI())
	}
}

// TestKilledOwnerDoesNotBlock runs the owner in another process, attaches to it, kills
// it with SIGKILL and checks that the next Open takes over the directory.
func TestKilledOwnerDoesNotBlock(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) }
	t.Cleanup(kill)

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("owner process said nothing: %v", err)
	}
	var ownerURI string
	var ownerFlag bool
	if _, err := fmt.Sscanf(line, "uri=%s owner=%t", &ownerURI, &ownerFlag); err != nil || !ownerFlag {
		t.Fatalf("owner process: %q", line)
	}

	guest := open(t, dir)
	if guest.Owner() || guest.URI() != ownerURI {
		t.Fatalf("guest: owner=%t uri=%q, want a guest of %q", guest.Owner(), guest.URI(), ownerURI)
	}
	insertNote(t, guest.URI(), "written through the other process")

	kill()
	next := open(t, dir)
	if !next.Owner() {
		t.Fatal("the lock of a killed process blocks the next Open")
	}
	if got := notes(t, next.URI()); !equal(got, []string{"written through the other process"}) {
		t.Fatalf("notes = %v", got)
	}
}

func TestFerretDBLogsOnlyErrors(t *testing.T) {
	rec := &recordingHandler{}
	// start, not Open: Open logs lines of its own (the store started, where).
	s, err := start(sqliteURL(t.TempDir()), ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}, slog.New(rec))
	if err != nil {
		t.Fatal(err)
	}
	// A connection, a reply and a disconnect make FerretDB log at info and warn level.
	insertNote(t, s.URI(), "noise")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.all() {
		if r.Level < slog.LevelError {
			t.Errorf("FerretDB logged at %v: %q", r.Level, r.Message)
		}
	}
}

// recordingHandler keeps every record it receives.
type recordingHandler struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler            { return h }
func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}

func (h *recordingHandler) all() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.records...)
}

// open opens dir on any free port and closes it at the end of the test.
func open(t *testing.T, dir string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Open(ctx, dir, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// insertNote stores a note through the real driver.
func insertNote(t *testing.T, uri, text string) {
	t.Helper()
	withCollection(t, uri, func(ctx context.Context, c *mongo.Collection) {
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: text}}); err != nil {
			t.Fatalf("insert %q: %v", text, err)
		}
	})
}

// notes returns the stored notes in _id order.
func notes(t *testing.T, uri string) []string {
	t.Helper()
	var ids []string
	withCollection(t, uri, func(ctx context.Context, c *mongo.Collection) {
		cur, err := c.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			t.Fatalf("find: %v", err)
		}
		var docs []struct {
			ID string `bson:"_id"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatalf("find: %v", err)
		}
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
	})
	return ids
}

func withCollection(t *testing.T, uri string, fn func(context.Context, *mongo.Collection)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(2 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	fn(ctx, client.Database("embeddedtest").Collection("notes"))
}

func equal(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestOpenOnABusyPortReleasesTheLock(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	s, err := Open(context.Background(), dir, busy.Addr().String(), nil)
	if err == nil {
		s.Close()
		t.Fatalf("Open on the busy port %s succeeded", busy.Addr())
	}
	if next := open(t, dir); !next.Owner() {
		t.Fatal("a failed start kept the data directory locked")
	}
}
