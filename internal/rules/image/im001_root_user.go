package image

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var im001 = &rule.Rule{
	ID: "IM001", Slug: "image-runs-as-root", Severity: finding.High, Kind: rule.KindImage, CIS: "4.1",
	Title: "Image runs as root",
	Description: "The image config sets no User, or sets root or UID 0, so every container started " +
		"from it runs its process as root unless the run command overrides the user. A root " +
		"process is one kernel bug or one writable host mount away from root on the host. A " +
		"user name is resolved through the image's /etc/passwd, so a name with UID 0 counts as root.",
	Fix: "Add an unprivileged user to the image and set it with a numeric UID:GID, for example " +
		"`USER 10001:10001` in the Dockerfile.",
	Bad:  "# docker inspect --format '{{.Config.User}}' app:1 prints nothing\nFROM debian:12\nCMD [\"/app\"]",
	Good: "FROM debian:12\nRUN useradd --uid 10001 --no-create-home app\nUSER 10001:10001\nCMD [\"/app\"]",
	Limits: "A user set at run time (`docker run --user`, `runAsUser` in Kubernetes) is not known here; " +
		"the runtime rules check those.",
}

func checkRootUser(r *result) {
	cfg := r.in.Config
	if cfg == nil {
		return
	}
	spec := strings.TrimSpace(cfg.Config.User)
	u := r.accounts.user(spec)
	switch {
	case spec == "":
		r.add(im001.New(r.configLocation(), "the image config sets no User, so containers run as root"))
	case u.known && u.uid == 0:
		name, _, _ := strings.Cut(spec, ":")
		if name == "root" || name == "0" {
			r.add(im001.New(r.configLocation(), "the image config sets User %q, which is root", spec))
			return
		}
		r.add(im001.New(r.configLocation(), "the image config sets User %q, whose UID in %s is 0, so it is root",
			spec, passwdPath))
	}
}
