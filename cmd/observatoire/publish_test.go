package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// storeEdition stores an edition as the store lays it out:
// DATA/editions/NAME/meta.json and results.jsonl.
func storeEdition(t *testing.T, data string, meta edition.Meta, results ...observatory.Result) {
	t.Helper()
	dir := filepath.Join(data, "editions", meta.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(meta)
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range results {
		b, _ := json.Marshal(r)
		lines = append(lines, string(b))
	}
	if err := os.WriteFile(filepath.Join(dir, "results.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPublishCommand(t *testing.T) {
	data := t.TempDir()
	res := func(level criteria.Level, label string) observatory.Result {
		return observatory.Result{
			Procedure: observatory.Procedure{ID: "42", Title: "Demander une carte d'identité", Ministry: "Ministère de l'Intérieur", URL: "https://ants.example.invalid/cni"},
			Title:     "Demander une carte d'identité", Outcome: observatory.Measured,
			Assessment: &observatory.Assessment{Criteria: criteria.Results{criteria.IDMobile: {Level: level, Label: label}}},
		}
	}
	// Written newest first: the start dates order them.
	storeEdition(t, data, edition.Meta{Name: "2026-Q4", Started: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}, res(criteria.Good, "Oui"))
	storeEdition(t, data, edition.Meta{Name: "2026-Q3", Started: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}, res(criteria.Bad, "Non"))
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runCmd("publish", "--data", data, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Published 2 edition(s), latest 2026-Q4") {
		t.Errorf("stdout %q", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Demander une carte d&#39;identité") || !strings.Contains(string(b), "édition 2026-Q4") {
		t.Errorf("index.html does not show the latest edition")
	}
	for _, f := range []string{"data/2026-q3.csv", "data/2026-q4.json", "procedures/42.html", "badges/42/mobile.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// Publishing again replaces the site: a stale page disappears.
	stale := filepath.Join(out, "procedures", "gone.html")
	if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("publish", "--data", data, "--out", out); code != exitOK {
		t.Fatalf("second publish: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a stale page survived")
	}
	if _, err := os.Stat(filepath.Join(out, "selection.html")); err == nil {
		t.Error("selection.html published without --site-config")
	}

	// --site-config adds the page about the selection.
	cfg := filepath.Join(t.TempDir(), "site.yaml")
	if err := os.WriteFile(cfg, []byte("about: Les démarches les plus utilisées.\npropose_url: https://proposer.example.invalid/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd("publish", "--data", data, "--out", out, "--site-config", cfg); code != exitOK {
		t.Fatalf("publish --site-config: exit %d: %s", code, stderr)
	}
	b, err = os.ReadFile(filepath.Join(out, "selection.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Les démarches les plus utilisées.") || !strings.Contains(string(b), "https://proposer.example.invalid/") {
		t.Errorf("selection.html lacks the configured text or link")
	}
}

func TestPublishCommandErrors(t *testing.T) {
	data := t.TempDir()
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	storeEdition(t, data, edition.Meta{Name: "2026-Q4"})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no edition", []string{"publish", "--data", t.TempDir(), "--out", filepath.Join(t.TempDir(), "p")}, "no edition"},
		{"folder that is not a site", []string{"publish", "--data", data, "--out", other}, "refusing to replace"},
		{"argument", []string{"publish", "extra"}, "unexpected argument"},
		{"missing site config", []string{"publish", "--data", data, "--out", filepath.Join(t.TempDir(), "p"), "--site-config", filepath.Join(other, "absent.yaml")}, "--site-config"},
		{"site config that is not a mapping", []string{"publish", "--data", data, "--out", filepath.Join(t.TempDir(), "p"), "--site-config", filepath.Join(other, "notes.txt")}, "--site-config"},
	} {
		code, _, stderr := runCmd(c.args...)
		if code != exitError || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", c.name, code, stderr, c.want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(b) != "keep me" {
		t.Error("publish touched a folder that was not a site")
	}
}

func TestServeRefusesOtherAddresses(t *testing.T) {
	dir := t.TempDir()
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.1:80", "[::]:8080", "example.invalid:80", "127.0.0.1"} {
		code, _, stderr := runCmd("serve", "--addr", addr, dir)
		if code != exitError || !strings.Contains(stderr, "--addr") {
			t.Errorf("%s: exit %d, stderr %q; want a refusal", addr, code, stderr)
		}
	}
	if code, _, _ := runCmd("serve", "--addr", "127.0.0.1:0", filepath.Join(dir, "none")); code != exitError {
		t.Errorf("missing folder: exit %d", code)
	}
}

// serveOutput is a writer that a test can read while the command writes.
type serveOutput struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *serveOutput) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveOutput) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>bonjour</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut serveOutput
	done := make(chan int, 1)
	// The folder comes before the flag, as in "serve public/ --addr ...".
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut}, []string{"serve", dir, "--addr", "127.0.0.1:0"})
	}()
	var url string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && url == ""; time.Sleep(20 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), " on "); ok {
				url, _, _ = strings.Cut(rest, " ")
			}
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		cancel()
		t.Fatalf("no address printed: %q %q", out.String(), errOut.String())
	}
	resp, err := http.Get(url + "index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "<p>bonjour</p>" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after interrupt: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
