package apparmor

import (
	"slices"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// BroadPtrace fires on a ptrace rule that allows tracing or reading any
// process.
var BroadPtrace = &rule.Rule{
	ID:       "AA007",
	Slug:     "apparmor-broad-ptrace",
	Title:    "ptrace allowed broadly",
	Severity: finding.Medium,
	Kind:     rule.KindAppArmor,
	Description: "A ptrace rule without a peer, or with a peer such as unconfined or a wildcard, " +
		"lets the process trace or read the memory of processes outside its own profile, such as " +
		"the runtime's or the host's, when capabilities and Yama allow it. Docker's default " +
		"allows ptrace only between processes of the same profile.",
	Fix:  "Restrict the rule to the profile itself: `ptrace (trace, read) peer=PROFILE,`.",
	Bad:  "profile app {\n  ptrace,\n}",
	Good: "profile app {\n  ptrace (trace, read) peer=app,\n}",
}

// activeAccess are the ptrace permissions that act on the peer.
var activeAccess = []string{"trace", "read", "r", "w", "rw"}

func checkPtrace(t *target) []finding.Finding {
	var out []finding.Finding
	for _, p := range t.ruleHolders() {
		for _, r := range ownRules(p) {
			if r.Kind != input.KindPtrace || r.Deny || !activeOnPeer(r) || !broadPeer(r.Peer, p.Name) {
				continue
			}
			peer := r.Peer
			if peer == "" {
				peer = "any process"
			}
			out = append(out, BroadPtrace.New(t.loc(r.Line), "%s allows ptrace %s of %s",
				profileName(p), accessText(r.Access), peer))
		}
	}
	return out
}

func activeOnPeer(r *input.Rule) bool {
	if len(r.Access) == 0 {
		return true
	}
	for _, a := range r.Access {
		if slices.Contains(activeAccess, a) {
			return true
		}
	}
	return false
}

// broadPeer reports whether a peer pattern reaches beyond the profile.
// AppArmor sets @{profile_name} to the name of the profile that holds the
// rule, or that includes the abstraction holding it.
func broadPeer(peer, self string) bool {
	if peer == "@{profile_name}" {
		return false
	}
	return peer == "" || peer == "unconfined" || strings.ContainsAny(peer, "*?{[") && peer != self
}

func accessText(access []string) string {
	if len(access) == 0 {
		return "(all access)"
	}
	return "(" + strings.Join(access, ", ") + ")"
}
