package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/observatoire-scanner/observatoire/internal/atomicfile"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// catalogCommand is "observatoire catalog".
func catalogCommand() *command {
	return &command{
		name:    "catalog",
		summary: "build, check or print a catalogue of procedures",
		usage: `import|validate|show ...

  catalog import --tsv FILE|--csv FILE [-o OUT]
        turn the observatory's procedures.tsv, or a CSV export of its table,
        into a catalogue (YAML on stdout, or OUT)
  catalog validate FILE...
        check catalogues; every problem is printed as FILE:LINE: message
  catalog show
        print the catalogue built into the binary`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) == 0 {
					return usageError{"want import, validate or show"}
				}
				switch args[0] {
				case "import":
					return catalogImport(e, args[1:])
				case "validate":
					return catalogValidate(e, args[1:])
				case "show":
					if len(args) > 1 {
						return usageError{"show takes no argument"}
					}
					_, err := e.stdout.Write(catalog.DefaultYAML())
					return err
				}
				return usageError{fmt.Sprintf("unknown catalog command %q (want import, validate or show)", args[0])}
			}
		},
	}
}

func catalogImport(e *env, args []string) error {
	fs := flag.NewFlagSet("catalog import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	tsv := fs.String("tsv", "", "the observatory's procedures.tsv (jdma_product_id, last_seen, url)")
	csvFile := fs.String("csv", "", "a CSV export of the observatory's table (Ref_Demarche, Nom_Demarche, URL_Demarche, Dashlord_ID_JDMA...; ';' or ',')")
	out := fs.String("o", "", "write the catalogue to this file (default: stdout)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errFlagsReported
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("catalog import: unexpected argument %q", fs.Arg(0))}
	}
	if (*tsv == "") == (*csvFile == "") {
		return usageError{"catalog import: give one of --tsv FILE or --csv FILE"}
	}
	src, importer := *tsv, catalog.ImportTSV
	if *csvFile != "" {
		src, importer = *csvFile, catalog.ImportCSV
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	procs, warns, err := importer(src, f)
	f.Close()
	if err != nil {
		return err
	}
	for _, w := range warns {
		fmt.Fprintln(e.stderr, "warning:", w)
	}
	if len(procs) == 0 {
		return fmt.Errorf("catalog import: %s: no procedure to import", src)
	}
	header := fmt.Sprintf("Catalogue of %d procedures, imported from %s by\n`observatoire catalog import`. Format: docs/catalog.md.", len(procs), filepath.Base(src))
	var buf bytes.Buffer
	if err := catalog.Write(&buf, header, procs); err != nil {
		return err
	}
	// What is written must load: check it as `catalog validate` would.
	if _, err := catalog.Parse("imported catalogue", buf.Bytes()); err != nil {
		return fmt.Errorf("catalog import: the result does not validate:\n%w", err)
	}
	if *out == "" {
		_, err = e.stdout.Write(buf.Bytes())
		return err
	}
	if err := atomicfile.Write(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: %d procedures\n", *out, len(procs))
	return nil
}

func catalogValidate(e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"catalog validate: no file given"}
	}
	bad := 0
	for _, path := range args {
		cat, err := catalog.Load(path)
		var ce *catalog.Error
		switch {
		case errors.As(err, &ce):
			bad++
			for _, p := range ce.Problems {
				fmt.Fprintln(e.stderr, p)
			}
		case err != nil:
			bad++
			fmt.Fprintln(e.stderr, err)
		default:
			fmt.Fprintf(e.stdout, "%s: %d procedures, sha256 %s\n", path, len(cat.Procedures), cat.Hash)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d catalogues have problems", bad, len(args))
	}
	return nil
}
