package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/vulndb"
)

type dbOptions struct {
	dir        string
	source     string
	ecosystems []string
	configPath string
	format     string
	noProgress bool
}

func newDBCommand(g *globals) *cobra.Command {
	o := &dbOptions{}
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Build, update and inspect the local vulnerability database",
		Long: "db manages the vulnerability database that scan matches packages against. It is an\n" +
			"OSV-based file in the user cache directory (or --db-dir), built by import or update.",
	}
	cmd.PersistentFlags().StringVar(&o.dir, "db-dir", "",
		"vulnerability database directory (default: dockward/vulndb in the user cache directory)")
	cmd.AddCommand(newDBImportCommand(g, o), newDBUpdateCommand(g, o), newDBStatusCommand(g, o))
	return cmd
}

func newDBImportCommand(g *globals, o *dbOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import PATH|URL...",
		Short: "Build the database from OSV records, all.zip archives or Alpine secdb files",
		Long: "import builds a new database from every PATH: a directory of OSV JSON records or\n" +
			"Alpine secdb files (searched recursively, .zip archives included), an OSV all.zip\n" +
			"archive, a single JSON file, or an http(s) URL of an archive. The new database\n" +
			"replaces the old one only when every PATH was read; malformed records are\n" +
			"reported and skipped.",
		Example: "  dockward db import ./osv/Go/all.zip ./osv/Debian/all.zip\n" +
			"  dockward db import ./alpine-secdb/v3.20/main.json",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := o.databaseDir()
			if err != nil {
				return usageError(err)
			}
			b := vulndb.NewBuilder()
			client := &http.Client{Timeout: 10 * time.Minute}
			for _, path := range args {
				if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
					err = b.ImportURL(cmd.Context(), client, path, o.progress(g))
				} else {
					err = b.Import(cmd.Context(), path)
				}
				if err != nil {
					return &ExitError{Code: 2, Err: fmt.Errorf("%w; the database was not changed", err)}
				}
			}
			if b.Records() == 0 {
				printProblems(g.stderr, b.Problems())
				return &ExitError{Code: 2, Err: fmt.Errorf("no advisories found in %s; the database was not "+
					"changed (name directories or archives of OSV JSON records or Alpine secdb files)",
					strings.Join(args, ", "))}
			}
			info, err := b.Write(dir, time.Now())
			if err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			printProblems(g.stderr, b.Problems())
			return printBuilt(g.stdout, "imported", dir, info)
		},
	}
}

func newDBUpdateCommand(g *globals, o *dbOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download the configured ecosystems from OSV or a mirror and rebuild the database",
		Long: "update downloads SOURCE/ECOSYSTEM/all.zip for every ecosystem, checks each\n" +
			"archive's size and MD5 checksum when the server sends them, and replaces the\n" +
			"database only when all of them were imported, so a failed or interrupted update\n" +
			"keeps the old database.\n\n" +
			"Ecosystems and source come from the flags, then from vulnerabilities.ecosystems and\n" +
			"vulnerabilities.source in .dockward.yaml, then from the defaults.",
		Example: "  dockward db update\n" +
			"  dockward db update --ecosystem Debian --ecosystem Go\n" +
			"  dockward db update --source https://mirror.example.com/osv",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := o.databaseDir()
			if err != nil {
				return usageError(err)
			}
			cfg, err := o.config()
			if err != nil {
				return usageError(err)
			}
			opts := vulndb.UpdateOptions{
				Source:     firstNonEmpty(o.source, cfg.Vulnerabilities.Source),
				Ecosystems: o.ecosystems,
				Progress:   o.progress(g),
				Logger:     g.logger,
			}
			if len(opts.Ecosystems) == 0 {
				opts.Ecosystems = cfg.Vulnerabilities.Ecosystems
			}
			info, problems, err := vulndb.Update(cmd.Context(), dir, opts)
			if err != nil {
				return &ExitError{Code: 2, Err: fmt.Errorf("updating the vulnerability database: %w; "+
					"the database was not changed", err)}
			}
			printProblems(g.stderr, problems)
			return printBuilt(g.stdout, "updated", dir, info)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "",
		"base URL serving ECOSYSTEM/all.zip (default: "+vulndb.DefaultSource+")")
	f.StringSliceVar(&o.ecosystems, "ecosystem", nil,
		"OSV ecosystem to download, repeatable (default: "+strings.Join(vulndb.DefaultEcosystems, ", ")+")")
	f.StringVarP(&o.configPath, "config", "c", "", "configuration file (default: .dockward.yaml in the current directory)")
	f.BoolVar(&o.noProgress, "no-progress", false, "do not draw the download progress bar")
	return cmd
}

func newDBStatusCommand(g *globals, o *dbOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the database's sources, build time, age and advisories per ecosystem",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != "table" && o.format != "json" {
				return usageError(fmt.Errorf("invalid --format %q: use table or json", o.format))
			}
			dir, err := o.databaseDir()
			if err != nil {
				return usageError(err)
			}
			db, err := vulndb.Open(dir)
			if err != nil {
				return &ExitError{Code: 2, Err: err}
			}
			defer db.Close()
			return printStatus(g.stdout, db, o.format, time.Now())
		},
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "table", "output format: table or json")
	return cmd
}

func (o *dbOptions) databaseDir() (string, error) {
	if o.dir != "" {
		return o.dir, nil
	}
	return vulndb.DefaultDir()
}

func (o *dbOptions) config() (*config.Config, error) {
	if o.configPath != "" {
		return config.Load(o.configPath)
	}
	return config.Find(".")
}

func (o *dbOptions) progress(g *globals) io.Writer {
	if o.noProgress || g.quiet {
		return nil
	}
	return g.stderr
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// maxPrintedProblems bounds the skipped records listed on standard error.
const maxPrintedProblems = 20

func printProblems(w io.Writer, problems []finding.Problem) {
	for i, p := range problems {
		if i == maxPrintedProblems {
			fmt.Fprintf(w, "warning: %d more records skipped\n", len(problems)-i)
			break
		}
		fmt.Fprintf(w, "warning: %s: %s\n", p.Path, p.Reason)
	}
}

func printBuilt(w io.Writer, verb, dir string, info vulndb.Info) error {
	ecosystems := "ecosystems"
	if len(info.Ecosystems) == 1 {
		ecosystems = "ecosystem"
	}
	_, err := fmt.Fprintf(w, "%s %d advisories in %d %s into %s (%d withdrawn and %d malformed records skipped)\n",
		verb, info.Records, len(info.Ecosystems), ecosystems, dir, info.Withdrawn, info.Malformed)
	return err
}

// statusJSON is the JSON form of db status.
type statusJSON struct {
	Path string `json:"path"`
	vulndb.Info
	AgeHours float64 `json:"age_hours"`
	Stale    bool    `json:"stale"`
}

func printStatus(w io.Writer, db *vulndb.DB, format string, now time.Time) error {
	info := db.Info()
	age := now.Sub(info.Built)
	stale := age > vulndb.MaxAge

	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(statusJSON{Path: db.Path(), Info: info, AgeHours: age.Hours(), Stale: stale})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Database:\t%s\n", db.Path())
	fmt.Fprintf(tw, "Schema:\t%d\n", info.SchemaVersion)
	fmt.Fprintf(tw, "Built:\t%s (%s ago)\n", info.Built.Format("2006-01-02 15:04 MST"), humanAge(age))
	for i, s := range info.Sources {
		label := "Sources:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(tw, "%s\t%s\n", label, s)
	}
	fmt.Fprintf(tw, "Advisories:\t%d (%d withdrawn and %d malformed records skipped)\n",
		info.Records, info.Withdrawn, info.Malformed)

	fmt.Fprintf(tw, "\nEcosystem\tAdvisories\n")
	ecos := make([]string, 0, len(info.Ecosystems))
	for e := range info.Ecosystems {
		ecos = append(ecos, e)
	}
	slices.Sort(ecos)
	for _, e := range ecos {
		fmt.Fprintf(tw, "%s\t%d\n", e, info.Ecosystems[e])
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if stale {
		_, err := fmt.Fprintf(w, "\nwarning: the database is older than %d days; run `dockward db update`\n",
			int(vulndb.MaxAge.Hours()/24))
		return err
	}
	return nil
}

func humanAge(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
