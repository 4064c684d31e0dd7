package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df002 = &rule.Rule{
	ID: "DF002", Slug: "root-user", Severity: finding.High, Kind: rule.KindDockerfile, CIS: "4.1",
	Title: "Final USER is root",
	Description: "The last USER instruction of the final stage switches to root (`root`, `0`, " +
		"`0:0`, `root:root`), so the container's process runs with UID 0.",
	Fix: "Switch back to an unprivileged numeric user after the steps that need root, such as " +
		"`USER 10001:10001` as the last USER instruction.",
	Bad:  "FROM alpine:3.20\nUSER root\nCMD [\"/app\"]",
	Good: "FROM alpine:3.20\nUSER root\nRUN apk add --no-cache tini\nUSER 10001:10001\nCMD [\"/app\"]",
}

func checkRootUser(c *Context) {
	in, user, known := c.finalUser()
	if in == nil || !known {
		return
	}
	uid, _, _ := strings.Cut(user, ":")
	if uid == "root" || isZero(uid) {
		c.report(df002, in, "the final USER is %q, so the container runs as root", user)
	}
}

// isZero reports whether s is a decimal zero such as "0" or "000".
func isZero(s string) bool {
	return s != "" && strings.Trim(s, "0") == ""
}
