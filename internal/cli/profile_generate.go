package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/profile"
)

type profileGenerateOptions struct {
	workload  workloadOptions
	traceFile string
	output    string
	// seccomp
	allow          []string
	measureRuntime bool
	// AppArmor
	name string
}

func newProfileGenerateCommand(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate (seccomp | apparmor)",
		Short: "Write a seccomp or AppArmor profile from what a program does",
		Long: "generate writes a profile from a trace: a file written by dockward trace (--trace),\n" +
			"a container image traced now (--image IMAGE [-- ARG...]), or a local command\n" +
			"traced now (-- COMMAND [ARG...]).",
	}
	cmd.AddCommand(newGenerateSeccompCommand(g), newGenerateAppArmorCommand(g))
	return cmd
}

func (o *profileGenerateOptions) addFlags(cmd *cobra.Command) {
	o.workload.addFlags(cmd, true)
	cmd.Flags().StringVar(&o.traceFile, "trace", "", "read the trace from FILE (written by dockward trace)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the profile to FILE instead of standard output")
}

func newGenerateSeccompCommand(g *globals) *cobra.Command {
	o := &profileGenerateOptions{}
	cmd := &cobra.Command{
		Use:   "seccomp [flags] (--trace FILE | --image IMAGE [-- ARG...] | -- COMMAND [ARG...])",
		Short: "Write the smallest seccomp allow-list that runs the traced program",
		Long: "seccomp writes a Docker seccomp profile whose default action fails every syscall\n" +
			"with EPERM and that allows the syscalls in the trace, on the architectures the trace\n" +
			"saw, plus those the container runtime makes after it installs the filter (the list\n" +
			"that lint rule SC003 checks, and the calls of runc's Go runtime).\n\n" +
			"With --image, the runtime's calls are also measured on the engine (needs root;\n" +
			"--measure-runtime=false skips it). Test the result with dockward profile test.",
		Example: "  dockward profile generate seccomp --image myapp:1.0 -o myapp.json\n" +
			"  dockward profile generate seccomp --trace app.json --allow clock_nanosleep",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerateSeccomp(cmd.Context(), g, o, args)
		},
	}
	o.addFlags(cmd)
	cmd.Flags().StringSliceVar(&o.allow, "allow", nil, "also allow these syscalls (comma-separated, repeatable)")
	cmd.Flags().BoolVar(&o.measureRuntime, "measure-runtime", true,
		"with --image, measure the runtime's calls after the filter is installed")
	return cmd
}

func newGenerateAppArmorCommand(g *globals) *cobra.Command {
	o := &profileGenerateOptions{}
	cmd := &cobra.Command{
		Use:   "apparmor [flags] --name NAME (--trace FILE | --image IMAGE [-- ARG...] | -- COMMAND [ARG...])",
		Short: "Write an AppArmor profile from what the traced program did",
		Long: "apparmor writes an AppArmor profile that allows the files, executables, sockets and\n" +
			"capabilities the trace shows, with paths that change between runs written as globs,\n" +
			"and keeps deny rules for writes to /proc and /sys and for mount. Compile it with\n" +
			"apparmor_parser -Q to check it without loading it.",
		Example: "  dockward profile generate apparmor --name myapp --image myapp:1.0 -o myapp.aa",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGenerateAppArmor(cmd.Context(), g, o, args)
		},
	}
	o.addFlags(cmd)
	cmd.Flags().StringVar(&o.name, "name", "", "profile name, used as --security-opt apparmor=NAME (required)")
	return cmd
}

// loadTrace reads --trace, or traces the workload now.
func (o *profileGenerateOptions) loadTrace(ctx context.Context, args []string) (*profile.Trace, error) {
	if o.traceFile == "" {
		return o.workload.trace(ctx, args)
	}
	if o.workload.image != "" || len(args) > 0 {
		return nil, usageError(errors.New("--trace reads a recorded trace: drop --image and the command"))
	}
	f, err := os.Open(o.traceFile)
	if err != nil {
		return nil, &ExitError{Code: 2, Err: err}
	}
	defer f.Close()
	t, err := profile.ReadTrace(f)
	if err != nil {
		return nil, &ExitError{Code: 2, Err: fmt.Errorf("reading %q: %w", o.traceFile, err)}
	}
	return t, nil
}

func runGenerateSeccomp(ctx context.Context, g *globals, o *profileGenerateOptions, args []string) error {
	t, err := o.loadTrace(ctx, args)
	if err != nil {
		return err
	}
	warnIncomplete(g, t)

	opts := profile.SeccompOptions{Startup: profile.StartupSyscalls(), Extra: o.allow}
	if o.workload.image != "" && o.measureRuntime {
		calls, err := profile.MeasureRuntimeCalls(ctx, o.workload.imageOptions(args))
		if err != nil {
			g.logger.Warn("measuring the runtime's calls failed; using the built-in start-up list",
				"error", err)
		}
		opts.Extra = append(opts.Extra, calls...)
	}
	p, err := profile.GenerateSeccomp(t, opts)
	if err != nil {
		return err
	}
	return writeTo(g.stdout, o.output, func(w io.Writer) error { return profile.WriteSeccomp(w, p) })
}

func runGenerateAppArmor(ctx context.Context, g *globals, o *profileGenerateOptions, args []string) error {
	if o.name == "" {
		return usageError(errors.New("missing --name: the AppArmor profile needs a name"))
	}
	t, err := o.loadTrace(ctx, args)
	if err != nil {
		return err
	}
	warnIncomplete(g, t)
	return writeTo(g.stdout, o.output, func(w io.Writer) error {
		return profile.GenerateAppArmor(w, t, profile.AppArmorOptions{Name: o.name})
	})
}

func warnIncomplete(g *globals, t *profile.Trace) {
	if t.TimedOut {
		g.logger.Warn("the traced run hit its time limit, so the profile may miss calls made later")
	}
	if t.ExitCode != 0 {
		g.logger.Warn("the traced program did not exit with status 0, so the profile may miss calls",
			"exit_code", t.ExitCode, "signal", t.Signal)
	}
}
