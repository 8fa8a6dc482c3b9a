package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/observatory/site"
)

// publishCommand is "observatoire publish".
func publishCommand() *command {
	return &command{
		name:    "publish",
		summary: "publish every edition as a static site of scorecards",
		usage:   "[--data DIR] [--out DIR] [--site-config FILE]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			data := fs.String("data", "data", "data folder holding editions/NAME")
			out := fs.String("out", "public", "folder to write the site into (replaced if it holds a previous site)")
			siteConfig := fs.String("site-config", "", "YAML file of the site's page about the selection (about: TEXT, propose_url: URL); none by default")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) != 0 {
					return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
				}
				var opts site.Options
				if *siteConfig != "" {
					var err error
					if opts, err = site.LoadConfig(*siteConfig); err != nil {
						return fmt.Errorf("--site-config: %w", err)
					}
				}
				eds, err := loadEditions(*data)
				if err != nil {
					return err
				}
				if err := publishInto(eds, *out, opts); err != nil {
					return err
				}
				latest := eds[len(eds)-1]
				fmt.Fprintf(e.stdout, "Published %d edition(s), latest %s with %d procedures: %s\n",
					len(eds), latest.Meta.Name, len(latest.Results), filepath.Join(*out, "index.html"))
				return nil
			}
		},
	}
}

// loadEditions reads every edition under DATA/editions, oldest first (by
// start date, then name).
func loadEditions(data string) ([]*edition.Edition, error) {
	names, err := edition.List(data)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no edition under %s", filepath.Join(data, "editions"))
	}
	var eds []*edition.Edition
	for _, n := range names {
		ed, err := edition.Load(data, n)
		if err != nil {
			return nil, fmt.Errorf("edition %s: %w", n, err)
		}
		eds = append(eds, ed)
	}
	slices.SortStableFunc(eds, func(a, b *edition.Edition) int {
		if a.Meta.Started.IsZero() || b.Meta.Started.IsZero() {
			return 0
		}
		return a.Meta.Started.Compare(b.Meta.Started)
	})
	return eds, nil
}

// publishInto writes the site into a new folder beside out, then puts it in
// out's place, so that no stale page survives and a failed publish leaves
// the previous site whole. A folder that is not a previous site (nor
// empty) is never deleted.
func publishInto(eds []*edition.Edition, out string, opts site.Options) error {
	if err := replaceable(out); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), ".publish-")
	if err != nil {
		return err
	}
	if err := site.PublishOptions(eds, tmp, opts); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return os.Rename(tmp, out)
}

// replaceable reports an error unless out is absent, empty, or a site
// that publish wrote (it holds index.html and site.js).
func replaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	for _, f := range []string{"index.html", "site.js"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			return fmt.Errorf("--out %s: the folder is not empty and holds no published site; refusing to replace it", out)
		}
	}
	return nil
}
