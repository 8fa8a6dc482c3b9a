package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// mergeCommand is "observatoire merge".
func mergeCommand() *command {
	return &command{
		name:    "merge",
		summary: "merge the shards of an edition (scan --shard K/N) into one edition",
		usage:   "--edition NAME [--data DIR] [--catalog FILE] [--replace]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			catalogPath := fs.String("catalog", "", "the catalogue the shards scanned (default: the one built in)")
			name := fs.String("edition", "", "edition name, e.g. 2026-Q4 (required): merges DATA/editions/NAME.shard-K-of-N into DATA/editions/NAME")
			data := fs.String("data", "data", "data folder holding the shards")
			replace := fs.Bool("replace", false, "replace DATA/editions/NAME when it exists")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
				}
				if err := checkEditionFlag(*name); err != nil {
					return err
				}
				cat, err := loadCatalogFlag(*catalogPath)
				if err != nil {
					return err
				}
				sum, err := edition.Merge(edition.MergeOptions{DataDir: *data, Edition: *name, Catalog: cat, Replace: *replace})
				switch {
				case errors.Is(err, edition.ErrExists):
					return fmt.Errorf("%w: remove it, or merge with --replace", err)
				case errors.Is(err, edition.ErrOtherCatalog):
					return fmt.Errorf("%w: give merge the --catalog that scan had", err)
				case err != nil:
					return err
				}
				fmt.Fprintf(e.stdout, "Edition %s (%s): %d shards merged, %d procedures — %d measured, %d failed\n",
					*name, sum.Dir, sum.Shards, sum.Total, sum.Measured, sum.Failed)
				return nil
			}
		},
	}
}
