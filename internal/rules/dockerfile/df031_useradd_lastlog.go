package dockerfile

import (
	"strconv"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df031 = &rule.Rule{
	ID: "DF031", Slug: "useradd-large-uid", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "useradd with a large UID without -l",
	Description: "useradd writes an entry at offset UID × 292 bytes into /var/log/lastlog " +
		"(and faillog). On disk that file is sparse, but image layers store it in full, so a " +
		"UID such as 100000000 adds gigabytes of zeros to the layer.",
	Fix:    "Add `-l` (`--no-log-init`): `useradd -l -u 100000 app`, or choose a smaller UID.",
	Bad:    "FROM debian:12\nRUN useradd -u 123456789 app",
	Good:   "FROM debian:12\nRUN useradd -l -u 123456789 app",
	Limits: "UIDs of 100000 and above are reported; below that the file stays under 28 MiB.",
}

const largeUID = 100000

func checkUseraddLastlog(c *Context) {
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		if cmd.Name != "useradd" || cmd.HasFlag('l', "--no-log-init") {
			return
		}
		uid, ok := useraddUID(cmd.Args)
		if ok && uid >= largeUID {
			c.reportAt(df031, in, cmd.Line, "useradd -u %d without -l writes a lastlog file of about %d MiB into the layer",
				uid, uid*292>>20)
		}
	})
}

func useraddUID(args []string) (int, bool) {
	for i, a := range args {
		var v string
		switch {
		case (a == "-u" || a == "--uid") && i+1 < len(args):
			v = args[i+1]
		case strings.HasPrefix(a, "--uid="):
			v = strings.TrimPrefix(a, "--uid=")
		case strings.HasPrefix(a, "-u") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			v = a[2:]
		default:
			continue
		}
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}
