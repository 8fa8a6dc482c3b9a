package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func init() {
	register(&command{
		name:    "check",
		summary: "scan URLs now and print what each page shows",
		usage:   "[flags] URL...",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			var sf scanFlags
			sf.register(fs)
			format := fs.String("format", "table", "output: table or json")
			shots := fs.String("screenshots", "", "write each page's screenshots into this folder (none taken otherwise)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return usageError{"no URL given"}
				}
				if *format != "table" && *format != "json" {
					return usageError{fmt.Sprintf("--format %q: want table or json", *format)}
				}
				opts := sf.options()
				opts.NoScreenshots = *shots == ""
				snaps, err := scanURLs(ctx, opts, args)
				if err != nil {
					return err
				}
				if *shots != "" {
					if err := writeScreenshots(*shots, snaps); err != nil {
						return err
					}
				}
				if *format == "json" {
					err = writeJSON(e.stdout, snaps)
				} else {
					err = printSnapshots(e.stdout, snaps)
				}
				if err != nil {
					return err
				}
				return scanErrors(snaps)
			}
		},
	})
}

// scanURLs scans urls at once with one scanner, keeping their order.
func scanURLs(ctx context.Context, opts scanner.Options, urls []string) ([]*scanner.Snapshot, error) {
	sc, err := scanner.New(opts)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	if err := sc.Start(ctx); err != nil {
		return nil, err
	}
	return sc.ScanAll(ctx, urls)
}

// scanErrors turns pages that could not be scanned into exit code 2.
func scanErrors(snaps []*scanner.Snapshot) error {
	var bad []string
	for _, s := range snaps {
		if !s.Status.Loaded() {
			bad = append(bad, s.URL+" ("+string(s.Status)+")")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return exitCodeError{code: exitError, err: fmt.Errorf("%d of %d pages could not be scanned: %s", len(bad), len(snaps), strings.Join(bad, ", "))}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printSnapshots prints one row per page, then the reason of every page
// that did not load fully.
func printSnapshots(w io.Writer, snaps []*scanner.Snapshot) error {
	t := tablewriter.NewWriter(w)
	t.Header("URL", "Statut", "HTTP", "TTFB", "FCP", "LCP", "Load", "Éléments", "Violations axe")
	for _, s := range snaps {
		row := []string{s.URL, string(s.Status), "–", "–", "–", "–", "–", "–", "–"}
		if s.HTTPStatus != 0 {
			row[2] = strconv.Itoa(s.HTTPStatus)
		}
		if s.Status.Loaded() || s.Status == scanner.StatusHTTPError || s.Status == scanner.StatusBlocked {
			row[3], row[4], row[5], row[6] = msText(s.Timings.TTFB), msText(s.Timings.FCP), msText(s.Timings.LCP), msText(s.Timings.Load)
		}
		if s.Desktop != nil {
			row[7] = strconv.Itoa(s.Desktop.Elements)
		}
		if s.Axe != nil {
			row[8] = strconv.Itoa(axeCount(s.Axe))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, s := range snaps {
		if s.Reason != "" {
			fmt.Fprintf(w, "%s: %s — %s\n", s.URL, s.Status, s.Reason)
		}
	}
	return nil
}

// axeCount is the number of failing elements over all violated rules.
func axeCount(a *scanner.AxeResult) int {
	n := 0
	for _, v := range a.Violations {
		n += len(v.Nodes) + v.More
	}
	return n
}

func msText(v float64) string {
	if v <= 0 {
		return "–"
	}
	return strconv.Itoa(int(v+0.5)) + " ms"
}

// writeScreenshots saves each snapshot's images as DIR/NN-emulation.jpg and
// drops them from the snapshot, so that the JSON stays small.
func writeScreenshots(dir string, snaps []*scanner.Snapshot) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, s := range snaps {
		for name, shot := range s.Screenshots {
			p := filepath.Join(dir, fmt.Sprintf("%02d-%s.%s", i+1, name, extension(shot.Format)))
			if err := os.WriteFile(p, shot.Data, 0o644); err != nil {
				return fmt.Errorf("write screenshot: %w", err)
			}
		}
		s.Screenshots = nil
	}
	return nil
}

func extension(format string) string {
	if format == "png" {
		return "png"
	}
	return "jpg"
}
