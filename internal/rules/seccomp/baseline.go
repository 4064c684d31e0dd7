package seccomp

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	input "github.com/dockward/dockward/internal/input/seccomp"
)

// grant is one way the runtime's default profile allows a syscall: all of
// its capabilities and argument conditions must hold.
type grant struct {
	caps      []string
	args      []string // canonical argument conditions, see argKey
	conds     []cond
	arches    []string
	minKernel string
}

func (g grant) unconditional() bool {
	return len(g.caps) == 0 && len(g.args) == 0 && len(g.arches) == 0
}

// baseline maps each syscall to the grants of the default profile.
var baseline = sync.OnceValue(func() map[string][]grant {
	out := make(map[string][]grant)
	for _, r := range input.Default().Syscalls {
		if !input.Allows(r.Action.Value) {
			continue
		}
		g := grantOf(r)
		for _, n := range r.Names {
			out[n.Value] = append(out[n.Value], g)
		}
	}
	return out
})

func grantOf(r *input.Rule) grant {
	g := grant{}
	for _, a := range r.Args {
		g.args = append(g.args, argKey(a))
		g.conds = append(g.conds, condOf(a))
	}
	if r.Includes != nil {
		for _, c := range r.Includes.Caps {
			g.caps = append(g.caps, c.Value)
		}
		for _, a := range r.Includes.Arches {
			g.arches = append(g.arches, a.Value)
		}
		g.minKernel = r.Includes.MinKernel.Value
	}
	slices.Sort(g.args)
	return g
}

// argKey writes an argument condition in a canonical form.
func argKey(a input.Arg) string {
	if a.Op.Value == "SCMP_CMP_MASKED_EQ" {
		return fmt.Sprintf("arg%d & %#x == %#x", a.Index.Value, a.Value.Value, a.ValueTwo.Value)
	}
	op := strings.TrimPrefix(a.Op.Value, "SCMP_CMP_")
	sym := map[string]string{"NE": "!=", "LT": "<", "LE": "<=", "EQ": "==", "GE": ">=", "GT": ">"}[op]
	if sym == "" {
		sym = op
	}
	return fmt.Sprintf("arg%d %s %#x", a.Index.Value, sym, a.Value.Value)
}

// coveredByDefault reports whether an allowing rule is at least as strict
// as the default profile: every call it allows, the default allows too.
// Only the default's grants whose capabilities the rule also requires
// count, and the argument comparisons are compared by the values they
// accept, so arg0 == 1 is covered by the default's arg0 < 34.
func coveredByDefault(name string, r *input.Rule) bool {
	g := grantOf(r)
	var grants [][]cond
	for _, d := range baseline()[name] {
		if isSubset(d.caps, g.caps) {
			grants = append(grants, alternatives(d.conds)...)
		}
	}
	if len(grants) == 0 {
		return false
	}
	for _, rule := range alternatives(g.conds) {
		if !conjunctionCovered(rule, grants) {
			return false
		}
	}
	return true
}

// defaultAllowsUnconditionally reports whether the default profile allows
// the syscall with no capability or argument condition.
func defaultAllowsUnconditionally(name string) bool {
	for _, d := range baseline()[name] {
		if len(d.caps) == 0 && len(d.args) == 0 {
			return true
		}
	}
	return false
}

// describeDefault says under which conditions the default profile allows
// the syscall.
func describeDefault(name string) string {
	gs := baseline()[name]
	if len(gs) == 0 {
		return "the runtime's default profile denies it"
	}
	var parts []string
	for _, g := range gs {
		var conds []string
		if len(g.caps) > 0 {
			conds = append(conds, "with "+strings.Join(g.caps, " and "))
		}
		if len(g.args) > 0 {
			conds = append(conds, "when "+strings.Join(g.args, " and "))
		}
		if len(g.arches) > 0 {
			conds = append(conds, "on "+strings.Join(g.arches, ", "))
		}
		if g.minKernel != "" {
			conds = append(conds, "from kernel "+g.minKernel)
		}
		if len(conds) == 0 {
			conds = append(conds, "unconditionally")
		}
		parts = append(parts, strings.Join(conds, " "))
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	return "the runtime's default profile allows it only " + strings.Join(parts, ", or ")
}

func isSubset(sub, set []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}
