package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// serveCommand is "observatoire serve".
func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "preview a published site on 127.0.0.1",
		usage:   "[--addr 127.0.0.1:8080] DIR",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			addr := fs.String("addr", "127.0.0.1:8080", "address to listen on: loopback only (127.0.0.1, ::1, localhost); port 0 picks a free one")
			return func(ctx context.Context, e *env, args []string) error {
				// Flags may follow the folder: "serve public/ --addr ...".
				if len(args) > 1 {
					if err := fs.Parse(args[1:]); err != nil {
						return usageError{err.Error()}
					}
					args = append(args[:1], fs.Args()...)
				}
				if len(args) != 1 {
					return usageError{"want one folder (the output of publish)"}
				}
				if err := loopback(*addr); err != nil {
					return usageError{err.Error()}
				}
				dir := args[0]
				if st, err := os.Stat(dir); err != nil || !st.IsDir() {
					return fmt.Errorf("%s: not a folder", dir)
				}
				return serve(ctx, e, dir, *addr)
			}
		},
	}
}

// loopback refuses an address that other machines could reach: the
// preview is for the person who published.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q: only a loopback address (127.0.0.1, ::1, localhost) is allowed", addr)
}

// serve serves dir on addr until ctx ends.
func serve(ctx context.Context, e *env, dir, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	files := http.FileServer(http.Dir(dir))
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Content-Type-Options", "nosniff")
			files.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(e.stdout, "Serving %s on http://%s/ (Ctrl+C to stop)\n", dir, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
