// Package cli holds dockward's commands. Each file defines one command:
// flags become an options struct, and the work happens in the library.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/secrets"
)

// ExitError carries the exit status a command wants. Findings at or above
// --fail-on exit with 1; usage errors and unreadable inputs with 2.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// errFindings is returned when findings reach the --fail-on threshold. It
// prints nothing, because the report already lists the findings.
var errFindings = &ExitError{Code: 1}

// globals are the flags every command shares.
type globals struct {
	verbose bool
	quiet   bool
	logger  *slog.Logger
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

// NewRootCommand builds the dockward command tree.
func NewRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "dockward",
		Short: "Harden containers: Dockerfiles, runtime settings, kernel profiles, images and secrets",
		Long: "dockward finds what makes a container unsafe, from how its image is built to how it\n" +
			"is run, explains each finding and says how to fix it.",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			g.logger = newLogger(g.stderr, g.verbose, g.quiet)
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false,
		"log diagnostics, such as skipped files, on standard error")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false,
		"log only errors on standard error")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: 2, Err: err}
	})

	root.AddCommand(
		newCheckCommand(g),
		newAuditCommand(g),
		newExecCommand(g),
		newSecretsCommand(g),
		newRulesCommand(g),
		newVersionCommand(g),
		newSBOMCommand(g),
		newScanCommand(g),
		newDBCommand(g),
		newTraceCommand(g),
		newProfileCommand(g),
	)
	return root
}

func newLogger(w io.Writer, verbose, quiet bool) *slog.Logger {
	level := slog.LevelWarn
	switch {
	case quiet:
		level = slog.LevelError
	case verbose:
		level = slog.LevelDebug
	}
	return slog.New(secrets.NewRedactingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// Execute runs the command line and returns the process exit status.
func Execute(ctx context.Context, args []string) int {
	root := NewRootCommand(os.Stdin, os.Stdout, os.Stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(os.Stderr, "dockward: "+ee.Err.Error())
		}
		return ee.Code
	}
	fmt.Fprintln(os.Stderr, "dockward: "+err.Error())
	return 2
}

// usageError marks err as a usage error, which exits with status 2.
func usageError(err error) error { return &ExitError{Code: 2, Err: err} }
