package app_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/backup"
	"github.com/consulta/consulta/internal/store"
)

// ack is one acknowledged submission: its id and when the client had the 201.
type ack struct {
	id string
	at time.Time
}

// submitUntil posts submissions from several clients until stop is closed,
// and returns every acknowledged one. Any answer but 201 fails the test.
func submitUntil(t *testing.T, r *running, stop <-chan struct{}) func() []ack {
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				b, _ := json.Marshal(map[string]any{"answers": map[string]any{"useful": i%2 == 0}})
				req, _ := http.NewRequest("POST", r.base+"/api/v1/forms/utilidad-pagina/responses", bytes.NewReader(b))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprintf("backup-client%d-%06d", c, i))
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var out struct{ ID string }
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode != 201 || err != nil || out.ID == "" {
					t.Errorf("submission: %d %v", resp.StatusCode, err)
					return
				}
				mu.Lock()
				acks = append(acks, ack{out.ID, time.Now()})
				mu.Unlock()
			}
		}()
	}
	return func() []ack {
		wg.Wait()
		return acks
	}
}

// responseIDs counts the stored responses of the embedded store in dataDir
// by id, reading the rows themselves: a duplicate would show as a count of 2.
func responseIDs(t *testing.T, dataDir string) map[string]int {
	t.Helper()
	cfg := testConfig(t, dataDir, nil)
	env, err := app.OpenStoreOnly(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	ids := map[string]int{}
	_, err = env.Store.Snapshot(context.Background(), func(r store.SnapshotReader) error {
		return r.Each("responses", func(doc bson.Raw) error {
			ids[doc.Lookup("_id").StringValue()]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// A backup taken while submissions arrive restores into a fresh data
// directory with every response acknowledged before the snapshot exactly
// once, and nothing that was not submitted.
func TestBackupWhileSubmissionsArrive(t *testing.T) {
	r := boot(t, t.TempDir())
	env := testConfigEnv(r)
	var out bytes.Buffer
	// A few thousand responses first, so that the backup takes long enough
	// for submissions to arrive while it reads.
	if code := runCLI(t, []string{"seed", "--form", "utilidad-pagina", "--n", "3000", "--seed", "7"}, env, &out); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, out.String())
	}
	stop := make(chan struct{})
	wait := submitUntil(t, r, stop)
	time.Sleep(300 * time.Millisecond)

	file := filepath.Join(t.TempDir(), "consulta.tar.gz")
	started := time.Now()
	code := runCLI(t, []string{"backup", "--out", file}, env, &out)
	finished := time.Now()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	acks := wait()
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, out.String())
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := backup.Verify(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("archive mode %v, want 0600: it holds contact data", info.Mode().Perm())
	}

	var before, during int
	for _, a := range acks {
		if a.at.Before(m.Snapshot.At) {
			before++
		}
		if a.at.After(started) && a.at.Before(finished) {
			during++
		}
	}
	if before == 0 || during == 0 || len(acks) == before {
		t.Fatalf("%d acknowledged, %d before the snapshot, %d while the backup ran: no overlap to test", len(acks), before, during)
	}

	fresh := filepath.Join(t.TempDir(), "restored")
	if code := runCLI(t, []string{"restore", file}, map[string]string{"CONSULTA_DATA_DIR": fresh}, &out); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, out.String())
	}
	restored := responseIDs(t, fresh)
	acked := map[string]bool{}
	for _, a := range acks {
		acked[a.id] = true
		if a.at.Before(m.Snapshot.At) && restored[a.id] != 1 {
			t.Errorf("response %s, acknowledged %s before the snapshot, restored %d times", a.id, m.Snapshot.At.Sub(a.at), restored[a.id])
		}
	}
	seeded := 0
	for id, n := range restored {
		if n != 1 {
			t.Errorf("response %s restored %d times", id, n)
		}
		if !acked[id] {
			seeded++
		}
	}
	if seeded != 3000 {
		t.Errorf("%d restored responses were not submitted over HTTP, want the 3000 seeded", seeded)
	}
	var inArchive int64
	for _, c := range m.Collections {
		if c.Name == "responses" {
			inArchive = c.Documents
		}
	}
	if int64(len(restored)) != inArchive {
		t.Errorf("restored %d responses, the archive holds %d", len(restored), inArchive)
	}
	t.Logf("%d submissions acknowledged, %d before the snapshot, %d while the backup ran (%s); %d responses restored",
		len(acks), before, during, finished.Sub(started).Round(time.Millisecond), len(restored))
}

// restore refuses a store that holds data and an archive that does not match
// its checksums, with one sentence and exit status 1, and changes nothing.
func TestRestoreRefusals(t *testing.T) {
	r := boot(t, t.TempDir())
	env := testConfigEnv(r)
	var out bytes.Buffer
	if code := runCLI(t, []string{"seed", "--form", "utilidad-pagina", "--n", "20", "--seed", "3"}, env, &out); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, out.String())
	}
	file := filepath.Join(t.TempDir(), "consulta.tar.gz")
	if code := runCLI(t, []string{"backup", "--out", file}, env, &out); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, out.String())
	}

	out.Reset()
	code := runCLI(t, []string{"restore", file}, env, &out)
	if line := failureLine(out.String()); code != 1 || !strings.Contains(line, "already holds data") {
		t.Errorf("restore into the running store: exit %d, %q", code, out.String())
	}
	if n := len(exportIDs(t, r, "utilidad-pagina")); n != 20 {
		t.Errorf("the store holds %d responses after a refused restore, want 20", n)
	}

	damaged := filepath.Join(t.TempDir(), "damaged.tar.gz")
	os.WriteFile(damaged, flipInPart(t, file), 0o600)
	fresh := filepath.Join(t.TempDir(), "fresh")
	out.Reset()
	code = runCLI(t, []string{"restore", damaged}, map[string]string{"CONSULTA_DATA_DIR": fresh}, &out)
	if line := failureLine(out.String()); code != 1 || !strings.Contains(line, "does not match its checksum") || !strings.Contains(line, "nothing was restored") {
		t.Errorf("restore of a damaged archive: exit %d, %q", code, out.String())
	}
	if ids := responseIDs(t, fresh); len(ids) != 0 {
		t.Errorf("a damaged archive restored %d responses", len(ids))
	}
}

// failureLine is the one line a failed command prints for the person at the
// terminal ("consulta: ..."), or "" when there is not exactly one.
func failureLine(output string) string {
	var found []string
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "consulta: ") {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// flipInPart returns the archive in file with one byte of a response changed
// and the archive otherwise intact (a valid gzip and tar, the same
// manifest), as a disk or a hand could damage it.
func flipInPart(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var buf bytes.Buffer
	gw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gw)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if strings.HasPrefix(hdr.Name, "responses/") {
			i := bytes.Index(body, []byte("utilidad-pagina"))
			body[i] = 'U'
		}
		tw.WriteHeader(hdr)
		tw.Write(body)
	}
	tw.Close()
	gw.Close()
	return buf.Bytes()
}

// backup --dir names the archive by its time and deletes those older than
// --keep; backup check is the health check of the compose file's service.
func TestBackupDirAndCheck(t *testing.T) {
	r := boot(t, t.TempDir())
	env := testConfigEnv(r)
	dir := t.TempDir()
	old := filepath.Join(dir, backup.FileName(time.Now().Add(-48*time.Hour)))
	os.WriteFile(old, []byte("old"), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("kept"), 0o600)

	var out bytes.Buffer
	if code := runCLI(t, []string{"backup", "--dir", dir, "--keep", "24h"}, env, &out); code != 0 {
		t.Fatalf("backup --dir: exit %d: %s", code, out.String())
	}
	archives, err := backup.List(dir)
	if err != nil || len(archives) != 1 || archives[0].Path == old {
		t.Fatalf("archives %v, %v: want the new one only", archives, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatal("retention deleted a file that is not an archive")
	}
	if code := runCLI(t, []string{"backup", "check", "--dir", dir, "--max-age", "1h"}, env, &out); code != 0 {
		t.Fatalf("backup check: exit %d: %s", code, out.String())
	}
	out.Reset()
	code := runCLI(t, []string{"backup", "check", "--dir", t.TempDir()}, env, &out)
	if line := failureLine(out.String()); code != 1 || !strings.Contains(line, "no backup in") {
		t.Fatalf("backup check of an empty directory: exit %d, %q", code, out.String())
	}
	out.Reset()
	if code := runCLI(t, []string{"backup", "--out", "x.tar.gz", "--dir", dir}, env, &out); code != 2 {
		t.Fatalf("--out and --dir together: exit %d", code)
	}
}
