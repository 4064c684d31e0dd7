package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/report"
	"github.com/dockward/dockward/internal/rules"
	"github.com/dockward/dockward/internal/secrets"
)

// outputOptions are the flags of every command that writes a report.
type outputOptions struct {
	format   string
	output   string
	failOn   string
	severity string
	color    string
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions) {
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "table",
		"report format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&o.failOn, "fail-on", "high",
		"exit with status 1 when an unsuppressed finding is at or above this severity "+
			"(critical, high, medium, low, info, unknown), or never with none")
	f.StringVar(&o.severity, "severity", "unknown",
		"show only findings at or above this severity; --fail-on still sees all")
	f.StringVar(&o.color, "color", "auto", "colour the table: auto (only on a terminal), always, never")
}

// validate checks the output flags before any work starts.
func (o *outputOptions) validate() error {
	if !containsFold(report.Formats, o.format) {
		return usageError(fmt.Errorf("invalid --format %q: use one of %s", o.format,
			strings.Join(report.Formats, ", ")))
	}
	if _, err := o.threshold(); err != nil {
		return usageError(err)
	}
	if _, err := finding.ParseSeverity(o.severity); err != nil {
		return usageError(fmt.Errorf("invalid --severity: %w", err))
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return usageError(fmt.Errorf("invalid --color %q: use auto, always or never", o.color))
	}
	return nil
}

func (o *outputOptions) threshold() (*finding.Severity, error) {
	if strings.EqualFold(o.failOn, "none") {
		return nil, nil
	}
	s, err := finding.ParseSeverity(o.failOn)
	if err != nil {
		return nil, fmt.Errorf("invalid --fail-on: %w, or none", err)
	}
	return &s, nil
}

// write formats the report to standard output or --output, then returns
// errFindings when the report fails the threshold.
func (o *outputOptions) write(g *globals, rep *finding.Report) error {
	rep.Tool = finding.Tool{Name: "dockward", Version: version()}
	// Problem reasons quote the input and library errors, which can carry
	// a secret. Rules redact what they put in findings themselves.
	for i := range rep.Problems {
		rep.Problems[i].Reason = secrets.RedactText(rep.Problems[i].Reason)
	}
	threshold, _ := o.threshold()
	fails := rep.Fails(threshold)

	minSev, _ := finding.ParseSeverity(o.severity)
	shown := *rep
	if minSev > finding.Unknown {
		shown.Findings = nil
		for _, f := range rep.Findings {
			if f.Severity >= minSev {
				shown.Findings = append(shown.Findings, f)
			}
		}
		shown.Summarize()
		shown.Summary.Hidden = len(rep.Findings) - len(shown.Findings)
	}

	opts := report.Options{Rules: ruleDocs()}
	render := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := report.Write(bw, o.format, &shown, opts); err != nil {
			return err
		}
		return bw.Flush()
	}
	if o.output == "" {
		opts.Color = o.color == "always" || (o.color == "auto" && isTerminal(g.stdout))
		if err := render(g.stdout); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
	} else {
		opts.Color = o.color == "always"
		if err := writeFileAtomic(o.output, render); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
	}
	if err := fatalError(rep.Problems); err != nil {
		return err
	}
	if fails {
		return errFindings
	}
	return nil
}

// fatalError returns exit status 2 for the first fatal problem, such as
// a missing layer or a digest that does not match, once the output is
// written.
func fatalError(problems []finding.Problem) error {
	for _, p := range problems {
		if p.Fatal {
			return &ExitError{Code: 2, Err: fmt.Errorf("%s could not be checked: %s", p.Path, p.Reason)}
		}
	}
	return nil
}

// writeFileAtomic replaces path only once the whole report is written, so
// an interrupted run never leaves half a report or loses the old one. A
// path that exists and is not a regular file, such as /dev/null or a named
// pipe, is written in place: renaming over it would replace the device.
func writeFileAtomic(path string, render func(io.Writer) error) error {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		if info.IsDir() {
			return fmt.Errorf("writing report %q: it is a directory; name a file", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return fmt.Errorf("writing report %q: %w", path, err)
		}
		if err := render(f); err != nil {
			f.Close()
			return fmt.Errorf("writing report %q: %w", path, err)
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("writing report %q: directory %q does not exist; create it first", path, dir)
	}
	tmp, err := os.CreateTemp(dir, ".dockward-report-*")
	if err != nil {
		return fmt.Errorf("writing report %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := render(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing report %q: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing report %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing report %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing report %q: %w", path, err)
	}
	return nil
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func ruleDocs() map[string]finding.RuleDoc {
	docs := map[string]finding.RuleDoc{}
	for _, r := range rules.Registry().All() {
		docs[r.ID] = finding.RuleDoc{ID: r.ID, Slug: r.Slug, Title: r.Title,
			Description: r.Description, Fix: r.Fix, HelpURI: r.DocsURL(),
			Severity: r.Severity, Tags: []string{string(r.Kind)}}
	}
	return docs
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
