package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory/monitor"
)

// defaultMonitorListen is where the monitor serves /metrics and /healthz:
// loopback only, unless told otherwise (9464: Prometheus's conventional
// exporter port).
const defaultMonitorListen = "127.0.0.1:9464"

// monitorCommand is `observatoire monitor` and `observatoire monitor report`.
func monitorCommand() *command {
	return &command{
		name:    "monitor",
		summary: "watch the procedures' availability (a long-running process), or print a quarter's uptime (monitor report)",
		usage:   "[--catalog FILE] [--data DIR] [--interval 1m] [--listen 127.0.0.1:9464] | report --quarter 2026-Q4 [--data DIR]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			catalog := fs.String("catalog", "", "catalogue file (default: the one built in, see `catalog show`)")
			data := fs.String("data", "data", "data folder; the samples go to DATA/monitor")
			interval := fs.Duration("interval", time.Minute, "time between two probes of each procedure (from 10ms to 24h)")
			timeout := fs.Duration("timeout", 0, "bound on each probe (default: 15s, at most --interval)")
			listen := fs.String("listen", defaultMonitorListen, "address of /metrics and /healthz (\"off\": none)")
			perHost := fs.Int("per-host", 1, "probes of one host at once")
			jitter := fs.Float64("jitter", 0.5, "share of --interval over which each round's probes start at random (0 to 1)")
			syncEvery := fs.Duration("sync", time.Minute, "longest time between two fsyncs of the sample files")
			refusePrivate := fs.Bool("refuse-private", false, "refuse URLs on private, loopback or link-local addresses (catalogues from untrusted sources)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					if args[0] == "report" {
						return monitorReport(e, args[1:], *data)
					}
					return usageError{fmt.Sprintf("unexpected argument %q (the only subcommand is report)", args[0])}
				}
				switch {
				case *interval < 10*time.Millisecond || *interval > 24*time.Hour:
					return usageError{fmt.Sprintf("--interval %s: want from 10ms to 24h", *interval)}
				case *timeout < 0:
					return usageError{fmt.Sprintf("--timeout %s: must be positive", *timeout)}
				case *perHost < 1:
					return usageError{fmt.Sprintf("--per-host %d: must be at least 1", *perHost)}
				case *jitter < 0 || *jitter > 1:
					return usageError{fmt.Sprintf("--jitter %v: want from 0 to 1", *jitter)}
				case *syncEvery <= 0:
					return usageError{fmt.Sprintf("--sync %s: must be positive", *syncEvery)}
				}
				if *listen != "off" {
					if _, _, err := net.SplitHostPort(*listen); err != nil {
						return usageError{fmt.Sprintf("--listen %q: want HOST:PORT, e.g. %s, or off", *listen, defaultMonitorListen)}
					}
				}
				cat, err := loadCatalogFlag(*catalog)
				if err != nil {
					return err
				}
				var targets []monitor.Target
				for _, p := range cat.Procedures {
					targets = append(targets, monitor.Target{ID: p.ID, URL: p.URL})
				}
				o := monitor.Options{Interval: *interval, Timeout: *timeout, Jitter: *jitter, PerHost: *perHost,
					SyncEvery: *syncEvery, RefusePrivate: *refusePrivate}
				if *jitter == 0 {
					o.Jitter = -1
				}
				o.OnRound = func(r monitor.Round) {
					if r.NoNetwork {
						fmt.Fprintf(e.stderr, "monitor: round %d at %s: no host answered: counted as a gap (no network?)\n",
							r.N, r.Start.UTC().Format(time.RFC3339))
					}
					if r.Elapsed > *interval {
						fmt.Fprintf(e.stderr, "monitor: round %d took %s, more than --interval %s\n", r.N, r.Elapsed.Round(time.Millisecond), *interval)
					}
				}
				m, err := monitor.New(*data, targets, o)
				if err != nil {
					return err
				}
				where := "no metrics (--listen off)"
				if *listen != "off" {
					ln, err := net.Listen("tcp", *listen)
					if err != nil {
						return fmt.Errorf("--listen: %w", err)
					}
					srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
					go srv.Serve(ln)
					defer srv.Close()
					where = "metrics on http://" + ln.Addr().String() + "/metrics, health on /healthz"
				}
				fmt.Fprintf(e.stderr, "monitor: %d procedures of %s every %s into %s; %s\n",
					len(targets), cat.Name, *interval, monitor.Dir(*data), where)
				if err := m.Run(ctx); err != nil {
					return err
				}
				fmt.Fprintln(e.stderr, "monitor: stopped; the samples written are kept")
				return nil
			}
		},
	}
}

// monitorReport is "monitor report": the quarter's uptime table.
func monitorReport(e *env, args []string, data string) error {
	fs := flag.NewFlagSet("monitor report", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	quarter := fs.String("quarter", "", "quarter, e.g. 2026-Q4 (required)")
	fs.StringVar(&data, "data", data, "data folder holding DATA/monitor")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{"report: " + err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("report: unexpected argument %q", fs.Arg(0))}
	}
	if *quarter == "" {
		return usageError{"report: --quarter YEAR-QN is required"}
	}
	q, err := monitor.ParseQuarter(*quarter)
	if err != nil {
		return usageError{"report: --quarter: " + err.Error()}
	}
	sums, err := monitor.Report(data, q, time.Now())
	if err != nil {
		return err
	}
	if len(sums) == 0 {
		return fmt.Errorf("no monitor sample for %s in %s", q, monitor.Dir(data))
	}
	return printMonitorReport(e, q, sums)
}

// printMonitorReport prints one row per procedure.
func printMonitorReport(e *env, q monitor.Quarter, sums []monitor.Summary) error {
	s0 := sums[0]
	fmt.Fprintf(e.stdout, "Disponibilité %s, du %s au %s (UTC), mesurée par %s\n\n", q,
		s0.From.Format("02/01/2006 15:04"), s0.To.Format("02/01/2006 15:04"), monitor.Source)
	t := tablewriter.NewTable(e.stdout, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header([]string{"Démarche", "Disponibilité", "Mesures", "Indisponible", "Premier octet moyen", "Médian", "Couverture", "Arrêts du suivi", "Coupures réseau"})
	for _, s := range sums {
		up := "Non mesuré"
		if s.Up+s.Down > 0 {
			up = criteria.Decimal(s.Uptime(), 2) + " %"
		}
		ttfb, median := "–", "–"
		if s.Up > 0 {
			ttfb, median = milliseconds(s.MeanTTFB), milliseconds(s.MedianTTFB)
		}
		stops := fmt.Sprint(s.Interruptions)
		if s.Interruptions > 0 {
			stops += " (max " + shortDuration(s.Longest) + ")"
		}
		if err := t.Append([]string{s.ID, up, fmt.Sprint(s.Up + s.Down), fmt.Sprint(s.Down), ttfb, median,
			criteria.Decimal(s.Coverage(), 1) + " % (" + shortDuration(s.Covered) + ")", stops, shortDuration(s.NoNetworkTime)}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nDisponibilité : part des mesures en 2xx/3xx, arrêts du suivi et coupures réseau exclus.")
	fmt.Fprintln(e.stdout, "Couverture : part de la période couverte par ces mesures (et sa durée).")
	var dropped int
	for _, s := range sums {
		dropped += s.Dropped
	}
	if dropped > 0 {
		fmt.Fprintf(e.stdout, "%d enregistrement(s) tronqué(s) ou illisible(s) ignoré(s).\n", dropped)
	}
	return nil
}

// milliseconds prints a time to first byte: a decimal below 10 ms.
func milliseconds(ms float64) string {
	if ms < 10 {
		return criteria.Decimal(ms, 1) + " ms"
	}
	return criteria.Decimal(ms, 0) + " ms"
}

// shortDuration is a duration rounded for a table: "0", "45s", "2h10m".
func shortDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}
