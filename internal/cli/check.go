package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/rules"
)

type checkOptions struct {
	out        outputOptions
	inputType  string
	configPath string
	target     string
	now        string
}

func newCheckCommand(g *globals) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check a project tree: Dockerfiles and the files that say how containers run",
		Long: "check walks each PATH (default \".\"), finds Dockerfiles and other inputs by name\n" +
			"and content, and reports what makes the containers they describe unsafe. A PATH\n" +
			"may be a directory, a file, or - for standard input together with --type.\n\n" +
			"Exit status: 0 when no unsuppressed finding reaches --fail-on, 1 when one does,\n" +
			"2 for usage errors and inputs that cannot be read.",
		Example: "  dockward check .\n" +
			"  dockward check --format sarif --output dockward.sarif .\n" +
			"  cat Dockerfile | dockward check --type dockerfile -",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, g, o, args)
		},
	}
	addOutputFlags(cmd, &o.out)
	f := cmd.Flags()
	f.StringVarP(&o.inputType, "type", "t", "",
		"treat every input as this type instead of detecting it (required for -): "+typeList())
	f.StringVarP(&o.configPath, "config", "c", "",
		"configuration file (default: .dockward.yaml in the first PATH when it is a directory)")
	f.StringVar(&o.target, "target", "",
		"build stage whose user, health check and entrypoint are checked (default: the last stage)")
	f.StringVar(&o.now, "now", "", "date to check end-of-life dates against, as YYYY-MM-DD (default: today)")
	_ = f.MarkHidden("now")
	return cmd
}

func typeList() string {
	var s string
	for i, a := range rules.Analyzers() {
		if i > 0 {
			s += ", "
		}
		s += a.Name()
	}
	return s
}

func runCheck(cmd *cobra.Command, g *globals, o *checkOptions, args []string) error {
	if err := o.out.validate(); err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	opts := engine.Options{Type: o.inputType, Target: o.target, Stdin: g.stdin, Logger: g.logger}
	if o.configPath != "" {
		cfg, err := config.Load(o.configPath)
		if err != nil {
			return usageError(err)
		}
		opts.Config = cfg
	}
	if o.now != "" {
		t, err := time.Parse(time.DateOnly, o.now)
		if err != nil {
			return usageError(fmt.Errorf("invalid --now %q: write it as YYYY-MM-DD", o.now))
		}
		opts.Now = t
	}

	setCheckCollector()
	eng := engine.New(rules.Registry(), rules.Analyzers()...)
	rep, err := eng.Check(cmd.Context(), args, opts)
	if err != nil {
		if errors.Is(err, engine.ErrUnreadableTarget) {
			return &ExitError{Code: 2, Err: err}
		}
		return usageError(err)
	}
	return o.out.write(g, rep)
}

// setCheckCollector lets the heap grow to nine times the live data before
// the garbage collector runs (GOGC=800), with a soft limit of 512 MiB that
// makes it collect sooner on large trees. compose-go allocates about
// 300 KiB per service of the benchmark trees, nearly all of it garbage at
// once. At the default GOGC=100 the collector took about a third of the
// CPU time of the compose benchmarks, and GOGC=800 saves most of that
// (docs/benchmarks.md). GOGC and GOMEMLIMIT in the environment take
// precedence.
func setCheckCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(800)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
