package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// RunsAsRoot fires when the container's process runs as root.
var RunsAsRoot = &rule.Rule{
	ID:       "RT001",
	Slug:     "runs-as-root",
	Title:    "Container runs as root",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "The container's process runs as root (user 0), either because the user is set to " +
		"root or because neither the container nor its image names another user. Root in a " +
		"container is root on the host's kernel: together with any other weakness (a writable " +
		"host mount, an added capability, a kernel bug) it becomes root on the host. When the " +
		"image is not known, the finding says so, because the image's USER may already name " +
		"another user.",
	Fix: "Run as a non-root user. docker: `--user 10001:10001`. Compose: `user: \"10001:10001\"`. " +
		"Kubernetes: `securityContext.runAsNonRoot: true` and `securityContext.runAsUser: 10001`. " +
		"Better still, set `USER 10001` in the Dockerfile.",
	CIS:  "4.1",
	Bad:  "docker run --user root nginx:1.27",
	Good: "docker run --user 10001:10001 nginx:1.27",
	Limits: "An image that is not known (not built from a Dockerfile in the tree and not inspected " +
		"on an engine) may set USER itself; the finding then says that the image may set one. " +
		"Kubernetes containers pass only with runAsNonRoot: true or a non-zero runAsUser, " +
		"because the image's USER is not checked at admission otherwise. A user written through " +
		"a variable or command substitution that cannot be resolved, such as `--user \"$(id -u)\"`, " +
		"is reported with low severity, because it may or may not be root.",
}

func checkRunsAsRoot(c *rt.Container, e *emitter) {
	if k := c.Kubernetes; k != nil {
		checkKubeRoot(c, k, e)
		return
	}
	u := c.Security.User
	switch {
	case u.Unknown:
		e.unresolved(u.Pos, "the user comes from %s, so the container may run as root",
			unresolvedText(u.Raw))
		return
	case u.Set && isRootUser(u.V):
		e.at(u.Pos, "the container runs as root (%s %q)", cli(c, "--user", "user:", "runAsUser"), u.V)
		return
	case u.Set && strings.TrimSpace(u.V) != "":
		return
	case hidden(c):
		return
	}

	lead, pos := noUserLead(c, u)
	img := c.ImageConfig
	switch {
	case img == nil:
		e.at(pos, "%s, so the container runs as root unless the image sets USER; "+
			"the image is not known here, so set the user explicitly", lead)
	case img.User.Known() && img.User.V != "" && !isRootUser(img.User.V):
		return
	case img.User.Known() && img.User.V != "":
		e.at(pos, "%s and the image %s sets USER %s, so the container runs as root",
			lead, img.Ref, img.User.V)
	case img.Base != "" || img.User.Unknown:
		e.at(pos, "%s and %s sets no USER, so the container runs as root "+
			"unless its base image%s sets one", lead, img.Ref, prefixed(" ", img.Base))
	default:
		e.at(pos, "%s and the image %s sets no USER, so the container runs as root",
			lead, img.Ref)
	}
}

// noUserLead starts the message for a container that leaves the user to
// the image, and returns where to point. An empty user, such as compose's
// user: ${RUN_AS} with RUN_AS unset, is the same as none to the engine.
func noUserLead(c *rt.Container, u rt.Value[string]) (string, rt.Pos) {
	if !u.Set {
		return "no user is set", c.Image.Pos
	}
	key := cli(c, "--user", "user:", "runAsUser")
	if strings.Contains(u.Raw, "$") {
		return sprintf("%s %s is empty because its variable is not set and has no default, "+
			"and an empty user is the same as none", key, u.Raw), u.Pos
	}
	return sprintf("%s is empty, which is the same as no user", key), u.Pos
}

func checkKubeRoot(c *rt.Container, k *rt.KubernetesSettings, e *emitter) {
	if k.RunAsUser.Unknown || k.RunAsNonRoot.Unknown {
		return
	}
	if k.RunAsUser.Known() && k.RunAsUser.V == 0 {
		e.at(k.RunAsUser.Pos, "runAsUser is 0, so the container runs as root")
		return
	}
	if k.RunAsUser.Known() || rt.Is(k.RunAsNonRoot, true) {
		return
	}
	pos := k.RunAsNonRoot.Pos
	if !k.RunAsNonRoot.Set {
		pos = c.Pos
	}
	e.at(pos, "neither runAsNonRoot: true nor a non-zero runAsUser is set, so the container "+
		"runs as root unless the image sets a non-root USER")
}

// isRootUser reports whether a user[:group] names user 0.
func isRootUser(s string) bool {
	user, _, _ := strings.Cut(strings.TrimSpace(s), ":")
	return user == "0" || user == "root"
}

// prefixed returns sep+s, or "" when s is empty.
func prefixed(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
