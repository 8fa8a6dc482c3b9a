// Command observatoire scans online public procedures with a headless
// Chromium, rates them on the observatory's eight criteria and publishes
// the scorecards as static files.
//
// Each subcommand lives in its own file as one function, NAMECommand,
// that returns its *command: its name, its one-line summary, its usage,
// and its flags, which return the function that runs it. The commands are
// listed in one place, the commands function of main.go, in the order of
// the help; a new command is a new file plus one line there (no init
// function, no registration). main only dispatches and maps errors to exit
// codes: a package's error says what is wrong, the command adds which flag
// fixes it (usageError for a mistake in the command line).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in README.md.
const (
	exitOK = 0
	// exitGate: the CI gate failed (a regression).
	exitGate = 1
	// exitError: usage error, bad input, or a scan that could not run.
	exitError = 2
	// exitInterrupted: stopped by SIGINT/SIGTERM; finished work was kept.
	exitInterrupted = 130
)

// command is one subcommand.
type command struct {
	name    string
	summary string // one line, for the list of commands
	// usage is the synopsis after "observatoire NAME", e.g. "[flags] URL...".
	usage string
	// flags declares the command's flags on fs and returns the function
	// that runs it with the remaining arguments.
	flags func(fs *flag.FlagSet) func(ctx context.Context, env *env, args []string) error
}

// env is what a command writes to.
type env struct {
	stdout, stderr io.Writer
	// tty reports whether stdout is a terminal (colours, progress bars).
	tty bool
}

// commands lists every subcommand, in the order of the help.
func commands() []*command {
	return []*command{
		catalogCommand(),
		checkCommand(),
		ciCommand(),
		demoCommand(),
		diffCommand(),
		mergeCommand(),
		monitorCommand(),
		publishCommand(),
		scanCommand(),
		serveCommand(),
	}
}

// usageError is a mistake in the command line: exit 2 with the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCodeError carries an exit code other than exitError (the CI gate's
// 1) with its error, never nil: make it with exitWith.
type exitCodeError struct {
	code int
	err  error
}

func (e exitCodeError) Error() string { return e.err.Error() }
func (e exitCodeError) Unwrap() error { return e.err }

// exitWith gives err the exit code code. A nil err is a bug: it panics
// rather than exit with a code and no message.
func exitWith(code int, err error) error {
	if err == nil {
		panic("exitWith: nil error")
	}
	return exitCodeError{code: code, err: err}
}

// errFlagsReported says that the flag package has already printed the
// error and the usage: exit 2 without a message.
var errFlagsReported = errors.New("flags: error reported")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A second signal does not cut the shutdown short, which would leave
	// the browser and its profile behind: it only says what is going on.
	go func() {
		<-ctx.Done()
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		for range again {
			fmt.Fprintln(os.Stderr, "observatoire: stopping: closing the browser; finished work is kept")
		}
	}()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, tty: isTerminal(os.Stdout)}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run dispatches args and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(ctx, e, []string{args[1], "--help"})
		}
		mainUsage(e.stdout)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(e.stdout, "observatoire", version())
		return exitOK
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "observatoire: unknown command %q (see observatoire --help)\n", args[0])
		return exitError
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	runFn := cmd.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: observatoire %s %s\n\n%s\n", cmd.name, cmd.usage, cmd.summary)
		if hasFlags(fs) {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK
		}
		return exitError // flag already printed the error and usage
	}
	err := runFn(ctx, e, fs.Args())
	var ue usageError
	var ce exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "observatoire %s: %s\n", cmd.name, ue.msg)
		fmt.Fprintf(e.stderr, "Usage: observatoire %s %s (see --help)\n", cmd.name, cmd.usage)
		return exitError
	case ctx.Err() != nil:
		// Whatever failed once the signal came failed because of it: a
		// Ctrl-C reaches the whole process group, and a Chromium being
		// started dies of it before the scanner sees the context end.
		fmt.Fprintf(e.stderr, "observatoire %s: interrupted; finished work was kept\n", cmd.name)
		return exitInterrupted
	case errors.Is(err, errFlagsReported):
		return exitError
	case errors.As(err, &ce):
		fmt.Fprintf(e.stderr, "observatoire %s: %v\n", cmd.name, ce.err)
		return ce.code
	default:
		fmt.Fprintf(e.stderr, "observatoire %s: %v\n", cmd.name, err)
		return exitError
	}
}

func mainUsage(w io.Writer) {
	fmt.Fprintln(w, `observatoire rates online public procedures on the eight criteria of France's
observatory of online procedures, with a real browser, and publishes the
scorecards as static files.

Usage: observatoire COMMAND [flags] [arguments]

Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Run "observatoire COMMAND --help" for a command's flags.
Exit codes: 0 done, 1 the CI gate failed, 2 usage error or scan error,
130 interrupted.`)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
