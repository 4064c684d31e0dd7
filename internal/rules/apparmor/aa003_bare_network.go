package apparmor

import (
	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// BareNetwork fires on a "network," rule.
var BareNetwork = &rule.Rule{
	ID:       "AA003",
	Slug:     "apparmor-bare-network",
	Title:    "Bare network rule allows every address family",
	Severity: finding.Low,
	Kind:     rule.KindAppArmor,
	Description: "`network,` allows sockets of every address family and type, including raw " +
		"and packet sockets, netlink and rarely used families with a history of kernel bugs.",
	Fix:  "Name the families and types the program uses, such as `network inet stream,`.",
	Bad:  "profile app {\n  network,\n}",
	Good: "profile app {\n  network inet stream,\n  network inet6 stream,\n}",
}

func checkBareNetwork(t *target) []finding.Finding {
	return bareRules(t, BareNetwork, input.KindNetwork,
		"%s allows sockets of every address family and type")
}
