package seccomp

import (
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
)

// DangerousSyscall fires on a dangerous syscall that the profile allows
// without the conditions the runtime's default profile attaches to it.
var DangerousSyscall = &rule.Rule{
	ID:       "SC002",
	Slug:     "dangerous-syscall-allowed",
	Title:    "Dangerous syscall allowed without the default's conditions",
	Severity: finding.High,
	Kind:     rule.KindSeccomp,
	Description: "Docker's default profile (github.com/moby/profiles/seccomp v0.3.0) denies syscalls " +
		"that reach the host kernel's most sensitive parts, or allows them only together with the " +
		"capability that makes them meaningful (`mount` with CAP_SYS_ADMIN, `reboot` with CAP_SYS_BOOT) " +
		"or with argument conditions (`clone` without namespace flags, `personality` with five known " +
		"values). A profile that allows one of them without those conditions opens that part of the " +
		"kernel to every container that uses it: module loading, kexec, eBPF, perf, io_uring, " +
		"namespaces, the keyring, mounts, the host clock and I/O ports. ptrace and process_vm_readv " +
		"and process_vm_writev are not on the list: the default allows them on kernels from 4.8.",
	Fix: "Remove the syscall from the allowing rule, or add the default's condition: an " +
		"`includes` with the capability, or the same `args` comparisons.",
	Bad:  `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "mount"], "action": "SCMP_ACT_ALLOW"}]}`,
	Good: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}`,
	Limits: "A rule counts as conditioned when it requires every capability and argument comparison " +
		"of one of the default's rules for the syscall; a different but equally strict comparison is " +
		"reported. In a block-list, a deny rule with conditions counts as a condition.",
}

func checkDangerous(t *target) []finding.Finding {
	var out []finding.Finding
	var implied []string
	for _, name := range sortedKeys(dangerous) {
		if defaultAllowsUnconditionally(name) {
			continue
		}
		entries := t.index[name]
		for _, e := range entries {
			if !input.Allows(e.Rule.Action.Value) || coveredByDefault(name, e.Rule) {
				continue
			}
			out = append(out, DangerousSyscall.New(t.loc(e.Name.Pos), "%s is allowed%s: it %s, and %s",
				name, conditionText(e.Rule), dangerous[name], describeDefault(name)))
		}
		if t.defaultAllows() && !anyDenies(entries) {
			implied = append(implied, name)
		}
	}
	if len(implied) > 0 {
		out = append(out, DangerousSyscall.New(t.loc(t.profile.DefaultAction.Pos),
			"defaultAction %s allows %d dangerous syscalls that no rule denies: %s",
			t.profile.DefaultAction.Value, len(implied), strings.Join(implied, ", ")))
	}
	return out
}

// anyDenies reports whether a rule that does not allow names the syscall,
// with or without conditions.
func anyDenies(entries []input.Entry) bool {
	for _, e := range entries {
		if !input.Allows(e.Rule.Action.Value) {
			return true
		}
	}
	return false
}

func conditionText(r *input.Rule) string {
	g := grantOf(r)
	var conds []string
	if len(g.caps) > 0 {
		conds = append(conds, "with "+strings.Join(g.caps, " and "))
	}
	if len(g.args) > 0 {
		conds = append(conds, "when "+strings.Join(g.args, " and "))
	}
	if len(conds) == 0 {
		return " without conditions"
	}
	return " only " + strings.Join(conds, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
