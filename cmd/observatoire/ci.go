package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/gate"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func init() {
	register(&command{
		name:    "ci",
		summary: "CI gate: fail the build when a change makes a procedure less accessible",
		usage:   "[flags] [URL...]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			var sf scanFlags
			sf.register(fs)
			configFile := fs.String("config", gate.DefaultConfigFile, "the gate's config (YAML); the defaults apply when the default file is absent")
			baseline := fs.String("baseline", "", "baseline file (default: the config's, else "+gate.DefaultBaselineFile+")")
			update := fs.Bool("update-baseline", false, "write the current findings to the baseline file and exit 0")
			runs := fs.Int("runs", 1, "scan each page N times and keep what the majority of runs saw")
			junit := fs.String("junit", "", "write a JUnit XML report to FILE")
			sarif := fs.String("sarif", "", "write a SARIF 2.1.0 log of the new violations to FILE")
			jsonOut := fs.String("json", "", "write the full report as JSON to FILE")
			markdown := fs.String("markdown", "", "write a Markdown summary (for a merge request comment) to FILE")
			return func(ctx context.Context, e *env, args []string) error {
				if *runs < 1 {
					return usageError{fmt.Sprintf("--runs %d: want 1 or more", *runs)}
				}
				explicit := false
				fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
				cfg, err := gate.LoadConfig(*configFile)
				switch {
				case errors.Is(err, gate.ErrNoConfig) && !explicit:
					cfg = gate.DefaultConfig()
				case err != nil:
					return exitCodeError{code: exitError, err: err}
				}
				if *baseline != "" {
					cfg.Baseline = *baseline
				}
				if cfg.Baseline == "" {
					cfg.Baseline = gate.DefaultBaselineFile
				}
				for _, u := range args {
					if msg := observatory.CheckURL(u); msg != "" {
						return usageError{msg}
					}
					cfg.URLs = append(cfg.URLs, gate.URL{URL: u})
				}
				targets, err := cfg.Targets()
				if err != nil {
					return exitCodeError{code: exitError, err: err}
				}
				if len(targets) == 0 {
					return usageError{"no URL: give URLs, or list them in " + *configFile}
				}
				// With --update-baseline the old baseline is read too: the
				// new one keeps its fingerprints (a version-1 file is so
				// migrated); one that cannot be read is replaced.
				base, err := gate.LoadBaseline(cfg.Baseline)
				if err != nil && !errors.Is(err, gate.ErrNoBaseline) {
					if !*update {
						return exitCodeError{code: exitError, err: err}
					}
					fmt.Fprintf(e.stderr, "observatoire ci: ancienne référence illisible, remplacée : %v\n", err)
					base = nil
				}

				opts := sf.options()
				opts.NoScreenshots = true
				obs, err := observe(ctx, opts, targets, *runs)
				if err != nil {
					return exitCodeError{code: exitError, err: err}
				}
				if len(obs.Broken) > 0 {
					return exitCodeError{code: exitError, err: fmt.Errorf("the scan could not run, the gate cannot judge: %d page(s) not scanned: %s", len(obs.Broken), strings.Join(obs.Broken, "; "))}
				}
				now := time.Now()
				if *update {
					b := gate.NewBaseline(obs, now)
					kept := b.KeepFingerprints(base)
					if err := b.Save(cfg.Baseline); err != nil {
						return exitCodeError{code: exitError, err: err}
					}
					fmt.Fprintf(e.stdout, "référence écrite : %s (%d démarche(s), %d violation(s), %d passage(s))\n", cfg.Baseline, len(b.Pages), len(b.Findings), obs.Runs)
					if base != nil {
						fmt.Fprintf(e.stdout, "empreintes reprises de l'ancienne référence : %d sur %d violation(s)\n", kept, len(b.Findings))
					}
					return nil
				}
				rep := gate.Compare(cfg, base, obs, now)
				if err := gate.WriteText(e.stdout, rep); err != nil {
					return err
				}
				outputs := []struct {
					file  string
					write func(io.Writer) error
				}{
					{*junit, func(w io.Writer) error { return gate.WriteJUnit(w, rep) }},
					{*sarif, func(w io.Writer) error { return gate.WriteSARIF(w, rep, scanner.Version) }},
					{*jsonOut, func(w io.Writer) error { return writeJSON(w, rep) }},
					{*markdown, func(w io.Writer) error { return gate.WriteMarkdown(w, rep) }},
				}
				for _, o := range outputs {
					if o.file == "" {
						continue
					}
					var buf bytes.Buffer
					if err := o.write(&buf); err != nil {
						return exitCodeError{code: exitError, err: err}
					}
					if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
						return exitCodeError{code: exitError, err: err}
					}
				}
				if !rep.Pass {
					return exitCodeError{code: exitGate, err: fmt.Errorf("the gate failed: %d regression(s)", len(rep.Failures))}
				}
				return nil
			}
		},
	})
}

// observe starts a scanner and runs the gate's scans.
func observe(ctx context.Context, opts scanner.Options, targets []observatory.Target, runs int) (*gate.Observation, error) {
	sc, err := startScanner(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	// One quick probe per run: the availability criterion needs a response
	// time, and a CI job has no uptime monitor.
	return gate.Observe(ctx, sc, targets, gate.ObserveOptions{Runs: runs, Probes: scanner.ProbeOptions{Count: 1, Timeout: 10 * time.Second}})
}
