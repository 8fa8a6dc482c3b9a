package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/olekukonko/tablewriter"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// diffCommand is "observatoire diff".
func diffCommand() *command {
	return &command{
		name:    "diff",
		summary: "compare two editions, per criterion and per procedure",
		usage:   "[--data DIR] [--format table|json] A B",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := fs.String("data", "data", "data folder holding editions/NAME")
			format := fs.String("format", "table", "output: table or json")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) != 2 {
					return usageError{"want two editions (names under DATA/editions, or folders)"}
				}
				if *format != "table" && *format != "json" {
					return usageError{fmt.Sprintf("--format %q: want table or json", *format)}
				}
				a, err := loadEditionArg(*data, args[0])
				if err != nil {
					return err
				}
				b, err := loadEditionArg(*data, args[1])
				if err != nil {
					return err
				}
				d := edition.Compare(a, b)
				if *format == "json" {
					return writeJSON(e.stdout, d)
				}
				return printDiff(e.stdout, d)
			}
		},
	}
}

// loadEditionArg reads an edition given by name (under DATA/editions) or,
// when arg is a folder holding a meta.json, by its folder.
func loadEditionArg(data, arg string) (*edition.Edition, error) {
	if strings.ContainsRune(arg, filepath.Separator) || strings.HasPrefix(arg, ".") {
		return edition.LoadDir(arg)
	}
	if _, err := os.Stat(filepath.Join(arg, "meta.json")); err == nil {
		return edition.LoadDir(arg)
	}
	return edition.Load(data, arg)
}

func printDiff(w io.Writer, d *edition.Diff) error {
	fmt.Fprintf(w, "%s → %s: share of procedures at each level (points of change)\n", d.A, d.B)
	t := tablewriter.NewWriter(w)
	header := []any{"Critère"}
	for _, l := range edition.Levels {
		header = append(header, l.Word())
	}
	t.Header(header...)
	for _, c := range d.Criteria {
		row := []string{c.ID.Title()}
		for _, s := range c.Levels {
			row = append(row, fmt.Sprintf("%s → %s (%s)", pct(s.A), pct(s.B), points(s.Change)))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if len(d.Procedures) == 0 {
		fmt.Fprintln(w, "\nNo verdict changed.")
	} else {
		fmt.Fprintf(w, "\n%d procedures changed:\n", len(d.Procedures))
	}
	for _, p := range d.Procedures {
		fmt.Fprintf(w, "%s %s\n", p.ID, p.Title)
		for _, c := range p.Changes {
			fmt.Fprintf(w, "  %s: %s -> %s\n", c.Criterion, label(c.From, c.FromLevel), label(c.To, c.ToLevel))
		}
	}
	if len(d.Added) > 0 {
		fmt.Fprintf(w, "\nOnly in %s: %s\n", d.B, strings.Join(d.Added, ", "))
	}
	if len(d.Removed) > 0 {
		fmt.Fprintf(w, "Only in %s: %s\n", d.A, strings.Join(d.Removed, ", "))
	}
	return nil
}

func label(text string, l criteria.Level) string {
	if text == "" {
		return l.Word()
	}
	return text
}

func pct(v float64) string { return criteria.Decimal(v, 1) + " %" }

func points(v float64) string {
	s := criteria.Decimal(v, 1)
	if v > 0.05 {
		s = "+" + s
	}
	if s == "-0,0" {
		s = "0,0"
	}
	return s + " pt"
}
