// Package apparmor holds the rules for AppArmor profiles (AA000 to AA009),
// the analyzer that finds profiles in a tree by their content, and Lint,
// which other analyzers call for a profile that a runtime setting names.
package apparmor

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// Rules lists the AppArmor rules.
var Rules = []*rule.Rule{
	InvalidProfile, BareFile, BareCapability, BareNetwork, MountAllowed, ProcSysWritable,
	UnconfinedExec, BroadPtrace, NameMismatch, WeakerThanDefault,
}

type check func(t *target) []finding.Finding

var checks = []check{
	checkInvalid, checkBareFile, checkBareCapability, checkBareNetwork, checkMount,
	checkProcSys, checkUnconfinedExec, checkPtrace, checkWeaker,
}

// target is one parsed file and what the checks share.
type target struct {
	path string
	file *input.File
}

func (t *target) loc(line int) finding.Location {
	return finding.Location{Path: t.path, StartLine: line, EndLine: line}
}

// profiles returns every profile of the file, nested ones included,
// except abstractions, which are fragments of a profile. Checks of what a
// whole profile must contain, such as its deny rules, use it.
func (t *target) profiles() []*input.Profile {
	var out []*input.Profile
	for _, top := range t.file.Profiles {
		for _, p := range top.All() {
			if !p.Abstraction {
				out = append(out, p)
			}
		}
	}
	return out
}

// ruleHolders returns every profile of the file and the abstraction that
// holds the rules of a file without profiles. Checks of single rules, such
// as a bare file rule or a mount rule, use it, because every profile that
// includes the abstraction gets those rules.
func (t *target) ruleHolders() []*input.Profile {
	var out []*input.Profile
	for _, top := range t.file.Profiles {
		out = append(out, top.All()...)
	}
	return out
}

// ownRules returns the rules written in the linted file itself, so that
// findings never point into an included file.
func ownRules(p *input.Profile) []*input.Rule {
	var out []*input.Rule
	for _, r := range p.Rules {
		if r.Source == "" {
			out = append(out, r)
		}
	}
	return out
}

// Options configure Lint.
type Options struct {
	// Name is the profile name a runtime setting uses (apparmor=NAME);
	// when set, AA008 checks that the file declares it.
	Name string
	// Base is the include directory; empty means /etc/apparmor.d.
	Base string
	// IncludeDirs are searched in order for <name> includes before Base,
	// like the -I option of apparmor_parser.
	IncludeDirs []string
}

// Lint parses profile text and applies every rule. Includes that cannot be
// found are returned as problems.
func Lint(path string, data []byte, opts Options) ([]finding.Finding, []finding.Problem, error) {
	parseOpts := input.Options{Base: opts.Base, Dir: filepath.Dir(path), IncludeDirs: opts.IncludeDirs}
	f, err := input.Parse(path, data, parseOpts)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing AppArmor profile %q: %w", path, err)
	}
	t := &target{path: path, file: f}
	var out []finding.Finding
	for _, c := range checks {
		out = append(out, c(t)...)
	}
	if opts.Name != "" {
		out = append(out, CheckName(path, f, opts.Name)...)
	}
	problems := unresolvedProblems(path, f, parseOpts)
	problems = append(problems, noProfileProblems(path, f)...)
	finding.Sort(out, problems)
	return out, problems, nil
}

// noProfileProblems explains a file without a profile header, which
// apparmor_parser cannot load on its own. Its rules, if any, were linted as
// an abstraction, without the checks that need a whole profile.
func noProfileProblems(path string, f *input.File) []finding.Problem {
	if len(f.Profiles) > 0 && !f.Profiles[0].Abstraction {
		return nil
	}
	if len(f.Profiles) == 0 {
		if len(f.Errors) > 0 {
			return nil // AA000 reports why nothing was read
		}
		return []finding.Problem{{Path: path, Kind: "skipped",
			Reason: "no AppArmor profile or rule found: check that this is the profile file"}}
	}
	return []finding.Problem{{Path: path, Line: f.Profiles[0].Line, Kind: "skipped",
		Reason: "no profile found; this looks like an abstraction (rules that profiles include): " +
			"its rules were linted, but not AA005, AA008 and AA009, which need a whole profile; " +
			"lint the profiles that include it as well"}}
}

func unresolvedProblems(path string, f *input.File, opts input.Options) []finding.Problem {
	var out []finding.Problem
	searched := strings.Join(opts.SearchPath(), ", ")
	report := func(inc *input.Include) {
		if inc.Resolved != "" || inc.IfExists {
			return
		}
		where := searched
		if !inc.System {
			where = opts.Dir
			if filepath.IsAbs(inc.Path) {
				where = "/"
			}
		}
		out = append(out, finding.Problem{Path: path, Line: inc.Line, Kind: "skipped",
			Reason: fmt.Sprintf("include %s not found under %s: the rules it adds are not checked; "+
				"add the directory that holds it to the include search path (profile lint --include-dir)",
				inc.Path, where)})
	}
	for _, inc := range f.Includes {
		report(inc)
	}
	for _, top := range f.Profiles {
		for _, p := range top.All() {
			for _, inc := range p.Includes {
				report(inc)
			}
		}
	}
	return out
}

// LintFile reads and lints a profile file that a runtime setting names;
// name is the profile name the setting uses, or empty.
func LintFile(path, name string) ([]finding.Finding, []finding.Problem, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading AppArmor profile %q: %w", path, err)
	}
	if info.Size() > input.MaxSize {
		return nil, nil, fmt.Errorf("reading AppArmor profile %q: %w", path, input.ErrTooLarge)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading AppArmor profile %q: %w", path, err)
	}
	return Lint(path, data, Options{Name: name})
}

// profileHeader matches the header of a profile block.
var profileHeader = regexp.MustCompile(`(?m)^[ \t]*(profile[ \t]+[^\s:=(]+([ \t]+[^\s{]+)?|/[^\s{]+)` +
	`([ \t]+flags[ \t]*=[ \t]*\([^)\n]*\))?[ \t]*\{[ \t]*(#.*)?$`)

// Detect reports whether data looks like AppArmor profile text: a profile
// header line followed by rules.
func Detect(data []byte) bool {
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	// Cheap checks first: a profile has a block and comma-terminated rules.
	if !bytes.Contains(head, []byte("{")) || !bytes.Contains(head, []byte(",")) ||
		bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) {
		return false
	}
	// A header starts with the word profile or with an absolute path.
	if !bytes.Contains(head, []byte("profile")) && !bytes.HasPrefix(bytes.TrimLeft(head, " \t"), []byte("/")) &&
		!bytes.Contains(head, []byte("\n/")) && !bytes.Contains(head, []byte("\n\t/")) &&
		!bytes.Contains(head, []byte("\n /")) {
		return false
	}
	return profileHeader.Match(head)
}

// Analyzer finds AppArmor profiles in a tree by their content.
type Analyzer struct{}

// Name returns the input type name used by --type.
func (Analyzer) Name() string { return "apparmor" }

// Wants reports whether the file looks like an AppArmor profile. Source
// code and documents are skipped, since their strings and examples may
// hold profile text.
func (Analyzer) Wants(f *engine.File) bool {
	return !f.Binary && !sourceOrDocument(f.Path) && Detect(f.Data)
}

// Analyze lints the profile in f.
func (Analyzer) Analyze(_ context.Context, f *engine.File, _ *engine.Env) engine.Result {
	fs, ps, err := Lint(f.Path, f.Data, Options{})
	if err != nil {
		return engine.Result{Problems: []finding.Problem{{Path: f.Path, Reason: err.Error(), Kind: "decode"}}}
	}
	return engine.Result{Findings: fs, Problems: ps}
}

// sourceExtensions are file types whose strings and examples may hold
// profile text without being profiles.
var sourceExtensions = []string{
	".go", ".py", ".rb", ".js", ".ts", ".java", ".c", ".h", ".cc", ".cpp", ".rs", ".sh", ".bash",
	".md", ".rst", ".html",
}

// sourceOrDocument reports whether path names source code or a document.
func sourceOrDocument(path string) bool {
	return slices.Contains(sourceExtensions, strings.ToLower(filepath.Ext(path)))
}
