package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// PrivilegedExec fires on docker exec with --privileged or --user root.
var PrivilegedExec = &rule.Rule{
	ID:       "RT040",
	Slug:     "privileged-exec",
	Title:    "docker exec with --privileged or --user root",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "docker exec --privileged gives the new process every capability and no " +
		"confinement, and --user root runs it as root even when the container itself runs as " +
		"another user. Both undo the container's hardening for that process.",
	Fix: "Run exec as the container's own user and without --privileged: `docker exec -u app " +
		"web cmd`. Compose: `docker compose exec --user app web cmd`. Kubernetes: `kubectl exec` " +
		"runs as the container's user.",
	CIS:  "5.22, 5.23",
	Bad:  "docker exec --privileged -u root web sh",
	Good: "docker exec -u app web sh",
}

func checkPrivilegedExec(c *rt.Container, e *emitter) {
	if !isExec(c) {
		return
	}
	if p := c.Security.Privileged; rt.Is(p, true) {
		e.at(p.Pos, "%s runs the process privileged", c.Command)
	}
	if u := c.Security.User; u.Known() && isRootUser(u.V) {
		e.at(u.Pos, "%s runs the process as root (--user %s)", c.Command, u.V)
	}
}
