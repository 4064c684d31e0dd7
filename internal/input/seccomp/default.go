package seccomp

import (
	"encoding/json"
	"sync"

	mobyseccomp "github.com/moby/profiles/seccomp"
)

// DefaultSource names the module that Default comes from.
const DefaultSource = "github.com/moby/profiles/seccomp v0.3.0"

var defaultProfile = sync.OnceValues(func() (*Profile, []byte) {
	data, err := json.MarshalIndent(mobyseccomp.DefaultProfile(), "", "\t")
	if err != nil {
		panic("encoding the moby default seccomp profile: " + err.Error())
	}
	ps, err := Parse(data)
	if err != nil {
		panic("reading the moby default seccomp profile: " + err.Error())
	}
	return ps[0], data
})

// Default returns the default profile of the Docker runtime, as the
// github.com/moby/profiles/seccomp module builds it. Positions refer to
// DefaultJSON. Callers must not modify the result.
func Default() *Profile {
	p, _ := defaultProfile()
	return p
}

// DefaultJSON returns the default profile as indented JSON.
func DefaultJSON() []byte {
	_, data := defaultProfile()
	return data
}

// Actions that let a syscall run. SCMP_ACT_LOG runs it and logs it.
const (
	ActAllow = "SCMP_ACT_ALLOW"
	ActLog   = "SCMP_ACT_LOG"
)

// Allows reports whether an action lets the syscall run. SCMP_ACT_TRACE
// and SCMP_ACT_NOTIFY hand the decision to another process, so they count
// as not allowing.
func Allows(action string) bool {
	return action == ActAllow || action == ActLog
}

// Entry is one syscall name of one rule.
type Entry struct {
	Name String
	Rule *Rule
}

// Index maps each syscall name to the rules that name it, in file order.
func (p *Profile) Index() map[string][]Entry {
	idx := make(map[string][]Entry)
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			idx[n.Value] = append(idx[n.Value], Entry{Name: n, Rule: r})
		}
	}
	return idx
}

// Conditional reports whether the rule applies only under a condition:
// argument comparisons, capabilities, architectures or a kernel version.
func (r *Rule) Conditional() bool {
	return len(r.Args) > 0 || !r.Includes.Empty() || !r.Excludes.Empty()
}

// Empty reports whether the filter sets no condition.
func (f *Filter) Empty() bool {
	return f == nil || (len(f.Caps) == 0 && len(f.Arches) == 0 && f.MinKernel.Value == "")
}

// ArchNames returns the architectures the profile covers: architectures,
// then each archMap entry with its sub-architectures, without repeats.
func (p *Profile) ArchNames() []string {
	var out []string
	seen := make(map[string]bool)
	add := func(a string) {
		if a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, a := range p.Architectures {
		add(a.Value)
	}
	for _, m := range p.ArchMap {
		add(m.Arch.Value)
		for _, s := range m.SubArches {
			add(s.Value)
		}
	}
	return out
}

// filterArchNames maps the GOARCH-style names that includes.arches and
// excludes.arches use to the seccomp architectures they select.
var filterArchNames = map[string][]string{
	"amd64":       {"SCMP_ARCH_X86_64"},
	"386":         {"SCMP_ARCH_X86"},
	"x86":         {"SCMP_ARCH_X86"},
	"x32":         {"SCMP_ARCH_X32"},
	"arm":         {"SCMP_ARCH_ARM"},
	"arm64":       {"SCMP_ARCH_AARCH64"},
	"aarch64":     {"SCMP_ARCH_AARCH64"},
	"mips":        {"SCMP_ARCH_MIPS"},
	"mipsle":      {"SCMP_ARCH_MIPSEL"},
	"mips64":      {"SCMP_ARCH_MIPS64"},
	"mips64le":    {"SCMP_ARCH_MIPSEL64"},
	"mips64n32":   {"SCMP_ARCH_MIPS64N32"},
	"mips64len32": {"SCMP_ARCH_MIPSEL64N32"},
	"ppc":         {"SCMP_ARCH_PPC"},
	"ppc64":       {"SCMP_ARCH_PPC64"},
	"ppc64le":     {"SCMP_ARCH_PPC64LE"},
	"s390":        {"SCMP_ARCH_S390"},
	"s390x":       {"SCMP_ARCH_S390X"},
	"riscv64":     {"SCMP_ARCH_RISCV64"},
	"loong64":     {"SCMP_ARCH_LOONGARCH64"},
	"loongarch64": {"SCMP_ARCH_LOONGARCH64"},
	"parisc":      {"SCMP_ARCH_PARISC"},
	"parisc64":    {"SCMP_ARCH_PARISC64"},
}

// FilterArch returns the seccomp architectures that a GOARCH-style name of
// includes.arches or excludes.arches selects, or nil for an unknown name.
func FilterArch(name string) []string { return filterArchNames[name] }
