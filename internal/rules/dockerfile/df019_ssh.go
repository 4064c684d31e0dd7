package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df019 = &rule.Rule{
	ID: "DF019", Slug: "ssh-server", Severity: finding.Medium, Kind: rule.KindDockerfile, CIS: "5.6",
	Title: "SSH port exposed or SSH server installed",
	Description: "An SSH server in a container is a second way in, with its own keys to manage " +
		"and rotate, and usually a sign that the container is treated as a virtual machine.",
	Fix:  "Remove the SSH server and `EXPOSE 22`; use `docker exec` or `kubectl exec` to get a shell.",
	Bad:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server && rm -rf /var/lib/apt/lists/*\nEXPOSE 22",
	Good: "FROM debian:12\nEXPOSE 8080",
}

var sshServers = map[string]bool{"openssh-server": true, "openssh": true, "dropbear": true,
	"openssh-server-pam": true, "tinyssh": true}

func checkSSH(c *Context) {
	c.instructionsOf("EXPOSE", func(in *dockerfile.Instruction) {
		e, ok := in.Command.(*instructions.ExposeCommand)
		if !ok {
			return
		}
		for _, p := range e.Ports {
			port, proto, _ := strings.Cut(p, "/")
			if port == "22" && (proto == "" || strings.EqualFold(proto, "tcp")) {
				c.report(df019, in, "EXPOSE %s publishes the SSH port", p)
			}
		}
	})
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		for _, p := range installs(cmd) {
			if sshServers[p] {
				c.reportAt(df019, in, cmd.Line, "%s installs the SSH server %s", cmd.Name, p)
			}
		}
	})
}
