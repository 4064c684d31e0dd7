// Package runtime holds the runtime rules (RT001 to RT041). They judge the
// runtime model that every container source fills, so one rule covers
// docker run lines, compose services, Kubernetes containers, docker
// inspect output and live containers alike.
package runtime

import (
	"slices"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

// check is one rule and its judgement of one container.
type check struct {
	rule *rule.Rule
	// exec is true for the rules that apply to docker exec as well.
	exec bool
	run  func(c *rt.Container, e *emitter)
}

// Context holds what rules may consult beside the container.
type Context struct {
	// ReadFile reads a file that a container names, such as a seccomp
	// profile, relative to the file that names it. Nil means files cannot
	// be checked and RT010 stays silent.
	ReadFile func(name string) ([]byte, error)
	// LintSeccomp lints a seccomp profile that a container names, after
	// ReadFile has read it, and returns findings located in the profile.
	// Nil means referenced profiles are not linted.
	LintSeccomp func(name string, data []byte) []finding.Finding
	// AppArmorProfiles returns the AppArmor profiles found in the project,
	// for settings that name a profile. Nil means they are not looked up.
	AppArmorProfiles func() []ProjectProfile
}

// emitter collects the findings of one rule on one container.
type emitter struct {
	c   *rt.Container
	r   *rule.Rule
	ctx *Context
	out []finding.Finding
}

// at adds a finding at pos, or at the start of the container when pos is
// unknown because the source does not set the value.
func (e *emitter) at(pos rt.Pos, format string, args ...any) *finding.Finding {
	if pos.Line == 0 && pos.Path == "" {
		pos = e.c.Pos
	}
	f := e.r.New(location(pos), "%s", subject(e.c)+sprintf(format, args...))
	f.AnchorLine = e.c.Pos.Line
	e.out = append(e.out, f)
	return &e.out[len(e.out)-1]
}

func location(p rt.Pos) finding.Location {
	loc := finding.Location{Path: p.Path, StartLine: p.Line, StartColumn: p.Column,
		EndLine: p.EndLine, EndColumn: p.EndColumn}
	if loc.EndLine == 0 {
		loc.EndLine = loc.StartLine
	}
	return loc
}

// subject names the container at the start of a message when the source
// holds several, such as compose services and Kubernetes containers.
func subject(c *rt.Container) string {
	switch {
	case c.Source == rt.SourceKubernetes && c.Workload != "":
		return c.Workload + " container " + c.Name + ": "
	case c.Source == rt.SourceKubernetes, c.Source == rt.SourceCompose && c.Name != "":
		kind := "service "
		if c.Source == rt.SourceKubernetes {
			kind = "container "
		}
		return kind + c.Name + ": "
	}
	return ""
}

// Audit runs every runtime rule over the containers and returns the
// findings in source order. ctx may be nil.
func Audit(cs []*rt.Container, ctx *Context) []finding.Finding {
	if ctx == nil {
		ctx = &Context{}
	}
	var out []finding.Finding
	for _, c := range cs {
		for _, ch := range checks {
			if isExec(c) && !ch.exec {
				continue
			}
			e := &emitter{c: c, r: ch.rule, ctx: ctx}
			ch.run(c, e)
			out = append(out, e.out...)
		}
	}
	finding.Sort(out, nil)
	return out
}

func isPodman(c *rt.Container) bool { return strings.HasPrefix(c.Command, "podman ") }

func isExec(c *rt.Container) bool { return strings.HasSuffix(c.Command, " exec") }

// unresolved adds a finding for a setting written through a variable that
// cannot be resolved, so the risky value is possible but not certain. The
// finding ranks below the rule's severity: Low, or Info for Low rules.
func (e *emitter) unresolved(pos rt.Pos, format string, args ...any) *finding.Finding {
	f := e.at(pos, format, args...)
	f.Severity = finding.Info
	if e.r.Severity > finding.Low {
		f.Severity = finding.Low
	}
	return f
}

// unresolvedText names a value as written, with secrets redacted, and
// why it is unknown. A command substitution such as $(id -u) runs only
// with the command, and a variable such as $APP_UID is not set in the
// file. A literal that does not decode is invalid.
func unresolvedText(raw string) string {
	raw = strings.TrimSpace(raw)
	if rt.HasMakeMarker(raw) {
		// NOTE: the make reference itself, such as $(shell id -u), is not
		// kept by the Makefile reader.
		return "a make reference, which is known only when make runs"
	}
	redacted := secrets.RedactText(raw)
	switch {
	case strings.Contains(raw, "$(") || strings.Contains(raw, "`"):
		return redacted + ", which is known only when the command runs"
	case !strings.Contains(raw, "$"):
		return redacted + ", which is not a valid value"
	}
	return redacted + ", which cannot be resolved here"
}

// isKubeHelper reports whether c is a Kubernetes init or ephemeral
// container, which cannot have probes.
func isKubeHelper(c *rt.Container) bool {
	k := c.Kubernetes
	return k != nil && (k.ContainerKind == "initContainer" || k.ContainerKind == "ephemeralContainer")
}

// isEphemeral reports whether c is a Kubernetes ephemeral container,
// which may not set resources: it uses what the pod already has.
func isEphemeral(c *rt.Container) bool {
	return c.Kubernetes != nil && c.Kubernetes.ContainerKind == "ephemeralContainer"
}

// unresolvedOption returns the last --security-opt or security_opt entry
// for key whose value cannot be resolved, such as seccomp=$PROFILE.
func unresolvedOption(c *rt.Container, key string) (rt.SecurityOpt, bool) {
	for _, o := range slices.Backward(c.Security.Options) {
		if o.Unknown && o.Key == key {
			return o, true
		}
	}
	return rt.SecurityOpt{}, false
}

// hidden reports whether a missing setting may be hidden in an unresolved
// variable, so rules about missing settings stay silent.
func hidden(c *rt.Container) bool { return len(c.UnknownArgs) > 0 }

// capName normalises a capability the way the engine does: upper case,
// without the CAP_ prefix.
func capName(s string) string {
	return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CAP_")
}

func dropsAll(c *rt.Container) bool {
	return slices.ContainsFunc(c.Security.CapDrop, func(v rt.Value[string]) bool {
		return v.Known() && capName(v.V) == "ALL"
	})
}

// fromEngine reports whether c was read from docker inspect output or a
// live container, whose settings carry the engine's HostConfig names.
func fromEngine(c *rt.Container) bool {
	return c.Source == rt.SourceInspect || c.Source == rt.SourceLive
}

// cli returns the name of the flag form for messages: --flag for command
// lines, the key for compose, the field for Kubernetes.
func cli(c *rt.Container, flag, composeKey, kubeField string) string {
	switch c.Source {
	case rt.SourceCompose:
		return composeKey
	case rt.SourceKubernetes:
		return kubeField
	}
	return flag
}
