package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df003 = &rule.Rule{
	ID: "DF003", Slug: "user-by-name", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "USER given by name, not numeric UID:GID",
	Description: "The final USER names a user instead of a numeric UID. Kubernetes " +
		"`runAsNonRoot: true` cannot verify a name and refuses to start the pod, and the name " +
		"depends on the image's /etc/passwd.",
	Fix:  "Use the numeric UID and GID: `USER 10001:10001` instead of `USER app`.",
	Bad:  "FROM node:24-alpine\nUSER node",
	Good: "FROM node:24-alpine\nUSER 1000:1000",
	Limits: "Windows images are not reported: their users have names, not numeric IDs, and " +
		"Kubernetes sets them with runAsUserName.",
}

func checkUserByName(c *Context) {
	in, user, known := c.finalUser()
	if in == nil || !known || c.Final.Windows {
		return // Windows containers have user names, not numeric IDs
	}
	uid, gid, _ := strings.Cut(user, ":")
	if uid == "root" || isZero(uid) {
		return // DF002 reports root
	}
	if !isNumeric(uid) || (gid != "" && !isNumeric(gid)) {
		c.report(df003, in, "USER %q is not a numeric UID:GID", user)
	}
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
