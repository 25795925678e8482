package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/cli"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// BenchmarkOpenDataFile measures GET /datos/{form}.json?period= as a person
// downloads it: over HTTP from a freshly started program that serves the
// snapshots another process made, every form, both published semesters of
// the data and every language in turn. It reports the latency percentiles
// of the requests, one client at a time and sixteen at once; on the
// sequential line, cold-max-ms is the slowest of the first requests for each
// snapshot after start-up, which read it from the store (the cold case), and
// kB the size of utilidad-pagina's JSON. A snapshot is read from the store at
// most once a minute (opendata.DefaultCacheFor); warm requests in between
// are served from memory.
//
//	go test -run '^$' -bench BenchmarkOpenDataFile -benchtime 2000x ./internal/app/
//
// CONSULTA_BENCH_N is the number of responses (default 60,000) over the
// twelve months before the end of the latest published semester: 90 % to
// utilidad-pagina, 5 % to each of the other forms. CONSULTA_BENCH_DIR keeps
// the data directory between runs (seeded and materialized once). See
// docs/performance.md for the figures.
func BenchmarkOpenDataFile(b *testing.B) {
	n := 60_000
	if s := os.Getenv("CONSULTA_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("CONSULTA_BENCH_N: %v", err)
		}
		n = v
	}
	dir := os.Getenv("CONSULTA_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	loc, _ := time.LoadLocation(consulta.DefaultTimeZone)
	latest := report.LatestPublished(time.Now(), loc)
	prepareOpenData(b, dir, n, latest)

	// A fresh program that only serves (no scheduler, so no materializer).
	_, base, stop := bootConfig(b, benchConfig(b, dir, nil))
	defer stop()
	var urls []string
	for _, form := range []string{"utilidad-pagina", "necesidades-informacion", "sugerencias"} {
		for _, p := range []report.Semester{latest, latest.Prev()} {
			for _, lang := range []string{"es", "en", "quc"} {
				urls = append(urls, fmt.Sprintf("%s/datos/%s.json?period=%s&lang=%s", base, form, p, lang))
			}
		}
	}
	// The first request for each snapshot reads it from the store.
	var cold time.Duration
	for i := 0; i < len(urls); i += 3 {
		start := time.Now()
		fetch(b, urls[i])
		cold = max(cold, time.Since(start))
	}
	size := fetch(b, urls[0])

	b.Run("sequential", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		for i := range b.N {
			t0 := time.Now()
			fetch(b, urls[i%len(urls)])
			lat = append(lat, time.Since(t0))
		}
		reportPercentiles(b, lat)
		b.ReportMetric(float64(cold.Microseconds())/1000, "cold-max-ms")
		b.ReportMetric(float64(size)/1000, "kB")
	})
	b.Run("parallel-16", func(b *testing.B) {
		var mu sync.Mutex
		lat := make([]time.Duration, 0, b.N)
		b.SetParallelism(8) // 8 × GOMAXPROCS (2 here) = 16 clients
		var next int
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.Lock()
				u := urls[next%len(urls)]
				next++
				mu.Unlock()
				t0 := time.Now()
				fetch(b, u)
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
		reportPercentiles(b, lat)
	})
}

// prepareOpenData seeds dir with n responses over the year before latest
// ended, then starts a program with the scheduler on and waits until its
// materializer has made the snapshots of latest and the semester before it.
// Each step is done once per data directory (CONSULTA_BENCH_DIR).
func prepareOpenData(b *testing.B, dir string, n int, latest report.Semester) {
	b.Helper()
	tag := strconv.Itoa(n) + "-" + latest.String()
	once(b, dir+"/bench-opendata-seeded-"+tag, func() { seedOpenData(b, dir, n, latest) })
	once(b, dir+"/bench-opendata-made-"+tag, func() { materializeOpenData(b, dir, latest) })
}

// once runs fn unless the file marker exists, and then creates it.
func once(b *testing.B, marker string, fn func()) {
	b.Helper()
	if _, err := os.Stat(marker); err == nil {
		return
	}
	fn()
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		b.Fatal(err)
	}
}

// seedOpenData stores n responses, 90 % to utilidad-pagina and 5 % to each
// other form, over latest and the semester before it, through consulta seed.
func seedOpenData(b *testing.B, dir string, n int, latest report.Semester) {
	b.Helper()
	_, _, stop := bootConfig(b, benchConfig(b, dir, nil))
	defer stop()
	loc, _ := time.LoadLocation(consulta.DefaultTimeZone)
	from, _ := latest.Prev().Bounds(loc)
	_, to := latest.Bounds(loc)
	env := benchEnv(dir, nil)
	started := time.Now()
	for i, s := range []struct {
		form  string
		share float64
	}{{"utilidad-pagina", 0.9}, {"necesidades-informacion", 0.05}, {"sugerencias", 0.05}} {
		var out bytes.Buffer
		args := []string{"seed", "--form", s.form, "--n", strconv.Itoa(int(float64(n) * s.share)), "--seed", strconv.Itoa(90 + i),
			"--from", from.Format(time.DateOnly), "--to", to.AddDate(0, 0, -1).Format(time.DateOnly)}
		code := cli.Main(context.Background(), args, cli.IO{Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &out,
			Source: config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile}})
		if code != 0 {
			b.Fatalf("seed: exit %d %s", code, out.String())
		}
	}
	fmt.Fprintf(os.Stderr, "seeded %d responses in %v\n", n, time.Since(started).Round(time.Second))
}

// materializeOpenData starts a program with the scheduler on, whose
// materializer makes the snapshots at start-up, and waits for them.
func materializeOpenData(b *testing.B, dir string, latest report.Semester) {
	b.Helper()
	started := time.Now()
	_, base, stop := bootConfig(b, benchConfig(b, dir, map[string]string{"CONSULTA_SCHEDULER": "true"}))
	defer stop()
	for _, form := range []string{"utilidad-pagina", "necesidades-informacion", "sugerencias"} {
		for _, p := range []report.Semester{latest, latest.Prev()} {
			u := fmt.Sprintf("%s/datos/%s.json?period=%s", base, form, p)
			deadline := time.Now().Add(time.Hour)
			for status(b, u) != http.StatusOK {
				if time.Now().After(deadline) {
					b.Fatalf("%s: no snapshot after an hour", u)
				}
				time.Sleep(500 * time.Millisecond)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "materialized in %v\n", time.Since(started).Round(time.Second))
}

// benchEnv is the environment of the benchmark's programs on dir: quiet
// logs, and an operation deadline that the batches of a large seed on a busy
// machine stay within.
func benchEnv(dir string, extra map[string]string) map[string]string {
	env := map[string]string{
		"CONSULTA_ADDR": "127.0.0.1:0", "CONSULTA_DATA_DIR": dir, "CONSULTA_STORE_ADDR": "127.0.0.1:0",
		"CONSULTA_FORMS_DIR": "../../forms", "CONSULTA_SCHEDULER": "false", "CONSULTA_LOG_LEVEL": "error",
		"CONSULTA_OP_TIMEOUT": "2m",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// benchConfig is the configuration of a program on dir (benchEnv).
func benchConfig(b *testing.B, dir string, extra map[string]string) *config.Config {
	b.Helper()
	env := benchEnv(dir, extra)
	cfg, err := config.Load(config.FlagSet("bench", io.Discard), config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// fetch GETs u, which must answer 200, and returns the body's length.
func fetch(b testing.TB, u string) int {
	resp, err := client.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: status %d, %v", u, resp.StatusCode, err)
	}
	return int(n)
}

func status(b testing.TB, u string) int {
	resp, err := client.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// reportPercentiles reports the 50th, 95th and 99th percentiles of lat.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	for _, p := range []int{50, 95, 99} {
		b.ReportMetric(float64(lat[(len(lat)-1)*p/100].Microseconds())/1000, "p"+strconv.Itoa(p)+"-ms")
	}
}
