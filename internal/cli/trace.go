package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/profile"
)

// workloadOptions are the flags that choose what to run for trace, profile
// generate and profile test: a local command after --, or a container image.
type workloadOptions struct {
	image   string
	network string
	runArgs []string
	timeout time.Duration
	binary  string
}

func (o *workloadOptions) addFlags(cmd *cobra.Command, withBinary bool) {
	f := cmd.Flags()
	f.StringVar(&o.image, "image", "",
		"run IMAGE on the Docker Engine; arguments after -- replace its CMD")
	f.StringVar(&o.network, "network", "none", "docker run --network value for --image")
	f.StringArrayVar(&o.runArgs, "run-arg", nil,
		"extra docker run flag for --image, such as --run-arg=--user=1000 (repeatable)")
	f.DurationVar(&o.timeout, "timeout", 2*time.Minute, "time limit of the run; the workload is killed after it")
	if withBinary {
		f.StringVar(&o.binary, "dockward-binary", "",
			"statically linked dockward to mount into the container (default: this executable)")
	}
}

func (o *workloadOptions) imageOptions(args []string) profile.ImageOptions {
	return profile.ImageOptions{
		Image:   o.image,
		Args:    args,
		Network: o.network,
		RunArgs: o.runArgs,
		Timeout: o.timeout,
		Binary:  o.binary,
	}
}

// trace runs the workload under ptrace and returns its trace.
func (o *workloadOptions) trace(ctx context.Context, args []string) (*profile.Trace, error) {
	if o.image != "" {
		return profile.TraceImage(ctx, o.imageOptions(args))
	}
	if len(args) == 0 {
		return nil, usageError(errors.New("no command to trace: give one after --, or use --image"))
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	return profile.Run(ctx, profile.Options{
		Command: args,
		Stdin:   os.Stdin,
		Stdout:  os.Stderr,
		Stderr:  os.Stderr,
	})
}

type traceOptions struct {
	workload workloadOptions
	output   string
}

func newTraceCommand(g *globals) *cobra.Command {
	o := &traceOptions{}
	cmd := &cobra.Command{
		Use:   "trace [flags] (--image IMAGE [-- ARG...] | -- COMMAND [ARG...])",
		Short: "Run a program or container under ptrace and record what it does",
		Long: "trace runs a program under ptrace, following forks, threads and execs, and writes a\n" +
			"JSON trace: syscalls per architecture, files opened with their access, executed\n" +
			"binaries, socket families, and calls that failed with EPERM or EACCES.\n\n" +
			"With --image, the container runs with --network none unless --network says otherwise,\n" +
			"and dockward's own static binary is mounted into it to wrap the image's entrypoint\n" +
			"for this run only. The program's output goes to standard error.",
		Example: "  dockward trace -o ls.json -- ls -l /\n" +
			"  dockward trace --image myapp:1.0 -o app.json -- --selftest",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTrace(cmd.Context(), g, o, args)
		},
	}
	o.workload.addFlags(cmd, true)
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the trace to FILE instead of standard output")
	return cmd
}

func runTrace(ctx context.Context, g *globals, o *traceOptions, args []string) error {
	t, err := o.workload.trace(ctx, args)
	if err != nil {
		return err
	}
	if t.TimedOut {
		g.logger.Warn("time limit reached; the trace is incomplete", "timeout", o.workload.timeout)
	}
	return writeTo(g.stdout, o.output, t.Write)
}

// writeTo writes with write to path, or to stdout when path is empty.
func writeTo(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %q: %w", path, err)
	}
	return f.Close()
}
