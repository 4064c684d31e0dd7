package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/profile"
)

type profileTestOptions struct {
	workload workloadOptions
	format   string
	// execFilter makes the command the helper that VerifyCommand runs:
	// install the BPF program in this file and execute the arguments.
	execFilter string
}

func newProfileTestCommand(g *globals) *cobra.Command {
	o := &profileTestOptions{}
	cmd := &cobra.Command{
		Use:   "test PROFILE (--image IMAGE [-- ARG...] | -- COMMAND [ARG...])",
		Short: "Run a workload under a profile and report what it denied",
		Long: "test runs the workload under a seccomp PROFILE and reports whether it started, its\n" +
			"exit status and which syscalls the profile denied, marking those the runtime made\n" +
			"before it executed the workload.\n\n" +
			"With --image, the container starts in a frozen cgroup and dockward traces the\n" +
			"runtime from the host before it installs the filter, so the profile may deny\n" +
			"ptrace inside the container. This needs root on the Docker host. A local command\n" +
			"runs under the profile compiled to a seccomp filter, which dockward installs with\n" +
			"no_new_privs before it executes the command. An AppArmor PROFILE is compiled with\n" +
			"apparmor_parser -Q, since a kernel without AppArmor cannot load it.\n\n" +
			"Exit status: 0 when the workload started and exited with status 0, 1 when it did\n" +
			"not, 2 for usage errors and profiles that cannot be read or compiled.",
		Example: "  dockward profile test myapp.json --image myapp:1.0\n" +
			"  dockward profile test myapp.json -- ./myapp --selftest",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.execFilter != "" {
				return execFiltered(o.execFilter, args)
			}
			return runProfileTest(cmd.Context(), g, o, args[0], args[1:])
		},
	}
	o.workload.addFlags(cmd, false)
	cmd.Flags().StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.execFilter, "exec-filter", "", "internal: install this BPF program and execute the command")
	cmd.Flags().MarkHidden("exec-filter")
	return cmd
}

// execFiltered is the helper side of a local profile test: it installs the
// compiled filter and replaces itself with the command. It returns only on
// failure, with exit status 126 like a shell that cannot execute a file.
func execFiltered(progPath string, argv []string) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return &ExitError{Code: 127, Err: err}
	}
	argv = append([]string{path}, argv[1:]...)
	err = profile.ExecWithFilterFile(progPath, argv, os.Environ())
	return &ExitError{Code: 126, Err: fmt.Errorf("executing %q under the profile: %w", argv[0], err)}
}

func runProfileTest(ctx context.Context, g *globals, o *profileTestOptions, path string, args []string) error {
	if o.format != "text" && o.format != "json" {
		return usageError(fmt.Errorf("invalid --format %q: use text or json", o.format))
	}
	data, err := readProfile(path)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if !looksLikeJSON(data) {
		return compileAppArmor(g, path)
	}

	var res *profile.VerifyResult
	switch {
	case o.workload.image != "":
		res, err = profile.VerifyImage(ctx, data, o.workload.imageOptions(args))
	case len(args) > 0:
		ctx, cancel := context.WithTimeout(ctx, o.workload.timeout)
		defer cancel()
		var helper []string
		if exe, exeErr := os.Executable(); exeErr == nil {
			helper = []string{exe, "profile", "test", "--exec-filter"}
		}
		res, err = profile.VerifyCommand(ctx, data, profile.Options{
			Command: args, Stdin: os.Stdin, Stdout: os.Stderr, Stderr: os.Stderr,
		}, helper)
	default:
		return usageError(errors.New("nothing to run: give --image IMAGE or a command after --"))
	}
	if err != nil {
		return err
	}

	if o.format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	} else {
		_, err = fmt.Fprint(g.stdout, res.Summary())
	}
	if err != nil {
		return err
	}
	if !res.OK() {
		return &ExitError{Code: 1}
	}
	return nil
}

// compileAppArmor checks an AppArmor profile with apparmor_parser -Q, which
// compiles it without loading it into the kernel.
func compileAppArmor(g *globals, path string) error {
	parser, err := exec.LookPath("apparmor_parser")
	if err != nil {
		parser = "/sbin/apparmor_parser"
		if _, statErr := os.Stat(parser); statErr != nil {
			return &ExitError{Code: 2, Err: errors.New("apparmor_parser not found: install Debian's apparmor package")}
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(parser, "-Q", "-K", path)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return &ExitError{Code: 2, Err: fmt.Errorf("compiling AppArmor profile %q: %s", path,
			strings.TrimSpace(stderr.String()))}
	}
	_, err = fmt.Fprintf(g.stdout, "%s: compiled with apparmor_parser -Q; not loaded, so not run\n", path)
	return err
}
