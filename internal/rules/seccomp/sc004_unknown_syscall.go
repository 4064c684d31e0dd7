package seccomp

import (
	"slices"
	"strings"
	"sync"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/syscalls"
)

// UnknownSyscall fires on a syscall name that Linux does not have on any
// architecture the profile lists.
var UnknownSyscall = &rule.Rule{
	ID:       "SC004",
	Slug:     "unknown-syscall-name",
	Title:    "Syscall name unknown on the listed architectures",
	Severity: finding.Medium,
	Kind:     rule.KindSeccomp,
	Description: "runc and crun skip a syscall name that libseccomp cannot resolve for an " +
		"architecture, without an error, so a misspelt name or one from another architecture " +
		"makes its rule do nothing: an allow rule then fails to allow, a deny rule fails to deny. " +
		"Names are checked against the syscall tables of golang.org/x/sys and libseccomp for " +
		"every architecture the profile lists (all architectures when it lists none). A name " +
		"that Linux has but the libseccomp the tables were generated with does not is reported " +
		"at info severity: a runtime linked with that libseccomp skips it until it is updated.",
	Fix:  "Correct the spelling, or remove names that none of the profile's architectures have.",
	Bad:  `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "fstat64x"], "action": "SCMP_ACT_ALLOW"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "fstat"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "A name that exists on some listed architectures and not on others is not reported, " +
		"because multi-architecture profiles such as Docker's default list such names on " +
		"purpose. The libseccomp check uses the libseccomp version recorded in the table " +
		"(see `dockward version` and the syscalls package), not the one on the host that runs " +
		"the container.",
}

// profileArches returns the architectures to check names against: the
// listed ones that the table has, or all of them.
func profileArches(p *input.Profile) []syscalls.Arch {
	var arches []syscalls.Arch
	for _, a := range p.ArchNames() {
		if syscalls.KnownArch(syscalls.Arch(a)) {
			arches = append(arches, syscalls.Arch(a))
		}
	}
	if len(arches) == 0 {
		return syscalls.Arches()
	}
	return arches
}

func checkUnknownSyscall(t *target) []finding.Finding {
	arches := profileArches(t.profile)
	var out []finding.Finding
	for _, r := range t.profile.Syscalls {
		ruleArches := arches
		if r.Includes != nil && len(r.Includes.Arches) > 0 {
			ruleArches = narrowArches(arches, r.Includes.Arches)
			if len(ruleArches) == 0 {
				continue // the rule never applies to the profile's architectures
			}
		}
		idx := archIndex(ruleArches)
		for _, n := range r.Names {
			if strings.TrimSpace(n.Value) == "" {
				continue
			}
			if f, ok := unknownName(t, n, ruleArches, idx); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// nameStatus records whether a name is a syscall of an architecture set
// and whether libseccomp resolves it there.
type nameStatus uint8

const (
	statusKnown nameStatus = 1 << iota
	statusInLibseccomp
)

// archIndexes caches, per architecture set, the status of every name.
var archIndexes sync.Map // string -> map[string]nameStatus

func archIndex(arches []syscalls.Arch) map[string]nameStatus {
	var b strings.Builder
	for _, a := range arches {
		b.WriteString(string(a))
		b.WriteByte(' ')
	}
	key := b.String()
	if idx, ok := archIndexes.Load(key); ok {
		return idx.(map[string]nameStatus)
	}
	idx := make(map[string]nameStatus)
	for _, a := range arches {
		for _, e := range syscalls.Table(a) {
			st := idx[e.Name] | statusKnown
			if e.Sources&syscalls.FromLibseccomp != 0 {
				st |= statusInLibseccomp
			}
			idx[e.Name] = st
		}
	}
	archIndexes.Store(key, idx)
	return idx
}

func unknownName(t *target, n input.String, arches []syscalls.Arch, idx map[string]nameStatus) (finding.Finding, bool) {
	st := idx[n.Value]
	switch {
	case st&statusKnown == 0 && syscalls.KnownAnywhere(n.Value):
		return UnknownSyscall.New(t.loc(n.Pos),
			"%s is not a syscall of %s: runtimes skip the name there, so this rule does nothing for it",
			n.Value, archList(arches)), true
	case st&statusKnown == 0:
		return UnknownSyscall.New(t.loc(n.Pos),
			"%s is not a Linux syscall on any architecture: runtimes skip the name, so this rule does nothing for it",
			n.Value), true
	case st&statusInLibseccomp == 0:
		f := UnknownSyscall.New(t.loc(n.Pos),
			"%s is a Linux syscall that libseccomp %s does not know: runtimes linked with it skip the name",
			n.Value, syscalls.LibseccompVersion)
		f.Severity = finding.Info
		return f, true
	}
	return finding.Finding{}, false
}

func archList(arches []syscalls.Arch) string {
	if len(arches) == len(syscalls.Arches()) {
		return "any architecture"
	}
	names := make([]string, len(arches))
	for i, a := range arches {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// narrowArches returns the profile architectures that a rule's
// includes.arches select.
func narrowArches(arches []syscalls.Arch, filter []input.String) []syscalls.Arch {
	var out []syscalls.Arch
	for _, f := range filter {
		for _, name := range input.FilterArch(f.Value) {
			a := syscalls.Arch(name)
			if slices.Contains(arches, a) && !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}
