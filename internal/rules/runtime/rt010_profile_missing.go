package runtime

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path"
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

// ProfileMissing fires when a seccomp profile file is missing or cannot
// be read.
var ProfileMissing = &rule.Rule{
	ID:       "RT010",
	Slug:     "profile-missing",
	Title:    "seccomp or AppArmor profile missing or unreadable",
	Severity: finding.Medium,
	Kind:     rule.KindRuntime,
	Description: "The container names a seccomp profile file that does not exist, cannot be " +
		"read or is not JSON. The docker CLI reads the file before it creates the container, so " +
		"the command fails; people then often fall back to seccomp=unconfined.",
	Fix: "Commit the profile beside the file that names it and reference it by a path that " +
		"exists. docker: `--security-opt seccomp=./seccomp.json`. Compose: `security_opt: " +
		"[\"seccomp=./seccomp.json\"]`. Kubernetes: `seccompProfile.type: Localhost` with " +
		"`localhostProfile` under the kubelet's seccomp directory.",
	Bad:  "docker run --security-opt seccomp=./missing-profile.json alpine:3.20",
	Good: "docker run --security-opt seccomp=default alpine:3.20",
	Limits: "Paths are resolved against the directory of the file that names them and then the " +
		"project root; absolute paths outside the project and Kubernetes Localhost profiles " +
		"(which live on the node) are not checked. AppArmor profiles are named, not files: a name " +
		"is reported only when the project holds AppArmor profiles and none declares it, since a " +
		"profile kept only on the host is not visible. The profile that does declare the name " +
		"is linted with the AA rules.",
}

func checkProfileMissing(c *rt.Container, e *emitter) {
	checkAppArmorReference(c, e)
	s := c.Security.Seccomp
	if !s.Known() || s.V.Kind != rt.ProfileFile || e.ctx.ReadFile == nil {
		return
	}
	data, err := e.ctx.ReadFile(s.V.Name)
	switch {
	case errors.Is(err, ErrOutsideProject):
		return
	case errors.Is(err, fs.ErrNotExist):
		reportMissingProfile(s.V.Name, s.Pos, e)
	case err != nil:
		e.at(s.Pos, "seccomp profile %s cannot be read: %v", s.V.Name, err)
	case !json.Valid(data):
		e.at(s.Pos, "seccomp profile %s is not valid JSON", s.V.Name)
	case e.ctx.LintSeccomp != nil:
		// The profile exists: lint it too, so audit reports what SC rules
		// find in a profile that a compose file or command line names.
		e.out = append(e.out, e.ctx.LintSeccomp(s.V.Name, data)...)
	}
}

// reportMissingProfile reports a profile file that does not exist, by the
// name as written. A name with backslashes, such as .\seccomp.json, is a
// Windows path that the docker CLI on Linux reads as one file name, so
// the message says whether the same path with slashes exists.
func reportMissingProfile(name string, pos rt.Pos, e *emitter) {
	if !strings.Contains(name, `\`) {
		e.at(pos, "seccomp profile %s does not exist", name)
		return
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	if _, err := e.ctx.ReadFile(path.Clean(slashed)); err == nil {
		e.at(pos, "seccomp profile %s is not found because \\ is a Windows path separator, "+
			"which Docker on Linux does not accept, so write %s", name, slashed)
		return
	}
	e.at(pos, "seccomp profile %s does not exist, and %s does not either "+
		"(\\ is a Windows path separator, which Docker on Linux does not accept)", name, slashed)
}

// ErrOutsideProject is the error a Context.ReadFile returns for a path it
// does not check, such as an absolute path on the host that runs the container.
// RT010 stays silent for it.
var ErrOutsideProject = rt.ErrOutsideTree
