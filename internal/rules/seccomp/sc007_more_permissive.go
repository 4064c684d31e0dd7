package seccomp

import (
	"fmt"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/syscalls"
)

// MorePermissive fires on a profile that allows syscalls the runtime's
// default profile does not, or allows them under wider conditions.
var MorePermissive = &rule.Rule{
	ID:       "SC007",
	Slug:     "more-permissive-than-default",
	Title:    "Profile allows more than the runtime's default",
	Severity: finding.Medium,
	Kind:     rule.KindSeccomp,
	Description: "The profile allows syscalls that Docker's default profile " +
		"(github.com/moby/profiles/seccomp v0.3.0) denies, or allows them without the capability " +
		"or argument conditions the default attaches. A custom profile is usually meant to be " +
		"tighter than the default; every addition widens what a compromised container can reach. " +
		"The rule reports the two cases apart: syscalls the default does not allow at all, and " +
		"syscalls the default allows only under conditions that the profile widens or drops (for " +
		"example socket for address families that the default leaves out). Argument comparisons " +
		"are compared by the values they accept, so a rule that allows socket for AF_UNIX alone " +
		"is within the default, which allows that family among others.",
	Fix: "Remove the syscalls the default denies unless the workload needs them. For syscalls " +
		"allowed with wider conditions, narrow the rule to the default's argument and capability " +
		"conditions or tighter ones. `dockward profile diff --against default PROFILE` shows the " +
		"default's conditions.",
	Bad:  `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "kexec_load"], "action": "SCMP_ACT_ALLOW"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "For a block-list (default action allows), the additions are counted against the " +
		"syscalls of the profile's architectures, or of x86_64 when it lists none. The default's " +
		"architecture and kernel-version conditions are not compared. Several of the profile's " +
		"own rules for one syscall are compared one at a time, and a set of argument values " +
		"that is too large to check value by value against the default's bit-mask comparisons " +
		"counts as wider.",
}

// Fix texts of the two kinds of SC007 finding.
const (
	fixNotInDefault = "Remove these syscalls unless the workload needs them: Docker's default profile " +
		"does not allow them under any condition. When one is needed, allow it with the narrowest " +
		"argument conditions that work."
	fixWider = "Narrow these rules to the argument and capability conditions of Docker's default " +
		"profile or tighter ones. `dockward profile diff --against default PROFILE` shows the " +
		"default's conditions."
)

// maxListed bounds the syscall names a message lists.
const maxListed = 40

func checkMorePermissive(t *target) []finding.Finding {
	var allowed []string
	seen := make(map[string]bool)
	for _, r := range t.profile.Syscalls {
		if !input.Allows(r.Action.Value) {
			continue
		}
		for _, n := range r.Names {
			if !seen[n.Value] && !coveredByDefault(n.Value, r) {
				allowed = append(allowed, n.Value)
			}
			seen[n.Value] = true
		}
	}
	if t.defaultAllows() {
		allowed = append(allowed, impliedAdditions(t, seen)...)
	}
	var notInDefault, wider []string
	for _, n := range allowed {
		if len(baseline()[n]) == 0 {
			notInDefault = append(notInDefault, n)
		} else {
			wider = append(wider, n)
		}
	}

	var out []finding.Finding
	loc := t.loc(t.profile.DefaultAction.Pos)
	if len(notInDefault) > 0 {
		f := MorePermissive.New(loc, "the profile allows %s that the runtime's default profile does not allow: %s",
			countSyscalls(len(notInDefault)), listNames(notInDefault))
		f.Fix = fixNotInDefault
		out = append(out, f)
	}
	if len(wider) > 0 {
		f := MorePermissive.New(loc, "the profile allows %s under wider conditions than the runtime's default "+
			"profile, which allows %s only with argument or capability conditions: %s",
			countSyscalls(len(wider)), pronoun(wider), listNames(wider))
		f.Fix = fixWider
		out = append(out, f)
	}
	return out
}

// countSyscalls writes n with the noun in the right number.
func countSyscalls(n int) string {
	if n == 1 {
		return "1 syscall"
	}
	return fmt.Sprintf("%d syscalls", n)
}

// impliedAdditions lists the syscalls a block-list allows by its default
// action that the default profile does not allow unconditionally.
func impliedAdditions(t *target, named map[string]bool) []string {
	arch := syscalls.Arch("SCMP_ARCH_X86_64")
	if arches := profileArches(t.profile); len(arches) < len(syscalls.Arches()) {
		arch = arches[0]
	}
	var out []string
	for _, e := range syscalls.Table(arch) {
		if named[e.Name] || anyDenies(t.index[e.Name]) || defaultAllowsUnconditionally(e.Name) {
			continue
		}
		out = append(out, e.Name)
	}
	return out
}

func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxListed)
}
