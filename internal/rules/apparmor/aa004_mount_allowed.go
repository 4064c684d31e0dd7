package apparmor

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// MountAllowed fires on a rule that allows mount or remount.
var MountAllowed = &rule.Rule{
	ID:       "AA004",
	Slug:     "apparmor-mount-allowed",
	Title:    "Profile allows mount",
	Severity: finding.High,
	Kind:     rule.KindAppArmor,
	Description: "A mount or remount rule lets a process with CAP_SYS_ADMIN mount file systems, " +
		"which can expose host devices, remount read-only paths writable, or hide the runtime's " +
		"masks over /proc. Docker's default profile denies every mount.",
	Fix:  "Remove the mount rule and add `deny mount,`; mount what the container needs from the runtime instead.",
	Bad:  "profile app {\n  mount,\n}",
	Good: "profile app {\n  deny mount,\n}",
	Limits: "A mount rule restricted to one file system type and target is reported too; judge " +
		"whether that mount is safe and suppress the finding with a reason.",
}

func checkMount(t *target) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.ruleHolders() {
		for _, r := range ownRules(p) {
			if r.Deny || (r.Kind != input.KindMount && r.Kind != input.KindRemount) {
				continue
			}
			what := "any file system anywhere"
			if !r.Bare {
				what = strings.Join(r.Args, " ")
			}
			out = append(out, MountAllowed.New(t.loc(r.Line), "%s allows %s: %s", profileName(p), r.Kind, what))
		}
	}
	return out
}
