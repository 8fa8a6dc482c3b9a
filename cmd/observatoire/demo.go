package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/observatoire-scanner/observatoire/fixtures"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "serve the fixture web on 127.0.0.1, scan it and print the table",
		usage:   "[flags]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			var sf scanFlags
			sf.register(fs)
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageError{"demo takes no arguments"}
				}
				web, err := fixtures.Start()
				if err != nil {
					return err
				}
				defer web.Close()
				var urls []string
				for _, p := range web.Pages() {
					urls = append(urls, web.Page(p))
				}
				urls = append(urls, web.Page("/status/500"), web.Page("/redirect?n=2&page=good.html"))
				fmt.Fprintf(e.stdout, "Fixture web on %s: scanning %d pages\n", web.URL, len(urls))
				opts := sf.options()
				opts.NoScreenshots = true
				snaps, err := scanURLs(ctx, opts, urls)
				if err != nil {
					return err
				}
				return printSnapshots(e.stdout, snaps)
			}
		},
	})
}
