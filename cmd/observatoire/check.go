package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// checkCommand is "observatoire check".
func checkCommand() *command {
	return &command{
		name:    "check",
		summary: "assess procedures now: scan each URL and its second pages, rate the eight criteria",
		usage:   "[flags] URL...",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			var sf scanFlags
			sf.register(fs)
			format := fs.String("format", "table", "output: table or json")
			shots := fs.String("screenshots", "", "write each page's screenshots into this folder (none taken otherwise)")
			login := fs.String("login-url", "", "the procedure's sign-in page (a single URL only; default: found on the start page)")
			contact := fs.String("contact-url", "", "the procedure's contact or help page (a single URL only)")
			statement := fs.String("statement-url", "", "the procedure's accessibility statement (a single URL only)")
			jdma := fs.String("jdma", "", "JeDonneMonAvis figures of the procedure: a jdma.json file (a single URL only)")
			updown := fs.String("updown", "", "uptime-monitor figures of the procedure: an updown.json file (a single URL only)")
			var declared []string
			fs.Func("declared", "declared value KEY=VALUE, repeatable; keys: "+strings.Join(declaredKeys, ", "), func(s string) error {
				declared = append(declared, s)
				return nil
			})
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return usageError{"no URL given"}
				}
				if *format != "table" && *format != "json" {
					return usageError{fmt.Sprintf("--format %q: want table or json", *format)}
				}
				if len(args) > 1 {
					for name, v := range map[string]string{"login-url": *login, "contact-url": *contact, "statement-url": *statement, "jdma": *jdma, "updown": *updown} {
						if v != "" {
							return usageError{fmt.Sprintf("--%s applies to a single URL, %d given", name, len(args))}
						}
					}
				}
				d, err := parseDeclared(declared)
				if err != nil {
					return usageError{err.Error()}
				}
				base := observatory.Target{LoginURL: *login, ContactURL: *contact, StatementURL: *statement, Declared: d}
				if base.JDMA, err = readImport(*jdma, criteria.ParseJDMA); err != nil {
					return err
				}
				if base.Uptime, err = readImport(*updown, criteria.ParseUptime); err != nil {
					return err
				}
				opts := sf.options()
				opts.NoScreenshots = *shots == ""
				res, err := assessURLs(ctx, opts, base, args)
				if err != nil {
					return err
				}
				if *shots != "" {
					if err := writeScreenshots(*shots, res); err != nil {
						return err
					}
				}
				if *format == "json" {
					err = writeJSON(e.stdout, checkDocument(res))
				} else {
					err = printAssessments(e.stdout, e.tty, res)
				}
				if err != nil {
					return err
				}
				return startErrors(res)
			}
		},
	}
}

// declaredKeys are the keys `--declared` accepts.
var declaredKeys = []string{"online", "franceconnect", "dlnuf", "rgaa_rate", "support"}

// parseDeclared reads the `--declared KEY=VALUE` flags.
func parseDeclared(list []string) (criteria.Declared, error) {
	var d criteria.Declared
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return d, fmt.Errorf("--declared %q: want KEY=VALUE", kv)
		}
		bad := func(want string) error { return fmt.Errorf("--declared %s=%q: want %s", k, v, want) }
		switch k {
		case "online":
			if !slices.Contains(criteria.OnlineValues, v) {
				return d, bad(strings.Join(criteria.OnlineValues, ", "))
			}
			d.Online = v
		case "franceconnect":
			if !slices.Contains(criteria.FranceConnectValues, v) {
				return d, bad(strings.Join(criteria.FranceConnectValues, ", "))
			}
			d.FranceConnect = v
		case "dlnuf":
			if v == "not-applicable" {
				d.DLNUFNotApplicable = true
				continue
			}
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 {
				return d, bad("a weighted count ≥ 0, or not-applicable")
			}
			d.DLNUF = &n
		case "rgaa_rate":
			n, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
			if err != nil || n < 0 || n > 100 {
				return d, bad("a rate from 0 to 100")
			}
			d.RGAARate = &n
		case "support":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return d, bad("a number of channels ≥ 0")
			}
			d.Support = &n
		default:
			return d, fmt.Errorf("--declared %q: unknown key %q (want one of %s)", kv, k, strings.Join(declaredKeys, ", "))
		}
	}
	return d, nil
}

// readImport parses an import file; "" gives nil.
func readImport[T any](path string, parse func([]byte) (*T, error)) (*T, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// assessment is one URL's outcome with what was judged, for the report.
type assessment struct {
	*observatory.Assessment
	target observatory.Target
	now    time.Time
}

// input rebuilds the criteria's input, for the accessibility report.
func (a assessment) input() criteria.Input {
	return criteria.Input{
		Start: a.Pages[observatory.PageStart], Contact: a.Pages[observatory.PageContact],
		Statement: a.Pages[observatory.PageStatement], Login: a.Pages[observatory.PageLogin],
		Probes: a.Probes, Declared: a.target.Declared, JDMA: a.target.JDMA, Uptime: a.target.Uptime, Now: a.now,
	}
}

// assessURLs assesses each URL with one scanner, keeping their order.
func assessURLs(ctx context.Context, opts scanner.Options, base observatory.Target, urls []string) ([]assessment, error) {
	sc, err := startScanner(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	now := time.Now()
	pages := observatory.NewPages() // each distinct URL loaded once per run
	out := make([]assessment, len(urls))
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() {
			t := base
			t.URL = u
			a, err := observatory.Assess(ctx, sc, t, observatory.AssessOptions{Now: now, Pages: pages})
			out[i], errs[i] = assessment{Assessment: a, target: t, now: now}, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// startErrors turns start pages that could not be scanned into exit code 2.
func startErrors(res []assessment) error {
	var bad []string
	for _, a := range res {
		if s := a.Pages[observatory.PageStart]; !s.Status.Loaded() {
			bad = append(bad, s.URL+" ("+string(s.Status)+")")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d pages could not be scanned: %s", len(bad), len(res), strings.Join(bad, ", "))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeScreenshots saves every page's images as DIR/NN-role-emulation.jpg
// and replaces their data by the file's path, so that the JSON stays small.
func writeScreenshots(dir string, res []assessment) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, a := range res {
		for role, s := range a.Pages {
			for name, shot := range s.Screenshots {
				p := filepath.Join(dir, fmt.Sprintf("%02d-%s-%s.%s", i+1, role, name, observatory.ScreenshotExt(shot)))
				if err := os.WriteFile(p, shot.Data, 0o644); err != nil {
					return fmt.Errorf("write screenshot: %w", err)
				}
				shot.Data, shot.File = nil, p
				s.Screenshots[name] = shot
			}
		}
	}
	return nil
}
