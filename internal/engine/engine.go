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

// job is one file to analyze and the analyzers that want it.
type job struct {
	file      *File
	analyzers []Analyzer
	env       *Env
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

	results := e.run(ctx, jobs, opts.Workers)
	for i, r := range results {
		fs := e.Apply(r.Findings, jobs[i].file, jobs[i].env.Config, opts.Now)
		rep.Findings = append(rep.Findings, fs...)
		rep.Problems = append(rep.Problems, r.Problems...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	finding.Sort(rep.Findings, rep.Problems)
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
	var jobs []job
	for _, c := range cands {
		c.show = displayPath(target, c.rel)
		j, p, ok := e.prepare(c, env, opts, false)
		if p != nil {
			problems = append(problems, *p)
		}
		if ok {
			jobs = append(jobs, j)
		}
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
	j, p, ok := e.prepare(c, env, opts, true)
	var problems []finding.Problem
	if p != nil {
		problems = append(problems, *p)
	}
	if !ok && p == nil {
		opts.Logger.Info("no analyzer recognises the file; name its type with --type",
			slog.String("path", target))
		problems = append(problems, finding.Problem{Path: c.show, Kind: "skipped",
			Reason: "no analyzer recognises this file; name its type with --type"})
	}
	if ok {
		return []job{j}, problems, nil
	}
	return nil, problems, nil
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
	env := &Env{Config: cfg, Logger: opts.Logger, Now: opts.Now, RootDir: dir, Target: opts.Target}
	if root, err := os.OpenRoot(dir); err == nil {
		env.Root = root
	}
	return env, nil
}

// prepare reads a candidate and picks its analyzers. It returns a problem
// when a file that an analyzer wants cannot be read.
func (e *Engine) prepare(c candidate, env *Env, opts Options, named bool) (job, *finding.Problem, bool) {
	var named0 []Analyzer
	if opts.Type != "" {
		named0 = []Analyzer{e.byName(opts.Type)}
	} else {
		for _, a := range e.analyzers {
			if nm, ok := a.(NameMatcher); ok && nm.WantsName(c.show) {
				named0 = append(named0, a)
			}
		}
	}
	data, err := readFile(c.abs)
	if err != nil {
		if len(named0) > 0 || named {
			return job{}, &finding.Problem{Path: c.show, Kind: "read", Reason: readReason(err)}, false
		}
		opts.Logger.Debug("skipping unreadable file", slog.String("path", c.show), slog.Any("error", err))
		return job{}, nil, false
	}
	f := &File{Path: c.show, Rel: c.rel, Data: data, Binary: isBinary(data)}
	if opts.Type != "" {
		return job{file: f, analyzers: named0, env: env}, nil, true
	}
	var picked []Analyzer
	for _, a := range e.analyzers {
		if a.Wants(f) {
			picked = append(picked, a)
		}
	}
	if len(picked) == 0 {
		return job{}, nil, false
	}
	return job{file: f, analyzers: picked, env: env}, nil, true
}

// run analyzes jobs on a bounded pool and returns results in job order.
func (e *Engine) run(ctx context.Context, jobs []job, workers int) []Result {
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for i := range next {
				results[i] = e.analyze(ctx, jobs[i])
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
