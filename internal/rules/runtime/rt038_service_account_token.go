package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// ServiceAccountToken fires when Kubernetes mounts the service account
// token automatically.
var ServiceAccountToken = &rule.Rule{
	ID:       "RT038",
	Slug:     "service-account-token",
	Title:    "Service account token mounted automatically",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "Kubernetes mounts a token for the pod's service account into every container " +
		"unless told otherwise. Most workloads never call the API server, and the token lets " +
		"an attacker in the container do whatever the account's RBAC allows.",
	Fix: "Kubernetes: `automountServiceAccountToken: false` in the pod spec (or on the " +
		"ServiceAccount), and mount a projected token only where the API is needed. docker " +
		"and compose have no service account token.",
	Bad: "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    image: app:1.0",
	Good: "apiVersion: v1\nkind: Pod\nspec:\n  automountServiceAccountToken: false\n  " +
		"containers:\n  - name: app\n    image: app:1.0",
	Limits: "A ServiceAccount with automountServiceAccountToken: false also stops the mount; " +
		"the rule only sees the pod spec.",
}

func checkServiceAccountToken(c *rt.Container, e *emitter) {
	k := c.Kubernetes
	if k == nil || k.AutomountServiceAccountToken.Unknown || rt.Is(k.AutomountServiceAccountToken, false) {
		return
	}
	pos := k.AutomountServiceAccountToken.Pos
	if !k.AutomountServiceAccountToken.Set {
		pos = rt.Pos{}
	}
	e.at(pos, "the service account token is mounted automatically")
}
