package runtime

import (
	"bytes"
	"context"
	"errors"
	scrules "github.com/dockward/dockward/internal/rules/seccomp"
	"io/fs"
	"path"
	"regexp"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
)

// Reader turns one file into containers and the problems met on the way.
type Reader func(f *engine.File) ([]*rt.Container, []finding.Problem)

// Analyzer runs the runtime rules over the containers a Reader finds in a
// file. Every container source (scripts, compose, Kubernetes, docker
// inspect) is one Analyzer with its own name, detection and Reader.
type Analyzer struct {
	name      string
	wantsName func(p string) bool
	wants     func(f *engine.File) bool
	read      Reader
	images    ImageSource
}

// ImageSource returns the configuration of an image by reference, or nil
// when the image is not available, such as an image in the local engine.
type ImageSource func(ctx context.Context, ref string) *rt.ImageConfig

// WithImages returns a copy of the analyzer that looks up the image of
// every container whose image configuration its reader did not find, so
// the user and health check rules see the image's own USER and HEALTHCHECK.
func (a *Analyzer) WithImages(src ImageSource) *Analyzer {
	c := *a
	c.images = src
	return &c
}

// NewAnalyzer returns an analyzer for one container source. wantsName
// decides from the path alone and may be nil; wants decides from path and
// content.
func NewAnalyzer(name string, wantsName func(string) bool, wants func(*engine.File) bool, read Reader) *Analyzer {
	return &Analyzer{name: name, wantsName: wantsName, wants: wants, read: read}
}

// Name returns the input type given to --type.
func (a *Analyzer) Name() string { return a.name }

// WantsName reports whether the path alone marks the file as this input.
func (a *Analyzer) WantsName(p string) bool { return a.wantsName != nil && a.wantsName(p) }

// Wants reports whether the analyzer inspects the file.
func (a *Analyzer) Wants(f *engine.File) bool { return !f.Binary && a.wants(f) }

// Analyze reads the file's containers and runs the runtime rules on them.
func (a *Analyzer) Analyze(ctx context.Context, f *engine.File, env *engine.Env) engine.Result {
	cs, problems := a.read(f)
	readEnv := envFileReader(f, env)
	for _, c := range cs {
		rt.LoadEnvFiles(c, readEnv)
		if a.images != nil && c.ImageConfig == nil && c.Image.Known() && c.Image.V != "" {
			c.ImageConfig = a.images(ctx, c.Image.V)
		}
		for _, n := range c.Notes {
			problems = append(problems, finding.Problem{Path: f.Path, Line: n.Pos.Line, Kind: "decode",
				Reason: n.Message})
		}
	}
	return engine.Result{Findings: Audit(cs, fileContext(f, env)), Problems: problems}
}

// fileContext resolves files that a container names relative to the
// directory of f, then to the project root, never outside the root. It
// lints the seccomp profiles it reads, under the path a walk of the tree
// would show, so the engine can merge the two reports of one file.
func fileContext(f *engine.File, env *engine.Env) *Context {
	read := projectReader(f, env)
	if read == nil {
		return &Context{}
	}
	resolved := map[string]string{} // name as written -> path under the root
	ctx := &Context{ReadFile: func(name string) ([]byte, error) {
		data, p, err := read(name)
		if err == nil {
			resolved[name] = p
		}
		return data, err
	}}
	prefix := displayPrefix(f)
	ctx.AppArmorProfiles = appArmorProfilesOf(env, prefix)
	ctx.LintSeccomp = func(name string, data []byte) []finding.Finding {
		display := prefix + resolved[name]
		fs, err := scrules.Lint(display, data)
		if err != nil {
			return nil // not a seccomp profile; RT010 reports unreadable ones
		}
		return fs
	}
	return ctx
}

// projectReader returns a reader of the files that f names: relative to
// the directory of f, then to the project root, never outside the root. It
// returns the path under the root it read. It is nil when f has no tree.
func projectReader(f *engine.File, env *engine.Env) func(name string) ([]byte, string, error) {
	if env == nil || env.Root == nil || f.Rel == "-" {
		return nil
	}
	return func(name string) ([]byte, string, error) {
		if path.IsAbs(name) || strings.HasPrefix(name, "~") || strings.Contains(name, "$") {
			return nil, "", ErrOutsideProject
		}
		var lastErr error
		for _, p := range []string{path.Join(path.Dir(f.Rel), name), path.Clean(name)} {
			if strings.HasPrefix(p, "../") || p == ".." {
				lastErr = ErrOutsideProject
				continue
			}
			data, err := env.Root.ReadFile(p)
			if err == nil {
				return data, p, nil
			}
			if lastErr == nil || errors.Is(lastErr, fs.ErrNotExist) {
				lastErr = err
			}
		}
		return nil, "", lastErr
	}
}

// displayPrefix returns what precedes a path under the root in the paths
// of the report, such as the directory given on the command line.
func displayPrefix(f *engine.File) string { return strings.TrimSuffix(f.Path, f.Rel) }

// envFileReader returns the reader LoadEnvFiles uses: the project reader,
// with paths as the report shows them. It is nil when f has no tree.
func envFileReader(f *engine.File, env *engine.Env) rt.EnvFileReader {
	read := projectReader(f, env)
	if read == nil {
		return nil
	}
	return func(name string) ([]byte, string, error) {
		data, p, err := read(name)
		return data, displayPrefix(f) + p, err
	}
}

// mentionsEngine is the cheap content test every script analyzer applies.
func mentionsEngine(data []byte) bool {
	return bytes.Contains(data, []byte("docker")) || bytes.Contains(data, []byte("podman"))
}

var shebang = regexp.MustCompile(`^#!\s*\S*(/|\s)(env\s+)?(ba|da|k|z|a)?sh\b`)

func isShellName(p string) bool {
	switch path.Ext(p) {
	case ".sh", ".bash", ".ksh", ".zsh":
		return true
	}
	return false
}

func isMakefileName(p string) bool {
	base := path.Base(p)
	return base == "Makefile" || base == "makefile" || base == "GNUmakefile" ||
		strings.HasSuffix(base, ".mk") || strings.HasSuffix(base, ".Makefile") ||
		strings.HasPrefix(base, "Makefile.")
}

func isCIName(p string) bool {
	base := path.Base(p)
	if base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" {
		return true
	}
	ext := path.Ext(p)
	return (ext == ".yml" || ext == ".yaml") && strings.Contains(p, ".github/workflows/")
}

var (
	githubWorkflow = regexp.MustCompile(`(?m)^jobs:\s*$`)
	githubSteps    = regexp.MustCompile(`(?m)^\s+(runs-on|steps):`)
	gitlabScript   = regexp.MustCompile(`(?m)^\s+(script|before_script|after_script):`)
	gitlabTopLevel = regexp.MustCompile(`(?m)^(stages|variables|default|include|workflow):`)
	topServices    = regexp.MustCompile(`(?m)^services:`)
)

// looksLikeCI reports whether YAML is a GitHub Actions workflow or a
// GitLab CI file, judged by its keys.
//
// The literal checks come first: the patterns are line-anchored, which
// Go's regexp cannot search for quickly, and most YAML files in a project
// are manifests that hold neither word.
func looksLikeCI(data []byte) bool {
	if bytes.Contains(data, []byte("jobs:")) && githubWorkflow.Match(data) && githubSteps.Match(data) {
		return true
	}
	return bytes.Contains(data, []byte("script:")) && gitlabScript.Match(data) &&
		(gitlabTopLevel.Match(data) || !topServices.Match(data))
}

func isMarkdownName(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".md", ".markdown", ".mdx":
		return true
	}
	return false
}

func isYAMLName(p string) bool {
	ext := path.Ext(p)
	return ext == ".yml" || ext == ".yaml"
}

// scriptReader returns a Reader over the scripts that extract finds.
func scriptReader(extract func(data []byte) ([]rt.Script, error)) Reader {
	return func(f *engine.File) ([]*rt.Container, []finding.Problem) {
		scripts, err := extract(f.Data)
		if err != nil {
			return nil, []finding.Problem{{Path: f.Path, Kind: "decode", Line: errorLine(err),
				Reason: "invalid YAML: " + err.Error()}}
		}
		res := rt.ParseScripts(f.Path, scripts)
		var problems []finding.Problem
		for _, n := range res.Problems {
			problems = append(problems, finding.Problem{Path: f.Path, Line: n.Pos.Line, Kind: "decode",
				Reason: n.Message})
		}
		return res.Containers, problems
	}
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func errorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n := 0
	for _, r := range m[1] {
		n = n*10 + int(r-'0')
	}
	return n
}

func noError(f func([]byte) []rt.Script) func([]byte) ([]rt.Script, error) {
	return func(b []byte) ([]rt.Script, error) { return f(b), nil }
}

// ShellAnalyzer finds docker and podman commands in shell scripts.
var ShellAnalyzer = NewAnalyzer("shell", isShellName, func(f *engine.File) bool {
	if !mentionsEngine(f.Data) {
		return false
	}
	return isShellName(f.Path) || shebang.Match(f.Data)
}, scriptReader(noError(rt.ShellScripts)))

// MakefileAnalyzer finds docker and podman commands in Makefile recipes.
var MakefileAnalyzer = NewAnalyzer("makefile", isMakefileName, func(f *engine.File) bool {
	return isMakefileName(f.Path) && mentionsEngine(f.Data)
}, scriptReader(noError(rt.MakefileScripts)))

// CIAnalyzer finds docker and podman commands in GitHub Actions and GitLab
// CI scripts, and the docker create options of GitHub Actions job and
// service containers.
var CIAnalyzer = NewAnalyzer("ci", isCIName, func(f *engine.File) bool {
	if isCIName(f.Path) {
		return true
	}
	return isYAMLName(f.Path) && (mentionsEngine(f.Data) || bytes.Contains(f.Data, []byte("options:"))) &&
		looksLikeCI(f.Data)
}, func(f *engine.File) ([]*rt.Container, []finding.Problem) {
	cs, problems := scriptReader(rt.CIScripts)(f)
	return append(cs, rt.GitHubContainers(f.Path, f.Data)...), problems
})

// MarkdownAnalyzer finds docker and podman commands in Markdown code
// blocks.
var MarkdownAnalyzer = NewAnalyzer("markdown", nil, func(f *engine.File) bool {
	return isMarkdownName(f.Path) && mentionsEngine(f.Data)
}, scriptReader(noError(rt.MarkdownScripts)))

// SystemdAnalyzer finds docker and podman commands in the Exec*= lines of
// systemd units.
var SystemdAnalyzer = NewAnalyzer("systemd", isSystemdName, func(f *engine.File) bool {
	return isSystemdName(f.Path) && mentionsEngine(f.Data)
}, scriptReader(noError(rt.SystemdScripts)))

func isSystemdName(p string) bool {
	switch path.Ext(p) {
	case ".service", ".socket", ".timer":
		return true
	}
	return false
}

// InspectAnalyzer audits docker inspect output saved as JSON.
var InspectAnalyzer = NewAnalyzer("inspect", nil, func(f *engine.File) bool {
	head := bytes.TrimSpace(f.Data[:min(len(f.Data), 64<<10)])
	return (bytes.HasPrefix(head, []byte("[")) || bytes.HasPrefix(head, []byte("{"))) &&
		bytes.Contains(head, []byte(`"HostConfig"`))
}, func(f *engine.File) ([]*rt.Container, []finding.Problem) {
	cs, err := rt.ParseInspect(f.Path, f.Data)
	if err != nil {
		p := finding.Problem{Path: f.Path, Kind: "decode", Reason: err.Error()}
		var ie *rt.InspectError
		if errors.As(err, &ie) {
			p.Line = ie.Line
			p.Reason = "invalid docker inspect JSON: " + ie.Err.Error()
		}
		return nil, []finding.Problem{p}
	}
	return cs, nil
})

// Analyzers lists the runtime analyzers of this package. Compose and
// Kubernetes analyzers live with their readers.
func Analyzers() []engine.Analyzer {
	return []engine.Analyzer{ShellAnalyzer, MakefileAnalyzer, CIAnalyzer, MarkdownAnalyzer, SystemdAnalyzer,
		InspectAnalyzer}
}
