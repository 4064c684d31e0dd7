package seccomp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/syscalls"
)

// InvalidProfile fires on a profile that a runtime rejects or cannot
// apply as written.
var InvalidProfile = &rule.Rule{
	ID:       "SC000",
	Slug:     "invalid-seccomp-profile",
	Title:    "Invalid seccomp profile",
	Severity: finding.High,
	Kind:     rule.KindSeccomp,
	Description: "The profile cannot be decoded or uses a value that Docker, runc or crun " +
		"reject: a syntax error, a value of the wrong type, an unknown action, architecture, " +
		"flag or argument operator, a rule without syscall names, `errnoRet` given as a string " +
		"or with an action other than SCMP_ACT_ERRNO or SCMP_ACT_TRACE, both `architectures` " +
		"and `archMap`, or SCMP_ACT_NOTIFY without `listenerPath`. The container then fails " +
		"to start, or the rule does not do what it says.",
	Fix: "Correct the value the message names. Actions, operators and architectures are the " +
		"SCMP_ACT_*, SCMP_CMP_* and SCMP_ARCH_* names; errno values are numbers, such as 1 " +
		"for EPERM.",
	Bad: `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": "EPERM",
 "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "Capability names in `includes` and `excludes` are not checked, and a " +
		"`minKernel` is only checked for its form. Keys the format does not define are reported " +
		"at high severity when they are within two edits of a known key, as a likely misspelling, " +
		"and at low severity otherwise. Docker Engine 20.10 with runc 1.1.5 accepts a string or " +
		"misplaced errnoRet, unknown flags, an empty names list and archMap entries with unknown " +
		"architectures, ignoring them; SC000 reports them because the profile then does not do " +
		"what it says.",
}

var knownActions = []string{
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
}

var knownOperators = []string{
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ",
}

var knownFlags = []string{
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
}

// otherArches are architectures the OCI runtime spec names that the
// syscall table has no numbers for.
var otherArches = []string{"SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB"}

var minKernelPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+`)

func invalidFinding(path string, se *input.SyntaxError) finding.Finding {
	loc := finding.Location{Path: path, StartLine: se.Pos.Line, StartColumn: se.Pos.Column, EndLine: se.Pos.Line}
	return InvalidProfile.New(loc, "%s", se.Reason)
}

func checkInvalid(t *target) []finding.Finding {
	p := t.profile
	var out []finding.Finding
	report := func(pos input.Pos, format string, args ...any) {
		out = append(out, InvalidProfile.New(t.loc(pos), format, args...))
	}
	for _, e := range p.Errors {
		report(e.Pos, "%s %s", e.Field, e.Reason)
	}
	out = append(out, unknownKeys(t)...)

	checkDefaultAction(p, report)
	checkArchitectures(p, report)
	for _, f := range p.Flags {
		if !slices.Contains(knownFlags, f.Value) {
			report(f.Pos, "unknown flag %q: use one of %s", f.Value, strings.Join(knownFlags, ", "))
		}
	}
	for _, r := range p.Syscalls {
		checkRule(p, r, report)
	}
	return out
}

type reporter func(pos input.Pos, format string, args ...any)

func checkDefaultAction(p *input.Profile, report reporter) {
	switch a := p.DefaultAction.Value; {
	case a == "" && p.Format == input.FormatSPO:
		report(p.Pos, "spec.defaultAction is missing")
	case a == "":
		report(p.Pos, "defaultAction is missing: runtimes reject the profile")
	case !slices.Contains(knownActions, a):
		report(p.DefaultAction.Pos, "unknown defaultAction %q: use one of %s", a, strings.Join(knownActions, ", "))
	}
	if p.DefaultErrnoRet != nil && p.DefaultAction.Value != "SCMP_ACT_ERRNO" &&
		p.DefaultAction.Value != "SCMP_ACT_TRACE" && p.DefaultAction.Value != "" {
		report(p.DefaultErrnoRet.Pos, "defaultErrnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
			p.DefaultAction.Value)
	}
}

func checkArchitectures(p *input.Profile, report reporter) {
	if len(p.Architectures) > 0 && len(p.ArchMap) > 0 {
		report(p.ArchMap[0].Pos, "both architectures and archMap are set: Docker rejects the profile; keep one")
	}
	check := func(a input.String) {
		if !syscalls.KnownArch(syscalls.Arch(a.Value)) && !slices.Contains(otherArches, a.Value) {
			report(a.Pos, "unknown architecture %q: use an SCMP_ARCH_* name such as SCMP_ARCH_X86_64", a.Value)
		}
	}
	for _, a := range p.Architectures {
		check(a)
	}
	for _, m := range p.ArchMap {
		if m.Arch.Value == "" {
			report(m.Pos, "archMap entry has no architecture")
		} else {
			check(m.Arch)
		}
		for _, s := range m.SubArches {
			check(s)
		}
	}
}

func checkRule(p *input.Profile, r *input.Rule, report reporter) {
	switch {
	case !r.HasNames:
		report(r.Pos, "rule has no syscall names: add \"names\"")
	case len(r.Names) == 0:
		report(r.Pos, "rule has an empty names list: name at least one syscall")
	}
	for _, n := range r.Names {
		if strings.TrimSpace(n.Value) == "" {
			report(n.Pos, "empty syscall name")
		}
	}
	if r.Legacy && len(r.Names) > 1 {
		report(r.Pos, "rule sets both name and names: Docker rejects it; keep names")
	}

	switch a := r.Action.Value; {
	case a == "":
		report(r.Pos, "rule has no action")
	case !slices.Contains(knownActions, a):
		report(r.Action.Pos, "unknown action %q: use one of %s", a, strings.Join(knownActions, ", "))
	case a == "SCMP_ACT_NOTIFY" && p.ListenerPath.Value == "":
		report(r.Action.Pos, "SCMP_ACT_NOTIFY needs listenerPath, the socket of the agent that decides")
	}
	if r.ErrnoRet != nil && r.Action.Value != "SCMP_ACT_ERRNO" && r.Action.Value != "SCMP_ACT_TRACE" {
		report(r.ErrnoRet.Pos, "errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s", r.Action.Value)
	}

	for _, a := range r.Args {
		checkArg(a, report)
	}
	for _, f := range []*input.Filter{r.Includes, r.Excludes} {
		checkFilter(f, report)
	}
}

func checkArg(a input.Arg, report reporter) {
	if a.Index.Value > 5 {
		report(a.Index.Pos, "argument index %d is out of range: syscalls have arguments 0 to 5", a.Index.Value)
	}
	switch {
	case a.Op.Value == "":
		report(a.Pos, "argument condition has no op")
	case !slices.Contains(knownOperators, a.Op.Value):
		report(a.Op.Pos, "unknown argument operator %q: use one of %s", a.Op.Value, strings.Join(knownOperators, ", "))
	}
}

func checkFilter(f *input.Filter, report reporter) {
	if f == nil {
		return
	}
	for _, a := range f.Arches {
		if input.FilterArch(a.Value) == nil {
			report(a.Pos, "unknown architecture %q in a filter: Docker compares these with GOARCH names such as amd64",
				a.Value)
		}
	}
	if mk := f.MinKernel.Value; mk != "" && !minKernelPattern.MatchString(mk) {
		report(f.MinKernel.Pos, "invalid minKernel %q: write it as MAJOR.MINOR, such as %s", mk,
			fmt.Sprintf("%q", "4.8"))
	}
}

// unknownKeys reports keys that runtimes ignore. A key within two edits of
// a known one is most likely misspelt and keeps the rule's severity;
// other keys, such as notes, are low.
func unknownKeys(t *target) []finding.Finding {
	var out []finding.Finding
	for _, k := range t.profile.UnknownKeys {
		if guess := closestKey(k.Key, k.Known); guess != "" {
			out = append(out, InvalidProfile.New(t.loc(k.Pos),
				"unknown key %q: runtimes ignore it; did you mean %q?", k.Key, guess))
			continue
		}
		f := InvalidProfile.New(t.loc(k.Pos), "unknown key %q: runtimes ignore it; this object takes %s",
			k.Key, strings.Join(k.Known, ", "))
		f.Severity = finding.Low
		out = append(out, f)
	}
	return out
}

// closestKey returns the known key within two edits of key, ignoring case.
func closestKey(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := rule.EditDistance(strings.ToLower(key), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}
