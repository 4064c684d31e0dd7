package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
)

var df022 = &rule.Rule{
	ID: "DF022", Slug: "shell-form-entrypoint", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "CMD or ENTRYPOINT in shell form",
	Description: "In shell form the container's PID 1 is `/bin/sh -c`, which does not forward " +
		"SIGTERM to the application: `docker stop` waits for its timeout and then kills the " +
		"process without a clean shutdown.",
	Fix:  "Use the JSON exec form, `CMD [\"nginx\", \"-g\", \"daemon off;\"]`, or `exec` the program from an entrypoint script.",
	Bad:  "FROM nginx:1.27\nCMD nginx -g 'daemon off;'",
	Good: "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]",
	Limits: "A shell form whose command starts with `exec` is not reported, since the shell " +
		"replaces itself with the program.",
}

func checkShellFormCmd(c *Context) {
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		in := c.lastInFinal(kw)
		if in == nil {
			continue
		}
		var cl instructions.ShellDependantCmdLine
		switch cmd := in.Command.(type) {
		case *instructions.CmdCommand:
			cl = cmd.ShellDependantCmdLine
		case *instructions.EntrypointCommand:
			cl = cmd.ShellDependantCmdLine
		}
		if !cl.PrependShell || len(cl.CmdLine) == 0 {
			continue
		}
		if cmds := runCommands(in); len(cmds) > 0 && cmds[0].Name == "exec" {
			continue
		}
		c.report(df022, in, "%s %s is in shell form, so PID 1 is %v and signals do not reach the program",
			kw, cl.CmdLine[0], in.Shell)
		if kw == "ENTRYPOINT" {
			return // a shell-form ENTRYPOINT ignores CMD entirely
		}
	}
}
