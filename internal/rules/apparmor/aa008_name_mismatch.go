package apparmor

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	input "github.com/dockward/dockward/internal/input/apparmor"
	"github.com/dockward/dockward/internal/rule"
)

// NameMismatch fires when a runtime setting names a profile the file does
// not declare.
var NameMismatch = &rule.Rule{
	ID:       "AA008",
	Slug:     "apparmor-name-mismatch",
	Title:    "Runtime profile name does not match the profile",
	Severity: finding.Medium,
	Kind:     rule.KindAppArmor,
	Description: "`--security-opt apparmor=NAME`, a compose `security_opt` or a Kubernetes " +
		"`appArmorProfile` loads the profile by the name declared inside it, not by file name. " +
		"When the names differ, the container fails to start with \"profile not found\", or runs " +
		"under another profile that happens to carry the name.",
	Fix:  "Use the name after `profile` in the file, or rename the profile.",
	Bad:  "# docker run --security-opt apparmor=nginx\nprofile docker-nginx {\n  /srv/** r,\n}",
	Good: "# docker run --security-opt apparmor=docker-nginx\nprofile docker-nginx {\n  /srv/** r,\n}",
	Limits: "Runs only when a runtime setting references the file, through `check` or " +
		"`dockward profile lint --apparmor-name NAME`.",
}

// CheckName returns an AA008 finding when file declares no profile called
// name, the name a runtime setting uses. A Kubernetes "localhost/NAME"
// prefix is removed first.
func CheckName(path string, f *input.File, name string) []finding.Finding {
	name = strings.TrimPrefix(name, "localhost/")
	if name == "" || f.HasProfile(name) {
		return nil
	}
	line := 1
	if len(f.Profiles) > 0 {
		line = f.Profiles[0].Line
	}
	declared := f.Names()
	loc := finding.Location{Path: path, StartLine: line, EndLine: line}
	if len(declared) == 0 {
		return []finding.Finding{NameMismatch.New(loc, "the runtime uses profile %q, but the file declares no profile", name)}
	}
	return []finding.Finding{NameMismatch.New(loc, "the runtime uses profile %q, but the file declares %s",
		name, strings.Join(quoteAll(declared), ", "))}
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = `"` + n + `"`
	}
	return out
}
