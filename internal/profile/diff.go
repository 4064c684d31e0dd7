package profile

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/input/seccomp"
	"github.com/dockward/dockward/internal/syscalls"
)

// Grant is a syscall a profile allows on one architecture, with the
// conditions of each rule that allows it. An empty condition means the
// syscall is allowed unconditionally.
type Grant struct {
	Syscall    string   `json:"syscall"`
	Conditions []string `json:"conditions"`
}

// ArchDiff lists, for one architecture, the syscalls only one profile
// allows and those both allow under different conditions.
type ArchDiff struct {
	Arch    string      `json:"arch"`
	OnlyA   []Grant     `json:"only_a"`
	OnlyB   []Grant     `json:"only_b"`
	Changed []GrantPair `json:"changed"`
}

// GrantPair is a syscall both profiles allow under different conditions.
type GrantPair struct {
	Syscall string   `json:"syscall"`
	A       []string `json:"a"`
	B       []string `json:"b"`
}

// Diff is the difference between two seccomp profiles.
type Diff struct {
	A      string     `json:"a"`
	B      string     `json:"b"`
	Arches []ArchDiff `json:"arches"`
}

// Empty reports whether the profiles allow the same syscalls.
func (d *Diff) Empty() bool {
	for _, a := range d.Arches {
		if len(a.OnlyA)+len(a.OnlyB)+len(a.Changed) > 0 {
			return false
		}
	}
	return true
}

// DiffSeccomp compares what two profiles allow, per architecture. The
// architectures compared are those either profile lists. A profile that
// lists none covers the host's native architecture, whichever it is, so it
// is taken to cover every compared architecture.
func DiffSeccomp(nameA string, a *seccomp.Profile, nameB string, b *seccomp.Profile) *Diff {
	d := &Diff{A: nameA, B: nameB}
	for _, arch := range compareArches(a, b) {
		ga, gb := allowed(a, arch), allowed(b, arch)
		ad := ArchDiff{Arch: arch}
		for _, name := range unionKeys(ga, gb) {
			ca, inA := ga[name]
			cb, inB := gb[name]
			switch {
			case inA && !inB:
				ad.OnlyA = append(ad.OnlyA, Grant{name, ca})
			case inB && !inA:
				ad.OnlyB = append(ad.OnlyB, Grant{name, cb})
			case !sameConditions(ca, cb):
				ad.Changed = append(ad.Changed, GrantPair{name, ca, cb})
			}
		}
		d.Arches = append(d.Arches, ad)
	}
	return d
}

func compareArches(a, b *seccomp.Profile) []string {
	arches := append(a.ArchNames(), b.ArchNames()...)
	if len(arches) == 0 {
		arches = []string{"SCMP_ARCH_X86_64"}
	}
	slices.Sort(arches)
	return slices.Compact(arches)
}

// covers reports whether the profile's filter applies to arch.
func covers(p *seccomp.Profile, arch string) bool {
	names := p.ArchNames()
	return len(names) == 0 || slices.Contains(names, arch)
}

// appliesOn reports whether a rule's arch filters select arch.
func appliesOn(r *seccomp.Rule, arch string) bool {
	if r.Includes != nil && len(r.Includes.Arches) > 0 && !filterSelects(r.Includes.Arches, arch) {
		return false
	}
	return r.Excludes == nil || !filterSelects(r.Excludes.Arches, arch)
}

func filterSelects(filter []seccomp.String, arch string) bool {
	for _, f := range filter {
		if slices.Contains(seccomp.FilterArch(f.Value), arch) {
			return true
		}
	}
	return false
}

// allowed maps each syscall the profile allows on arch to its conditions,
// in the order of the rules.
func allowed(p *seccomp.Profile, arch string) map[string][]string {
	out := make(map[string][]string)
	if !covers(p, arch) {
		return out
	}
	denied := make(map[string][]string)
	for _, r := range p.Syscalls {
		if !appliesOn(r, arch) {
			continue
		}
		cond := conditionOf(r)
		for _, n := range r.Names {
			if _, ok := syscalls.Lookup(syscalls.Arch(arch), n.Value); !ok {
				continue
			}
			if seccomp.Allows(r.Action.Value) {
				out[n.Value] = appendUnique(out[n.Value], cond)
			} else {
				denied[n.Value] = appendUnique(denied[n.Value], cond)
			}
		}
	}
	if seccomp.Allows(p.DefaultAction.Value) {
		for _, e := range syscalls.Table(syscalls.Arch(arch)) {
			if _, named := out[e.Name]; named {
				continue
			}
			conds, isDenied := denied[e.Name]
			switch {
			case !isDenied:
				out[e.Name] = []string{""}
			case !slices.Contains(conds, ""):
				out[e.Name] = []string{"unless " + strings.Join(conds, " or ")}
			}
		}
	}
	return out
}

// sameConditions reports whether two condition lists hold the same
// conditions in any order. The lists keep the file's order for display.
func sameConditions(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// conditionOf describes the conditions of a rule: capabilities, argument
// comparisons and kernel version; architecture filters are applied by the
// caller.
func conditionOf(r *seccomp.Rule) string {
	var parts []string
	if r.Includes != nil {
		for _, c := range r.Includes.Caps {
			parts = append(parts, "with "+c.Value)
		}
		if r.Includes.MinKernel.Value != "" {
			parts = append(parts, "kernel >= "+r.Includes.MinKernel.Value)
		}
	}
	if r.Excludes != nil {
		for _, c := range r.Excludes.Caps {
			parts = append(parts, "without "+c.Value)
		}
	}
	for _, a := range r.Args {
		parts = append(parts, argText(a))
	}
	return strings.Join(parts, ", ")
}

func argText(a seccomp.Arg) string {
	op := map[string]string{
		"SCMP_CMP_NE": "!=", "SCMP_CMP_LT": "<", "SCMP_CMP_LE": "<=", "SCMP_CMP_EQ": "==",
		"SCMP_CMP_GE": ">=", "SCMP_CMP_GT": ">",
	}[a.Op.Value]
	if a.Op.Value == "SCMP_CMP_MASKED_EQ" {
		return fmt.Sprintf("arg%d & %#x == %#x", a.Index.Value, a.Value.Value, a.ValueTwo.Value)
	}
	if op == "" {
		op = a.Op.Value
	}
	return fmt.Sprintf("arg%d %s %#x", a.Index.Value, op, a.Value.Value)
}

func unionKeys(a, b map[string][]string) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// WriteText writes the diff for people: per architecture, "-" for a
// syscall only A allows, "+" for one only B allows, "~" for changed
// conditions. Architectures with no difference are left out.
func (d *Diff) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", d.A, d.B)
	for _, a := range d.Arches {
		if len(a.OnlyA)+len(a.OnlyB)+len(a.Changed) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s\n", a.Arch)
		for _, g := range a.OnlyA {
			fmt.Fprintf(&b, "  - %s%s\n", g.Syscall, condText(g.Conditions))
		}
		for _, g := range a.OnlyB {
			fmt.Fprintf(&b, "  + %s%s\n", g.Syscall, condText(g.Conditions))
		}
		for _, g := range a.Changed {
			fmt.Fprintf(&b, "  ~ %s: %s%s\n", g.Syscall, strings.TrimPrefix(condText(g.A), " "),
				" -> "+strings.TrimPrefix(condText(g.B), " "))
		}
	}
	if d.Empty() {
		b.WriteString("the profiles allow the same syscalls\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func condText(conds []string) string {
	var parts []string
	for _, c := range conds {
		if c == "" {
			c = "unconditionally"
		}
		parts = append(parts, c)
	}
	return " (" + strings.Join(parts, "; or ") + ")"
}
