package seccomp

import (
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/rule"
)

// ArchCoverage fires on a profile that lists a 64-bit architecture
// without the 32-bit ABIs the same CPU runs.
var ArchCoverage = &rule.Rule{
	ID:       "SC005",
	Slug:     "seccomp-arch-coverage",
	Title:    "Architecture list misses the sub-architectures",
	Severity: finding.Low,
	Kind:     rule.KindSeccomp,
	Description: "An x86_64 process can also make syscalls through the x86 (`int $0x80`) and x32 " +
		"ABIs, and an aarch64 process through the 32-bit ARM ABI. The filter sees those calls " +
		"under their own architecture; when the profile does not list it, each one hits the " +
		"bad-architecture action, which runc 1.1.5 sets to kill the process with SIGSYS. 32-bit " +
		"code in the image then dies instead of getting the profile's answer. A profile with " +
		"neither `architectures` nor `archMap` covers only the native ABI. The sub-architectures " +
		"expected for each architecture are those of the runtime's default profile. For an " +
		"allow-list the finding is info, because the profile would deny most of those calls anyway.",
	Fix: "Use an `archMap` like Docker's default, for example SCMP_ARCH_X86_64 with " +
		"subArchitectures SCMP_ARCH_X86 and SCMP_ARCH_X32, or add them to `architectures`.",
	Bad:  `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": []}`,
	Good: `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": []}`,
}

// expectedSubArches maps each architecture to the sub-architectures that
// the default profile's archMap gives it.
func expectedSubArches() map[string][]string {
	out := make(map[string][]string)
	for _, m := range input.Default().ArchMap {
		for _, s := range m.SubArches {
			out[m.Arch.Value] = append(out[m.Arch.Value], s.Value)
		}
	}
	return out
}

func checkArchCoverage(t *target) []finding.Finding {
	p := t.profile
	severity := finding.Low
	if !t.defaultAllows() {
		severity = finding.Info
	}
	var out []finding.Finding
	add := func(pos input.Pos, format string, args ...any) {
		f := ArchCoverage.New(t.loc(pos), format, args...)
		f.Severity = severity
		out = append(out, f)
	}

	if len(p.Architectures) == 0 && len(p.ArchMap) == 0 {
		add(p.Pos, "the profile lists no architectures, so it covers only the native ABI: "+
			"syscalls of the 32-bit ABIs hit the bad-architecture action")
		return out
	}
	expected := expectedSubArches()
	listed := p.Architectures
	for _, a := range p.Architectures {
		if missing := missingArches(expected[a.Value], listed); len(missing) > 0 {
			add(a.Pos, "%s is listed without %s: syscalls of that ABI hit the bad-architecture action",
				a.Value, strings.Join(missing, " and "))
		}
	}
	for _, m := range p.ArchMap {
		with := append([]input.String{m.Arch}, m.SubArches...)
		if missing := missingArches(expected[m.Arch.Value], with); len(missing) > 0 {
			add(m.Pos, "archMap gives %s no %s: syscalls of that ABI hit the bad-architecture action",
				m.Arch.Value, strings.Join(missing, " or "))
		}
	}
	return out
}

func missingArches(expected []string, listed []input.String) []string {
	var missing []string
	for _, e := range expected {
		if !slices.ContainsFunc(listed, func(s input.String) bool { return s.Value == e }) {
			missing = append(missing, e)
		}
	}
	return missing
}
