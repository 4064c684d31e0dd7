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
// default profile does not.
var MorePermissive = &rule.Rule{
	ID:       "SC007",
	Slug:     "more-permissive-than-default",
	Title:    "Profile allows more than the runtime's default",
	Severity: finding.Medium,
	Kind:     rule.KindSeccomp,
	Description: "The profile allows syscalls that Docker's default profile " +
		"(github.com/moby/profiles/seccomp v0.3.0) denies, or allows them without the capability " +
		"or argument conditions the default attaches. A custom profile is usually meant to be " +
		"tighter than the default; every addition widens what a compromised container can reach.",
	Fix: "Remove the listed syscalls unless the workload needs them, and then give them the " +
		"default's conditions. `dockward profile diff --against default PROFILE` shows the difference.",
	Bad:  `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "kexec_load"], "action": "SCMP_ACT_ALLOW"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}`,
	Limits: "For a block-list (default action allows), the additions are counted against the " +
		"syscalls of the profile's architectures, or of x86_64 when it lists none.",
}

// maxListed bounds the syscall names a message lists.
const maxListed = 40

func checkMorePermissive(t *target) []finding.Finding {
	var added []string
	seen := make(map[string]bool)
	for _, r := range t.profile.Syscalls {
		if !input.Allows(r.Action.Value) {
			continue
		}
		for _, n := range r.Names {
			if !seen[n.Value] && !coveredByDefault(n.Value, r) {
				added = append(added, n.Value)
			}
			seen[n.Value] = true
		}
	}
	if t.defaultAllows() {
		added = append(added, impliedAdditions(t, seen)...)
	}
	if len(added) == 0 {
		return nil
	}
	return []finding.Finding{MorePermissive.New(t.loc(t.profile.DefaultAction.Pos),
		"the profile allows %d syscalls beyond the runtime's default profile: %s",
		len(added), listNames(added))}
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
