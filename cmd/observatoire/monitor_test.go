package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
)

// TestMonitorBadInput: bad flags and unusable folders are refused with
// exit 2 and a clear message.
func TestMonitorBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	cat := writeCatalogFile(t, dir, "bad input", []observatory.Procedure{{ID: "a", URL: "http://127.0.0.1:1/"}})
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--interval", "1ms"}, "--interval 1ms: want from 10ms to 24h"},
		{[]string{"--interval", "soon"}, "invalid value"},
		{[]string{"--timeout", "-1s"}, "--timeout"},
		{[]string{"--listen", "nonsense"}, `--listen "nonsense": want HOST:PORT`},
		{[]string{"--jitter", "2"}, "--jitter 2"},
		{[]string{"--per-host", "0"}, "--per-host 0"},
		{[]string{"--sync", "0s"}, "--sync"},
		{[]string{"--catalog", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"--catalog", cat, "--listen", "off", "--data", file}, "monitor data folder"},
		{[]string{"--catalog", cat, "--data", dir, "--listen", busy.Addr().String()}, "address already in use"},
		{[]string{"report"}, "--quarter YEAR-QN is required"},
		{[]string{"report", "--quarter", "2026-Q5"}, "want YEAR-QN"},
		{[]string{"report", "--quarter", "2026-Q4", "extra"}, `unexpected argument "extra"`},
		{[]string{"report", "--quarter", "2026-Q4", "--data", dir}, "no monitor sample for 2026-Q4"},
	} {
		code, _, stderr := runCmd(append([]string{"monitor"}, tt.args...)...)
		if code != exitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("monitor %q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestMonitorCommand runs the command on a catalogue of two fixture
// procedures (one answers, one says 503), stops it, and prints the
// quarter's table.
func TestMonitorCommand(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/down") {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	defer ts.Close()
	dir := t.TempDir()
	cat := writeCatalogFile(t, dir, "monitor test", []observatory.Procedure{{ID: "up", URL: ts.URL + "/up"}, {ID: "down", URL: ts.URL + "/down"}})
	data := filepath.Join(dir, "data")
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var o, e bytes.Buffer
	code := run(ctx, &env{stdout: &o, stderr: &e}, []string{"monitor", "--catalog", cat, "--data", data, "--interval", "50ms", "--timeout", "5s", "--listen", "127.0.0.1:0"})
	if code != exitOK || !strings.Contains(e.String(), "monitor: 2 procedures") || !strings.Contains(e.String(), "/metrics") {
		t.Fatalf("monitor: exit %d\n%s", code, e.String())
	}
	now := time.Now().UTC()
	q := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())+2)/3)
	code, stdout, stderr := runCmd("monitor", "report", "--quarter", q, "--data", data)
	t.Logf("\n%s", stdout)
	if code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(stdout, "\n") {
		f := strings.Split(l, "│")
		if len(f) > 2 {
			rows[strings.TrimSpace(f[1])] = l
		}
	}
	if !strings.Contains(rows["up"], "100,00 %") || !strings.Contains(rows["down"], "0,00 %") || !strings.Contains(stdout, "Couverture") {
		t.Errorf("report rows: %q", rows)
	}
}

// readSystemdUnit reads a unit file's Key=Value lines, by section.
func readSystemdUnit(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docs", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	unit := map[string]map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
			unit[section] = map[string]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not Key=Value in a section: %q", name, n, l)
			}
			unit[section][strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return unit
}

// execWords rewrites the command's path (/usr/local/bin/observatoire) as
// observatoire.
func execWords(words []string) []string {
	out := slices.Clone(words)
	if len(out) > 0 && filepath.Base(out[0]) == "observatoire" {
		out[0] = "observatoire"
	}
	return out
}

func TestMonitorExampleSystemd(t *testing.T) {
	const name = "observatoire-monitor.service"
	unit := readSystemdUnit(t, name)
	svc := unit["Service"]
	if svc == nil || unit["Unit"] == nil || unit["Install"]["WantedBy"] != "multi-user.target" {
		t.Fatalf("%s: want [Unit], [Service] and [Install] WantedBy=multi-user.target: %v", name, unit)
	}
	f := observatoireArgs(t, name, "monitor", execWords(shellArgs(t, svc["ExecStart"])))
	// The data folder is the unit's state directory.
	if state := svc["StateDirectory"]; state == "" || f["data"] != "/var/lib/"+state {
		t.Errorf("%s: --data %q, StateDirectory %q", name, f["data"], svc["StateDirectory"])
	}
	if host, _, err := net.SplitHostPort(f["listen"]); err != nil || host != "127.0.0.1" {
		t.Errorf("%s: --listen %q: want the loopback", name, f["listen"])
	}
	if svc["Restart"] != "always" || svc["DynamicUser"] != "yes" {
		t.Errorf("%s: want Restart=always and DynamicUser=yes: %v", name, svc)
	}
	if !strings.Contains(unit["Unit"]["After"], "network-online.target") {
		t.Errorf("%s: want After=network-online.target", name)
	}
}

func TestMonitorExampleKubernetes(t *testing.T) {
	const name = "k8s-monitor.yaml"
	var dep map[string]any
	for _, d := range readYAML(t, name) {
		if d["kind"] == "Deployment" {
			dep = d
		}
	}
	if dep == nil {
		t.Fatalf("%s: no Deployment", name)
	}
	if dig(t, dep, "spec", "replicas") != 1 || dig(t, dep, "spec", "strategy", "type") != "Recreate" {
		t.Errorf("%s: want one replica and the Recreate strategy (one writer of the data folder)", name)
	}
	pod := dig(t, dep, "spec", "template", "spec")
	c := dig(t, pod, "containers", 0)
	var words []string
	for _, w := range dig(t, c, "args").([]any) {
		words = append(words, w.(string))
	}
	f := observatoireArgs(t, name, "monitor", append([]string{"observatoire"}, words...))
	mount := dig(t, c, "volumeMounts", 0)
	if f["data"] != dig(t, mount, "mountPath") {
		t.Errorf("%s: --data %q is not the volume's mount path %v", name, f["data"], dig(t, mount, "mountPath"))
	}
	vol := dig(t, pod, "volumes", 0)
	if dig(t, vol, "name") != dig(t, mount, "name") || dig(t, vol, "persistentVolumeClaim", "claimName") == nil {
		t.Errorf("%s: the mounted volume is not a PersistentVolumeClaim: %v", name, vol)
	}
	_, port, err := net.SplitHostPort(f["listen"])
	if err != nil {
		t.Fatalf("%s: --listen %q", name, f["listen"])
	}
	if strconv.Itoa(dig(t, c, "ports", 0, "containerPort").(int)) != port {
		t.Errorf("%s: containerPort %v, --listen port %s", name, dig(t, c, "ports", 0, "containerPort"), port)
	}
	for _, probe := range []string{"livenessProbe", "readinessProbe"} {
		if dig(t, c, probe, "httpGet", "path") != "/healthz" || fmt.Sprint(dig(t, c, probe, "httpGet", "port")) != fmt.Sprint(dig(t, c, "ports", 0, "name")) {
			t.Errorf("%s: %s must get /healthz on the metrics port", name, probe)
		}
	}
	ann := dig(t, dep, "spec", "template", "metadata", "annotations").(map[string]any)
	if ann["prometheus.io/scrape"] != "true" || ann["prometheus.io/port"] != port {
		t.Errorf("%s: scrape annotations %v", name, ann)
	}
}
