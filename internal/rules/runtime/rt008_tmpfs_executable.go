package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// TmpfsExecutable fires on a tmpfs mount that allows executables or
// setuid binaries.
var TmpfsExecutable = &rule.Rule{
	ID:       "RT008",
	Slug:     "tmpfs-exec",
	Title:    "tmpfs mount without noexec and nosuid",
	Severity: finding.Low,
	Kind:     rule.KindRuntime,
	Description: "A writable tmpfs that allows execution is where an attacker drops and runs a " +
		"payload, even when the root file system is read-only; without nosuid a setuid binary " +
		"placed there raises privileges. The Docker Engine mounts tmpfs with noexec, nosuid and " +
		"nodev by default, so the rule fires when the options turn them off with exec or suid.",
	Fix: "Keep noexec and nosuid. docker: `--tmpfs /tmp:rw,noexec,nosuid,size=64m`. Compose: " +
		"`tmpfs: [\"/tmp:noexec,nosuid\"]`. Kubernetes cannot set tmpfs mount options on an " +
		"emptyDir; mount it only where no binaries are run.",
	Bad:  "docker run --read-only --tmpfs /tmp:rw,exec alpine:3.20",
	Good: "docker run --read-only --tmpfs /tmp:rw,noexec,nosuid alpine:3.20",
	Limits: "Kubernetes emptyDir volumes with medium Memory carry no mount options and are not " +
		"reported.",
}

func checkTmpfsExecutable(c *rt.Container, e *emitter) {
	for _, t := range c.Tmpfs {
		if t.Unknown || !t.OptionsKnown {
			continue
		}
		noexec, nosuid := true, true // the engine's defaults
		for _, o := range t.Options {
			switch strings.TrimSpace(o) {
			case "exec":
				noexec = false
			case "noexec":
				noexec = true
			case "suid":
				nosuid = false
			case "nosuid":
				nosuid = true
			}
		}
		var missing []string
		if !noexec {
			missing = append(missing, "noexec")
		}
		if !nosuid {
			missing = append(missing, "nosuid")
		}
		if len(missing) > 0 {
			e.at(t.Pos, "tmpfs %s is mounted without %s", t.Target, strings.Join(missing, " and "))
		}
	}
}
