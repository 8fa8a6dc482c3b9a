package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/olekukonko/tablewriter"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// scanURLs scans urls at once with one scanner, keeping their order.
func scanURLs(ctx context.Context, opts scanner.Options, urls []string) ([]*scanner.Snapshot, error) {
	sc, err := startScanner(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	return sc.ScanAll(ctx, urls)
}

// printSnapshots prints one row per page (status, timings, elements, axe
// failures), then the reason of every page that did not load fully.
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
