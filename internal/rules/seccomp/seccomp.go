// Package seccomp holds the rules for seccomp profiles (SC000 to SC007),
// the analyzer that finds profiles in a tree by their content, and Lint,
// which other analyzers call for a profile that a Dockerfile, compose file
// or command line references.
package seccomp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
)

// Rules lists the seccomp rules.
var Rules = []*rule.Rule{
	InvalidProfile, DefaultAllow, DangerousSyscall, CannotStart,
	UnknownSyscall, ArchCoverage, DuplicateSyscall, MorePermissive,
}

// check is the function that applies one rule to one profile.
type check func(t *target) []finding.Finding

// checks lists the checks run on a profile that could be decoded. SC000's
// decode errors come from lintProfile itself.
var checks = []check{
	checkInvalid, checkDefaultAllow, checkDangerous, checkCannotStart,
	checkUnknownSyscall, checkArchCoverage, checkDuplicate, checkMorePermissive,
}

// target is one decoded profile and what the checks share.
type target struct {
	path    string
	profile *input.Profile
	index   map[string][]input.Entry
	opts    LintOptions
}

// LintOptions holds the runtime settings a profile is used with, when the
// caller knows them.
type LintOptions struct {
	// NoNewPrivileges is set when the container runs with
	// no-new-privileges. runc then installs the filter just before execve,
	// so SC003 requires fewer syscalls.
	NoNewPrivileges bool
}

func (t *target) loc(p input.Pos) finding.Location {
	return finding.Location{Path: t.path, StartLine: p.Line, StartColumn: p.Column, EndLine: p.Line}
}

// defaultAllows reports whether syscalls that no rule names are allowed.
func (t *target) defaultAllows() bool {
	return input.Allows(t.profile.DefaultAction.Value)
}

// Lint decodes the seccomp profiles in data and applies every rule. A
// file that cannot be decoded yields an SC000 finding; ErrNotSeccomp is
// returned when data is valid JSON or YAML without a profile.
func Lint(path string, data []byte) ([]finding.Finding, error) {
	return LintWith(path, data, LintOptions{})
}

// LintWith is Lint for a container run with the settings in opts.
func LintWith(path string, data []byte, opts LintOptions) ([]finding.Finding, error) {
	profiles, err := input.Parse(data)
	if err != nil {
		var se *input.SyntaxError
		if errors.As(err, &se) {
			return []finding.Finding{invalidFinding(path, se)}, nil
		}
		return nil, err
	}
	var out []finding.Finding
	for _, p := range profiles {
		out = append(out, LintProfileWith(path, p, opts)...)
	}
	return out, nil
}

// LintProfile applies every rule to one decoded profile.
func LintProfile(path string, p *input.Profile) []finding.Finding {
	return LintProfileWith(path, p, LintOptions{})
}

// LintProfileWith is LintProfile for a container run with the settings in
// opts.
func LintProfileWith(path string, p *input.Profile, opts LintOptions) []finding.Finding {
	t := &target{path: path, profile: p, index: p.Index(), opts: opts}
	var out []finding.Finding
	for _, c := range checks {
		out = append(out, c(t)...)
	}
	finding.Sort(out, nil)
	return out
}

// LintFile reads a profile that a runtime setting references, such as
// --security-opt seccomp=PATH, and lints it. Findings carry path as given.
func LintFile(path string) ([]finding.Finding, error) {
	return LintFileWith(path, LintOptions{})
}

// LintFileWith is LintFile for a container run with the settings in opts,
// such as --security-opt no-new-privileges.
func LintFileWith(path string, opts LintOptions) ([]finding.Finding, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading seccomp profile %q: %w", path, err)
	}
	if info.Size() > input.MaxSize {
		return nil, fmt.Errorf("reading seccomp profile %q: %w", path, input.ErrTooLarge)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seccomp profile %q: %w", path, err)
	}
	fs, err := LintWith(path, data, opts)
	if err != nil {
		return nil, fmt.Errorf("reading seccomp profile %q: %w", path, err)
	}
	return fs, nil
}

// Analyzer finds seccomp profiles in a tree by their content.
type Analyzer struct{}

// Name returns the input type name used by --type.
func (Analyzer) Name() string { return "seccomp" }

// Wants reports whether the file looks like a seccomp profile: a JSON
// object with defaultAction or syscalls, an OCI config with linux.seccomp,
// or a SeccompProfile resource.
// Source code and documents are skipped, since their strings and examples
// may hold profile text.
func (Analyzer) Wants(f *engine.File) bool {
	if f.Binary || sourceOrDocument(f.Path) {
		return false
	}
	return Detect(f.Data)
}

// Detect reports whether data looks like a seccomp profile. It reads only
// the first 64 KiB apart from a check for the key names.
func Detect(data []byte) bool {
	head := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(head) > 0 && head[0] == '{' {
		return bytes.Contains(data, []byte(`"defaultAction"`)) ||
			(bytes.Contains(data, []byte(`"syscalls"`)) && bytes.Contains(data, []byte(`"action"`)))
	}
	return bytes.Contains(data, []byte("SeccompProfile")) && seccompProfileKind.Match(data)
}

// seccompProfileKind matches the kind line of a SeccompProfile resource.
var seccompProfileKind = regexp.MustCompile(`(?m)^kind:[ \t]*["']?SeccompProfile["']?[ \t]*$`)

// Analyze lints the profile in f.
func (Analyzer) Analyze(_ context.Context, f *engine.File, _ *engine.Env) engine.Result {
	fs, err := Lint(f.Path, f.Data)
	if err != nil {
		if errors.Is(err, input.ErrNotSeccomp) {
			return engine.Result{}
		}
		return engine.Result{Problems: []finding.Problem{{Path: f.Path, Reason: err.Error(), Kind: "decode"}}}
	}
	return engine.Result{Findings: fs}
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
