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
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/observatory/gate"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// ciCommand is "observatoire ci".
func ciCommand() *command {
	return &command{
		name:    "ci",
		summary: "CI gate: fail the build when a change makes a procedure less accessible",
		usage:   "[flags] [URL...]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			f := &ciFlags{}
			f.register(fs)
			return func(ctx context.Context, e *env, args []string) error { return f.run(ctx, e, fs, args) }
		},
	}
}

// ciFlags are the flags of ci.
type ciFlags struct {
	scan                         scanFlags
	config, baseline             string
	update                       bool
	runs                         int
	junit, sarif, json, markdown string
}

func (f *ciFlags) register(fs *flag.FlagSet) {
	f.scan.register(fs)
	fs.StringVar(&f.config, "config", gate.DefaultConfigFile, "the gate's config (YAML); the defaults apply when the default file is absent")
	fs.StringVar(&f.baseline, "baseline", "", "baseline file (default: the config's, else "+gate.DefaultBaselineFile+")")
	fs.BoolVar(&f.update, "update-baseline", false, "write the current findings to the baseline file and exit 0")
	fs.IntVar(&f.runs, "runs", 1, "scan each page N times and keep what the majority of runs saw")
	fs.StringVar(&f.junit, "junit", "", "write a JUnit XML report to FILE")
	fs.StringVar(&f.sarif, "sarif", "", "write a SARIF 2.1.0 log of the new violations to FILE")
	fs.StringVar(&f.json, "json", "", "write the full report as JSON to FILE")
	fs.StringVar(&f.markdown, "markdown", "", "write a Markdown summary (for a merge request comment) to FILE")
}

// run runs the gate on args, the URLs given besides the config's.
func (f *ciFlags) run(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if f.runs < 1 {
		return usageError{fmt.Sprintf("--runs %d: want 1 or more", f.runs)}
	}
	explicit := false
	fs.Visit(func(fl *flag.Flag) { explicit = explicit || fl.Name == "config" })
	cfg, err := gate.LoadConfig(f.config)
	switch {
	case errors.Is(err, gate.ErrNoConfig) && !explicit:
		cfg = gate.DefaultConfig()
	case err != nil:
		return err
	}
	if f.baseline != "" {
		cfg.Baseline = f.baseline
	}
	if cfg.Baseline == "" {
		cfg.Baseline = gate.DefaultBaselineFile
	}
	for _, u := range args {
		if msg := catalog.CheckURL(u); msg != "" {
			return usageError{msg}
		}
		cfg.URLs = append(cfg.URLs, gate.URL{URL: u})
	}
	targets, err := cfg.Targets()
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return usageError{"no URL: give URLs, or list them in " + f.config}
	}
	// With --update-baseline the old baseline is read too: the new one
	// keeps its fingerprints (a version-1 file is so migrated); one that
	// cannot be read is replaced.
	base, err := gate.LoadBaseline(cfg.Baseline)
	if err != nil && !errors.Is(err, gate.ErrNoBaseline) {
		if !f.update {
			return err
		}
		fmt.Fprintf(e.stderr, "observatoire ci: ancienne référence illisible, remplacée : %v\n", err)
		base = nil
	}

	opts := f.scan.options()
	opts.NoScreenshots = true
	obs, err := observe(ctx, opts, targets, f.runs)
	if err != nil {
		return err
	}
	if len(obs.Broken) > 0 {
		return fmt.Errorf("the scan could not run, the gate cannot judge: %d page(s) not scanned: %s", len(obs.Broken), strings.Join(obs.Broken, "; "))
	}
	now := time.Now()
	if f.update {
		b := gate.NewBaseline(obs, now)
		kept := b.KeepFingerprints(base)
		if err := b.Save(cfg.Baseline); err != nil {
			return err
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
	if err := f.writeReports(rep); err != nil {
		return err
	}
	if !rep.Pass {
		return exitWith(exitGate, fmt.Errorf("the gate failed: %d regression(s)", len(rep.Failures)))
	}
	return nil
}

// writeReports writes the report files asked for: JUnit, SARIF, JSON,
// Markdown.
func (f *ciFlags) writeReports(rep *gate.Report) error {
	outputs := []struct {
		file  string
		write func(io.Writer) error
	}{
		{f.junit, func(w io.Writer) error { return gate.WriteJUnit(w, rep) }},
		{f.sarif, func(w io.Writer) error { return gate.WriteSARIF(w, rep, scanner.Version) }},
		{f.json, func(w io.Writer) error { return writeJSON(w, rep) }},
		{f.markdown, func(w io.Writer) error { return gate.WriteMarkdown(w, rep) }},
	}
	for _, o := range outputs {
		if o.file == "" {
			continue
		}
		var buf bytes.Buffer
		if err := o.write(&buf); err != nil {
			return err
		}
		if err := os.WriteFile(o.file, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
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
