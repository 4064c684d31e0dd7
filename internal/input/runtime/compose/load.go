// Package compose reads compose files into the runtime model: one
// runtime.Container per service, whatever profile it belongs to. compose-go
// loads the file and applies extends, anchors and merge keys. The
// positions of values come from a YAML node index of the same files, so a
// value that came through extends or an anchor points at the line that set
// it.
//
// Variables are interpolated only from the .env file beside the compose
// file and the defaults written in it, never from dockward's own process
// environment, which would make results depend on who runs the audit.
//
// env_file entries are recorded, not read: the loader skips compose-go's
// environment resolution, which would read any path and look up names
// without a value. runtime.LoadEnvFiles reads them from the scanned tree.
//
// Known limits: top-level jobs are not audited. When an extends chain
// breaks in another file, the service loses its whole extends, not only
// the broken link. A !reset next to a merge key (<<) takes effect only in
// the main file: compose-go reads extends files itself, and in them the
// merge brings the reset value back.
package compose

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"go.yaml.in/yaml/v3"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/yamlpos"
)

// Options configure Load.
type Options struct {
	// Dir is the directory that holds the compose file on disk. The .env
	// file, extends files and build contexts are read relative to it.
	// Empty means the file has no directory (standard input): no .env is
	// read and extends.file is reported as unsupported.
	Dir string
	// Env, when not nil, replaces the .env file as the source of
	// variables.
	Env map[string]string
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// Result is the outcome of reading one compose file.
type Result struct {
	// Containers has one entry per service, in file order.
	Containers []*runtime.Container
	// Problems are parts of the file that could not be read or followed:
	// invalid YAML, a missing extends target, an undefined variable, a
	// service with neither image nor build.
	Problems []finding.Problem
	// Project is the project as compose-go loaded it; nil when loading
	// failed.
	Project *types.Project
}

var quietLogrus sync.Once

// silenceLogrus discards the output of the global logrus logger, through
// which compose-go writes its warnings. Load turns them into problems, so
// the logger is silenced once for the whole process.
func silenceLogrus() {
	quietLogrus.Do(func() { logrus.SetOutput(io.Discard) })
}

// Load reads one compose file. path is the name used in positions and
// problems; data is its content.
func Load(ctx context.Context, path string, data []byte, opts Options) Result {
	silenceLogrus()

	l := &load{path: path, opts: opts, files: make(map[string]*file),
		fileErrs: make(map[string]error), dropped: make(map[string]bool)}
	if l.opts.Logger == nil {
		l.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return l.run(ctx, data)
}

// load is the state of one Load call.
type load struct {
	path  string
	opts  Options
	res   Result
	main  *file
	files map[string]*file // other compose files by disk path
	// fileErrs holds why an extends file could not be used, by disk path.
	fileErrs map[string]error
	// dropped names the services whose broken extends was removed.
	dropped map[string]bool
	// interpolated is true when the reader has interpolated the tree, so
	// compose-go must not do it again.
	interpolated bool
	vars         *variables
}

// file is one parsed compose file with its service nodes.
type file struct {
	path     string // as shown in positions
	disk     string // on disk; empty for standard input
	root     *yaml.Node
	services *yaml.Node // the services mapping, or nil
	// byName indexes services by name on first use, because looking up
	// each of thousands of services in the mapping is quadratic.
	byName map[string]yamlpos.Pair
}

// service returns the key and value nodes of a service, looking through
// merge keys as yamlpos.Field does. Both are nil when it is not defined.
func (f *file) service(name string) (k, v *yaml.Node) {
	if f.byName == nil {
		f.byName = make(map[string]yamlpos.Pair)
		for _, p := range yamlpos.Pairs(f.services) {
			if p.Key.Kind == yaml.ScalarNode {
				f.byName[p.Key.Value] = p
			}
		}
	}
	p := f.byName[name]
	return p.Key, p.Value
}

func (l *load) problem(line int, format string, args ...any) {
	l.res.Problems = append(l.res.Problems, finding.Problem{
		Path: l.path, Line: line, Kind: "decode", Reason: fmt.Sprintf(format, args...),
	})
}

func (l *load) run(ctx context.Context, data []byte) Result {
	root, ok := l.parse(data)
	if !ok {
		return l.res
	}
	disk := ""
	if l.opts.Dir != "" {
		disk = filepath.Join(l.opts.Dir, filepath.Base(l.path))
	}
	l.main = &file{path: l.path, disk: disk, root: root, services: yamlpos.Get(root, "services")}
	l.vars = newVariables(l.environment())

	l.load(ctx, root, data)
	// Undefined variables are known once the file is interpolated, and
	// are reported even when loading fails.
	l.variableProblems(data)
	return l.res
}

// load loads the prepared file with compose-go and maps its services.
func (l *load) load(ctx context.Context, root *yaml.Node, data []byte) {
	loaded, ok := l.prepare(root, data)
	if !ok {
		return
	}
	project, err := l.compose(ctx, loaded)
	if err != nil {
		l.problem(l.errorLine(err), "compose file rejected by compose-go: %v", err)
		return
	}
	l.res.Project = project
	l.res.Containers = l.containers(project)
}

// parse reads the first YAML document and rejects what compose rejects
// before loading: invalid YAML and several merge keys in one mapping.
func (l *load) parse(data []byte) (*yaml.Node, bool) {
	docs, err := yamlpos.Parse(l.path, data)
	if err != nil {
		pe := yamlpos.NewError(l.path, err)
		l.problem(pe.Line, "invalid YAML: %s", pe.Reason)
		return nil, false
	}
	if len(docs) == 0 || docs[0].Kind != yaml.MappingNode {
		l.problem(0, "invalid compose file: the top level must be a mapping with a services key")
		return nil, false
	}
	if len(docs) > 1 {
		l.problem(docs[1].Line, "compose file has %d YAML documents; only the first is audited", len(docs))
	}
	dups := yamlpos.DuplicateMergeKeys(docs[0])
	for _, d := range dups {
		l.problem(d.Line, "mapping has more than one merge key (<<), which compose rejects; "+
			"merge several anchors with one key and a list: <<: [*a, *b]")
	}
	loops := yamlpos.RecursiveAliases(docs[0])
	for _, a := range loops {
		l.problem(a.Line, "alias *%s refers to a node that contains it, so its expansion never ends; "+
			"point it at another anchor", a.Value)
	}
	return docs[0], len(dups) == 0 && len(loops) == 0
}

// prepare returns the bytes compose-go loads: the file as written, or a
// copy of its tree without broken references and, unless compose-go
// must interpolate itself, with variables substituted.
func (l *load) prepare(root *yaml.Node, data []byte) (source, bool) {
	changed := l.checkServices()
	if l.checkIncludes() {
		changed = true
	}

	// compose-go loads a copy; the index keeps the values as written.
	loaded := copyTree(root)
	if l.dropUnsetTyped(loaded, 0) {
		changed = true
	}
	if flattenResetMerges(loaded, 0) {
		changed = true
	}
	if !needsLoaderInterpolation(root) {
		ip := &interpolator{vars: l.vars, casts: typeCasts()}
		err := ip.walk(loaded, nil)
		switch {
		case err == nil:
			l.interpolated = true
			changed = true
		case errors.Is(err, errTooManyNodes):
			loaded = copyTree(root)
			l.dropUnsetTyped(loaded, 0)
		default:
			l.problem(l.errorLine(err), "compose file rejected: %v", err)
			return source{}, false
		}
	}
	if !changed {
		return source{data: data}, true
	}
	if l.interpolated && !hasCustomTags(loaded, 0) {
		// compose-go takes the tree as decoded values and skips a
		// second YAML parse. Custom tags (!reset, !override) need its
		// own YAML decoder, so those files go back as text.
		return source{tree: loaded}, true
	}
	out, err := yaml.Marshal(loaded)
	if err != nil {
		l.problem(0, "re-encoding the prepared compose file: %v", err)
		return source{}, false
	}
	return source{data: out}, true
}

// source is the input compose-go loads: the file's text, or a prepared
// tree. The tree is decoded afresh for each load, since compose-go changes
// the values it is given.
type source struct {
	data []byte
	tree *yaml.Node
	// only, when not nil, names the services of tree to load.
	only map[string]bool
}

func (s source) configFile(name string) (types.ConfigFile, error) {
	if s.tree == nil {
		return types.ConfigFile{Filename: name, Content: s.data}, nil
	}
	var values map[string]any
	if err := withOnlyServices(s.tree, s.only).Decode(&values); err != nil {
		return types.ConfigFile{}, err
	}
	if services, ok := values["services"].(map[string]any); ok && s.only != nil {
		maps.DeleteFunc(services, func(name string, _ any) bool { return !s.only[name] })
	}
	return types.ConfigFile{Filename: name, Config: values}, nil
}

// withOnlyServices returns a shallow copy of a prepared tree whose services
// mapping keeps only the services in only, so that each part decodes its
// own services and not the whole file. Merge keys stay, and aliases still
// point at their anchors wherever those are. A nil only returns the tree.
func withOnlyServices(root *yaml.Node, only map[string]bool) *yaml.Node {
	if only == nil || root.Kind != yaml.MappingNode {
		return root
	}
	top := *root
	top.Content = slices.Clone(root.Content)
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value != "services" || v.Kind != yaml.MappingNode {
			continue
		}
		services := *v
		services.Content = make([]*yaml.Node, 0, 2*len(only))
		for j := 0; j+1 < len(v.Content); j += 2 {
			name := v.Content[j]
			if yamlpos.IsMergeKey(name) || only[name.Value] {
				services.Content = append(services.Content, name, v.Content[j+1])
			}
		}
		top.Content[i+1] = &services
	}
	return &top
}

// hasCustomTags reports whether a tree uses a local tag such as !reset.
func hasCustomTags(n *yaml.Node, depth int) bool {
	if n == nil || depth > 256 {
		return false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return true
	}
	for _, c := range n.Content {
		if hasCustomTags(c, depth+1) {
			return true
		}
	}
	return false
}

// environment returns the variables for interpolation: Options.Env, or
// the .env file beside the compose file. The process environment is never
// consulted.
func (l *load) environment() map[string]string {
	if l.opts.Env != nil {
		return l.opts.Env
	}
	if l.opts.Dir == "" {
		return map[string]string{}
	}
	name := filepath.Join(l.opts.Dir, ".env")
	if err := checkReadable(name); err != nil {
		if _, statErr := os.Stat(name); !os.IsNotExist(statErr) {
			l.problem(0, ".env beside the compose file %v; variables are treated as unset", err)
		}
		return map[string]string{}
	}
	f, err := os.Open(name)
	if err != nil {
		l.problem(0, "reading .env beside the compose file: %v", err)
		return map[string]string{}
	}
	defer f.Close()
	env, err := dotenv.ParseWithLookup(f, nil)
	if err != nil {
		l.problem(0, "invalid .env beside the compose file: %v; variables are treated as unset", err)
		return map[string]string{}
	}
	return env
}

// compose loads the file with compose-go. When compose-go's validation
// rejects the file, it loads it again without validation and records the
// rejection as a problem, so that one bad key does not hide every service.
func (l *load) compose(ctx context.Context, data source) (*types.Project, error) {
	if p := l.composeParallel(ctx, data); p != nil {
		return p, nil
	}
	p, err := l.composeOnce(ctx, data, false)
	if err == nil {
		return p, nil
	}
	p, err2 := l.composeOnce(ctx, data, true)
	if err2 != nil {
		return nil, err
	}
	l.problem(l.errorLine(err), "compose rejects this file: %v; it is audited as written", err)
	return p, nil
}

func (l *load) composeOnce(ctx context.Context, data source, skipValidation bool) (p *types.Project, err error) {
	// compose-go v2.16.2 panics on some malformed files once validation is
	// skipped (a networks key that is not a mapping), so a panic becomes
	// an error here.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("compose-go failed on this file: %v", r)
		}
	}()

	dir := l.opts.Dir
	if dir == "" {
		dir = "."
	}
	name := l.projectName(dir)
	file, err := data.configFile(filepath.Join(dir, filepath.Base(l.path)))
	if err != nil {
		return nil, err
	}
	env := types.Mapping(l.vars.env)
	if data.only != nil {
		// compose-go writes COMPOSE_PROJECT_NAME into the environment it
		// is given, and the parts of a file load concurrently.
		env = maps.Clone(env)
	}
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{file},
		Environment: env,
	}
	return loadProject(ctx, details, func(o *loader.Options) {
		// An explicit name spares compose-go a parse of the file that
		// looks only for the name key.
		o.SetProjectName(name, true)
		o.Profiles = []string{"*"}
		o.ResolvePaths = false
		o.SkipConsistencyCheck = true
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipValidation = skipValidation
		o.SkipInterpolation = l.interpolated
		// Keep compose-go's type casts and replace only the lookup and
		// the substitution, which records undefined variables.
		if o.Interpolate == nil {
			o.Interpolate = &interp.Options{}
		}
		o.Interpolate.LookupValue = l.vars.lookup
		o.Interpolate.Substitute = l.vars.substitute
		o.Interpolate.TypeCastMapping = lenientCasts(o.Interpolate.TypeCastMapping)
	})
}

// lenientCasts wraps compose-go's casts of interpolated values to booleans
// and numbers so that an empty value, which an undefined variable leaves,
// becomes the type's zero value instead of an error that rejects the
// whole file. The reader marks such values unknown from the raw text.
func lenientCasts(casts map[tree.Path]interp.Cast) map[tree.Path]interp.Cast {
	out := make(map[tree.Path]interp.Cast, len(casts))
	for path, cast := range casts {
		out[path] = func(value string) (any, error) {
			v, err := cast(value)
			if err == nil || strings.TrimSpace(value) != "" {
				return v, err
			}
			for _, zero := range []string{"0", "false"} {
				if v, zeroErr := cast(zero); zeroErr == nil {
					return v, nil
				}
			}
			return v, err
		}
	}
	return out
}

// maxListedVariables is how many undefined variables the problem names
// before it gives only a count of the rest.
const maxListedVariables = 5

// variableProblems reports the undefined variables of the file as one
// problem at the first line that uses one, so a file written for an
// environment the audit does not have does not bury the other problems.
// Each missing required variable (${X:?reason}) is a problem of its own,
// because compose rejects the file then.
func (l *load) variableProblems(data []byte) {
	if names := l.vars.undefinedNames(); len(names) > 0 {
		l.undefinedProblem(data, names)
	}
	for _, e := range l.vars.required {
		l.problem(firstUse(data, e.name), "required variable %s is not set: %s", e.name, e.reason)
	}
}

func (l *load) undefinedProblem(data []byte, names []string) {
	lines := make(map[string]int, len(names))
	for _, name := range names {
		lines[name] = firstUse(data, name)
	}
	// Names in the order the file uses them; a name firstUse cannot find
	// (line 0) goes last.
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Compare(sortLine(lines[a]), sortLine(lines[b]))
	})

	if len(names) == 1 {
		l.problem(lines[names[0]], "variable %s is not set in .env and has no default, "+
			"so it is interpolated as an empty string", names[0])
		return
	}
	named := make([]string, 0, maxListedVariables)
	for _, name := range names[:min(len(names), maxListedVariables)] {
		if lines[name] > 0 {
			name = fmt.Sprintf("%s (line %d)", name, lines[name])
		}
		named = append(named, name)
	}
	listed := strings.Join(named, ", ")
	if rest := len(names) - maxListedVariables; rest > 0 {
		listed += fmt.Sprintf(" and %d more", rest)
	}
	l.problem(lines[names[0]], "%d variables are not set in .env and have no default, "+
		"so they are interpolated as empty strings: %s", len(names), listed)
}

func sortLine(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}

func firstUse(data []byte, name string) int {
	re := regexp.MustCompile(`\$\{?` + regexp.QuoteMeta(name) + `\b`)
	loc := re.FindIndex(data)
	if loc == nil {
		return 0
	}
	return 1 + strings.Count(string(data[:loc[0]]), "\n")
}

var keyPathRE = regexp.MustCompile(`\b(services\.[A-Za-z0-9_.\-]+)`)

// errorLine finds the line of the key path that a compose-go error names,
// such as "services.web.privileged".
func (l *load) errorLine(err error) int {
	m := keyPathRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	keys := strings.Split(strings.TrimSuffix(m[1], "."), ".")
	for n := len(keys); n > 0; n-- {
		if v := yamlpos.Get(l.main.root, keys[:n]...); v != nil {
			k, _ := yamlpos.Field(yamlpos.Get(l.main.root, keys[:n-1]...), keys[n-1])
			if k != nil {
				return k.Line
			}
			return v.Line
		}
	}
	return 0
}

// sortedByLine orders service names by the line of their definition.
func sortedByLine(names []string, line func(string) int) []string {
	slices.SortStableFunc(names, func(a, b string) int {
		if d := line(a) - line(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return names
}

// projectName returns the project name as compose chooses it: the name
// key of the file, or else the name of its directory, normalised.
func (l *load) projectName(dir string) string {
	name := l.vars.expand(yamlpos.ScalarValue(yamlpos.Get(l.main.root, "name")))
	if name == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			abs = dir
		}
		name = filepath.Base(abs)
	}
	name = loader.NormalizeProjectName(name)
	if name == "" {
		name = "compose"
	}
	return name
}
