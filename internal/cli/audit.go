package cli

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	rt "github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/rules"
	dfrules "github.com/dockward/dockward/internal/rules/dockerfile"
	rtrules "github.com/dockward/dockward/internal/rules/runtime"
	"github.com/dockward/dockward/internal/source/dockerapi"
)

type auditOptions struct {
	out         outputOptions
	inputType   string
	configPath  string
	docker      bool
	localImages bool
}

func newAuditCommand(g *globals) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit [FILE...]",
		Short: "Audit how containers run: command lines, compose, Kubernetes, docker inspect, live containers",
		Long: "audit checks the runtime configuration of containers against the runtime rules\n" +
			"(RT001-RT041). FILE may be a script, Makefile, CI file, Markdown file, compose file,\n" +
			"Kubernetes manifest or docker inspect output, or - for standard input together with\n" +
			"--type. With --docker, audit checks every running container on the Docker Engine\n" +
			"named by DOCKER_HOST.\n\n" +
			"Exit status: 0 when no unsuppressed finding reaches --fail-on, 1 when one does,\n" +
			"2 for usage errors, unreadable inputs and an unreachable engine.",
		Example: "  dockward audit deploy.sh docker-compose.yml\n" +
			"  docker inspect web | dockward audit --type inspect -\n" +
			"  dockward audit --docker\n" +
			"  dockward audit container web",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd, g, o, args)
		},
	}
	addOutputFlags(cmd, &o.out)
	f := cmd.Flags()
	f.StringVarP(&o.inputType, "type", "t", "",
		"treat every FILE as this type instead of detecting it (required for -): "+auditTypeList())
	f.StringVarP(&o.configPath, "config", "c", "", "configuration file (default: .dockward.yaml beside the first FILE)")
	f.BoolVar(&o.docker, "docker", false, "audit every running container on the Docker Engine (DOCKER_HOST)")
	f.BoolVar(&o.localImages, "local-images", false,
		"look up images that FILEs name in the Docker Engine (DOCKER_HOST), so user and health check "+
			"rules use the image's own USER and HEALTHCHECK")
	cmd.AddCommand(newAuditContainerCommand(g, o))
	return cmd
}

func newAuditContainerCommand(g *globals, parent *auditOptions) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:     "container NAME|ID...",
		Short:   "Audit running or stopped containers on the Docker Engine by name or ID",
		Example: "  dockward audit container web\n  dockward audit container 3f2a1b9c0d4e db",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.out.validate(); err != nil {
				return err
			}
			return auditLive(cmd.Context(), g, o, args)
		},
	}
	addOutputFlags(cmd, &o.out)
	cmd.Flags().StringVarP(&o.configPath, "config", "c", "", "configuration file (default: none)")
	return cmd
}

// auditAnalyzers returns the runtime analyzers among every analyzer, so
// the container sources added elsewhere (compose, Kubernetes) work here.
func auditAnalyzers() []engine.Analyzer {
	var out []engine.Analyzer
	for _, a := range rules.Analyzers() {
		if _, ok := a.(*rtrules.Analyzer); ok || a.Name() == "compose" || a.Name() == "kubernetes" {
			out = append(out, a)
		}
	}
	return out
}

func auditTypeList() string {
	var s string
	for i, a := range auditAnalyzers() {
		if i > 0 {
			s += ", "
		}
		s += a.Name()
	}
	return s
}

func runAudit(cmd *cobra.Command, g *globals, o *auditOptions, args []string) error {
	if err := o.out.validate(); err != nil {
		return err
	}
	if o.docker {
		if len(args) > 0 {
			return usageError(errors.New("--docker audits live containers and takes no FILE"))
		}
		return auditLive(cmd.Context(), g, o, nil)
	}
	if len(args) == 0 {
		return usageError(errors.New("name a FILE to audit, - with --type, or --docker for live containers"))
	}

	opts := engine.Options{Type: o.inputType, Stdin: g.stdin, Logger: g.logger}
	if o.configPath != "" {
		cfg, err := config.Load(o.configPath)
		if err != nil {
			return usageError(err)
		}
		opts.Config = cfg
	}
	analyzers := auditAnalyzers()
	if o.localImages {
		cli, err := dockerapi.Connect(cmd.Context())
		if err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		defer cli.Close()
		analyzers = withLocalImages(analyzers, cli)
	}
	setCheckCollector()
	eng := engine.New(rules.Registry(), analyzers...)
	rep, err := eng.Check(cmd.Context(), args, opts)
	if err != nil {
		if errors.Is(err, engine.ErrUnreadableTarget) {
			return &ExitError{Code: 2, Err: err}
		}
		return usageError(err)
	}
	rep.Command = "audit"
	pointDockerfilesToCheck(rep)
	return o.out.write(g, rep)
}

// pointDockerfilesToCheck rewords the problem for a Dockerfile that no
// audit analyzer reads: --type cannot help, because the Dockerfile rules
// run under check.
func pointDockerfilesToCheck(rep *finding.Report) {
	for i, p := range rep.Problems {
		if p.Kind == "skipped" && (dfrules.Analyzer{}).WantsName(p.Path) {
			rep.Problems[i].Reason = "audit checks how containers run and reads no Dockerfiles; run " +
				"dockward check " + p.Path
		}
	}
}

// auditLive audits containers on the engine: the named ones, or every
// running one when refs is empty.
func auditLive(ctx context.Context, g *globals, o *auditOptions, refs []string) error {
	cfg := config.Default()
	if o.configPath != "" {
		var err error
		if cfg, err = config.Load(o.configPath); err != nil {
			return usageError(err)
		}
	}
	cli, err := dockerapi.Connect(ctx)
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer cli.Close()

	var found []dockerapi.Inspected
	if len(refs) == 0 {
		found, err = dockerapi.InspectRunning(ctx, cli)
	} else {
		found, err = dockerapi.Inspect(ctx, cli, refs)
	}
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}

	fs := rtrules.Audit(liveContainers(found), nil)
	eng := engine.New(rules.Registry())
	fs = eng.Apply(fs, nil, cfg, time.Now())
	targets := refs
	if len(refs) == 0 {
		targets = []string{"docker:" + cli.DaemonHost()}
	}
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Command: "audit", Targets: targets,
		Findings: fs, Problems: []finding.Problem{}}
	if rep.Findings == nil {
		rep.Findings = []finding.Finding{}
	}
	finding.Sort(rep.Findings, rep.Problems)
	rep.Summarize()
	return o.out.write(g, rep)
}

// withLocalImages makes the runtime analyzers look up images in the
// engine. Each image is inspected once per run.
func withLocalImages(analyzers []engine.Analyzer, cli *client.Client) []engine.Analyzer {
	var cache sync.Map
	src := func(ctx context.Context, ref string) *rt.ImageConfig {
		if v, ok := cache.Load(ref); ok {
			return v.(*rt.ImageConfig)
		}
		var ic *rt.ImageConfig
		if res, err := cli.ImageInspect(ctx, ref); err == nil {
			ic = rt.FromImageInspect(ref, res.InspectResponse)
		}
		cache.Store(ref, ic)
		return ic
	}
	out := make([]engine.Analyzer, len(analyzers))
	for i, a := range analyzers {
		if ra, ok := a.(*rtrules.Analyzer); ok {
			a = ra.WithImages(src)
		}
		out[i] = a
	}
	return out
}

// liveContainers maps inspected containers onto the runtime model.
func liveContainers(found []dockerapi.Inspected) []*rt.Container {
	cs := make([]*rt.Container, 0, len(found))
	for _, r := range found {
		cs = append(cs, rt.FromEngine(r.Container, r.Raw))
	}
	return cs
}
