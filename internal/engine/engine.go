package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// ErrUnreadableTarget is returned when a path the user named cannot be read.
var ErrUnreadableTarget = errors.New("target cannot be read")

// Options configure a run.
type Options struct {
	// Type forces one analyzer by name for every file; empty means each
	// analyzer decides by path and content.
	Type string
	// Config is the configuration; nil means the one found at the first
	// target directory, or the default.
	Config *config.Config
	// Now is the clock; zero means time.Now.
	Now time.Time
	// Target is the build stage runtime rules apply to.
	Target string
	// Stdin is read for the target "-"; nil means os.Stdin.
	Stdin io.Reader
	// Workers bounds concurrency; zero means GOMAXPROCS.
	Workers int
	Logger  *slog.Logger
}

// Engine runs analyzers over files.
type Engine struct {
	analyzers []Analyzer
	registry  *rule.Registry
}

// New returns an engine with the given analyzers, whose rules must all be
// in the registry.
func New(reg *rule.Registry, analyzers ...Analyzer) *Engine {
	return &Engine{analyzers: analyzers, registry: reg}
}

// Analyzers returns the analyzers in order.
func (e *Engine) Analyzers() []Analyzer { return e.analyzers }

// job is one input to analyze. Files found by a walk are read by the
// worker that analyzes them, so only the files in flight are in memory.
type job struct {
	cand  candidate
	named bool // the user named the file, so an unreadable one is a problem
	env   *Env
	// file and analyzers are set in advance for standard input.
	file      *File
	analyzers []Analyzer
}

// Check analyzes every target: a directory is walked, a file is read, and
// "-" reads standard input. It returns ErrUnreadableTarget (wrapped) when a
// named target cannot be read at all; problems inside a tree are recorded
// in the report instead.
func (e *Engine) Check(ctx context.Context, targets []string, opts Options) (*finding.Report, error) {
	opts = e.defaults(opts)
	if opts.Type != "" && e.byName(opts.Type) == nil {
		return nil, fmt.Errorf("unknown input type %q: use one of %s", opts.Type, e.typeNames())
	}
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Command:       "check",
		Targets:       targets,
		Findings:      []finding.Finding{},
		Problems:      []finding.Problem{},
	}
	var jobs []job
	for _, t := range targets {
		js, problems, err := e.collect(t, opts)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, js...)
		rep.Problems = append(rep.Problems, problems...)
	}

	for _, r := range e.run(ctx, jobs, opts) {
		rep.Findings = append(rep.Findings, r.Findings...)
		rep.Problems = append(rep.Problems, r.Problems...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	finding.Sort(rep.Findings, rep.Problems)
	rep.Findings = finding.Dedupe(rep.Findings)
	rep.Summarize()
	return rep, nil
}

func (e *Engine) defaults(opts Options) Options {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return opts
}

// collect turns one target into jobs.
func (e *Engine) collect(target string, opts Options) ([]job, []finding.Problem, error) {
	if target == "-" {
		return e.collectStdin(opts)
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %s", ErrUnreadableTarget, target, readReason(err))
	}
	if !info.IsDir() {
		return e.collectFile(target, opts)
	}

	env, err := e.newEnv(target, opts)
	if err != nil {
		return nil, nil, err
	}
	cands, problems := walk(target, opts.Logger)
	jobs := make([]job, 0, len(cands))
	for _, c := range cands {
		c.show = displayPath(target, c.rel)
		jobs = append(jobs, job{cand: c, env: env})
	}
	return jobs, problems, nil
}

func (e *Engine) collectFile(target string, opts Options) ([]job, []finding.Problem, error) {
	env, err := e.newEnv(filepath.Dir(target), opts)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.ReadFile(target); err != nil && !errors.Is(err, errTooLarge) {
		return nil, nil, fmt.Errorf("%w: %s: %s", ErrUnreadableTarget, target, readReason(err))
	}
	c := candidate{abs: target, show: filepath.ToSlash(target), rel: filepath.Base(target)}
	return []job{{cand: c, env: env, named: true}}, nil, nil
}

func (e *Engine) collectStdin(opts Options) ([]job, []finding.Problem, error) {
	if opts.Type == "" {
		return nil, nil, fmt.Errorf("reading standard input needs --type: use one of %s", e.typeNames())
	}
	data, err := io.ReadAll(io.LimitReader(opts.Stdin, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: standard input: %v", ErrUnreadableTarget, err)
	}
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("%w: standard input: %v", ErrUnreadableTarget, errTooLarge)
	}
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	env := &Env{Config: cfg, Logger: opts.Logger, Now: opts.Now, Target: opts.Target}
	f := &File{Path: "-", Rel: "-", Data: data, Binary: isBinary(data)}
	return []job{{file: f, analyzers: []Analyzer{e.byName(opts.Type)}, env: env}}, nil, nil
}

func (e *Engine) newEnv(dir string, opts Options) (*Env, error) {
	cfg := opts.Config
	if cfg == nil {
		var err error
		if cfg, err = config.Find(dir); err != nil {
			return nil, err
		}
	}
	if err := e.CheckConfig(cfg); err != nil {
		return nil, err
	}
	env := &Env{Config: cfg, Logger: opts.Logger, Now: opts.Now, RootDir: dir, Target: opts.Target}
	if root, err := os.OpenRoot(dir); err == nil {
		env.Root = root
	}
	return env, nil
}

// prepare reads a job's file and picks its analyzers. It returns a
// problem when a file that an analyzer wants, or that the user named,
// cannot be read, and ok=false when no analyzer wants the file.
func (e *Engine) prepare(j *job, opts Options) (*finding.Problem, bool) {
	if j.file != nil {
		return nil, true
	}
	c := j.cand
	var byName []Analyzer
	if opts.Type != "" {
		byName = []Analyzer{e.byName(opts.Type)}
	} else {
		for _, a := range e.analyzers {
			if nm, ok := a.(NameMatcher); ok && nm.WantsName(c.show) {
				byName = append(byName, a)
			}
		}
	}
	data, err := readFile(c.abs)
	if err != nil {
		if len(byName) > 0 || j.named {
			return &finding.Problem{Path: c.show, Kind: "read", Reason: readReason(err)}, false
		}
		opts.Logger.Debug("skipping unreadable file", slog.String("path", c.show), slog.Any("error", err))
		return nil, false
	}
	j.file = &File{Path: c.show, Rel: c.rel, Data: data, Binary: isBinary(data)}
	if opts.Type != "" {
		j.analyzers = byName
		return nil, true
	}
	for _, a := range e.analyzers {
		if a.Wants(j.file) {
			j.analyzers = append(j.analyzers, a)
		}
	}
	if len(j.analyzers) == 0 && j.named {
		opts.Logger.Info("no analyzer recognises the file; name its type with --type", slog.String("path", c.show))
		return &finding.Problem{Path: c.show, Kind: "skipped",
			Reason: "no analyzer recognises this file; name its type with --type"}, false
	}
	if j.named && onlyCatchAll(j.analyzers) && len(e.analyzers) > 1 {
		// The secret scanner reads every text file, so report that no other
		// analyzer recognised the file the user named. An engine with the
		// secret scanner alone, as in the secrets command, has no other.
		return &finding.Problem{Path: c.show, Kind: "skipped",
			Reason: "searched for secrets only: no other analyzer recognises this file; name its type with --type"}, true
	}
	return nil, len(j.analyzers) > 0
}

// onlyCatchAll reports whether the only analyzer picked is the secret
// scanner, which wants every text file.
func onlyCatchAll(as []Analyzer) bool {
	return len(as) == 1 && as[0].Name() == "secrets"
}

// run reads and analyzes jobs on a bounded pool and returns the results,
// with the configuration and suppressions applied, in job order.
func (e *Engine) run(ctx context.Context, jobs []job, opts Options) []Result {
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opts.Workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = e.runJob(ctx, &jobs[i], opts)
			}
		})
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// runJob reads one job's file, analyzes it and applies the configuration.
// The file's content is released when it returns.
func (e *Engine) runJob(ctx context.Context, j *job, opts Options) Result {
	problem, ok := e.prepare(j, opts)
	if !ok {
		if problem == nil {
			return Result{}
		}
		problem.Fatal = j.named
		return Result{Problems: []finding.Problem{*problem}}
	}
	res := e.analyze(ctx, *j)
	if problem != nil {
		res.Problems = append(res.Problems, *problem)
	}
	res.Findings = e.Apply(res.Findings, j.file, j.env.Config, opts.Now)
	if j.named && len(res.Findings) == 0 {
		// A named file that every analyzer failed to decode was not
		// checked at all.
		for i := range res.Problems {
			if res.Problems[i].Path == j.file.Path && res.Problems[i].Kind != "skipped" {
				res.Problems[i].Fatal = true
			}
		}
	}
	j.file = nil
	return res
}

// analyze runs every analyzer of a job and turns a panic into a problem, so
// one hostile file cannot stop a run.
func (e *Engine) analyze(ctx context.Context, j job) (res Result) {
	for _, a := range j.analyzers {
		func() {
			defer func() {
				if r := recover(); r != nil {
					j.env.Logger.Error("analyzer panicked", slog.String("analyzer", a.Name()),
						slog.String("path", j.file.Path), slog.Any("panic", r))
					res.Problems = append(res.Problems, finding.Problem{Path: j.file.Path, Kind: "decode",
						Reason: fmt.Sprintf("internal error in the %s analyzer: %v; please report it", a.Name(), r)})
				}
			}()
			r := a.Analyze(ctx, j.file, j.env)
			res.Findings = append(res.Findings, r.Findings...)
			res.Problems = append(res.Problems, r.Problems...)
		}()
	}
	return res
}

// CheckConfig rejects a configuration whose rules section names unknown
// rules or one rule twice.
func (e *Engine) CheckConfig(cfg *config.Config) error {
	return cfg.CheckRules(func(name string) (string, bool) {
		r, ok := e.registry.Lookup(name)
		if !ok {
			return "", false
		}
		return r.ID, true
	})
}

func (e *Engine) byName(name string) Analyzer {
	for _, a := range e.analyzers {
		if a.Name() == name {
			return a
		}
	}
	return nil
}

func (e *Engine) typeNames() string {
	var s string
	for i, a := range e.analyzers {
		if i > 0 {
			s += ", "
		}
		s += a.Name()
	}
	return s
}
