package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df033 = &rule.Rule{
	ID: "DF033", Slug: "package-cache-kept", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "Package manager cache kept in the layer",
	Description: "`pip install` keeps downloaded wheels in ~/.cache/pip, and yum, dnf and " +
		"microdnf keep metadata and packages in /var/cache, unless told otherwise; the cache " +
		"then ships in the image.",
	Fix: "Use `pip install --no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`), end yum and dnf steps " +
		"with `&& dnf clean all && rm -rf /var/cache/dnf`, or use a cache mount " +
		"(`RUN --mount=type=cache,target=/root/.cache/pip`).",
	Bad:  "FROM python:3.13-slim\nRUN pip install -r requirements.txt",
	Good: "FROM python:3.13-slim\nRUN pip install --no-cache-dir -r requirements.txt",
}

func checkPackageCache(c *Context) {
	c.commands(func(in *dockerfile.Instruction, cmd *dockerfile.Command) {
		switch {
		case isPipInstall(cmd):
			if cmd.HasArg("--no-cache-dir") || c.pipCacheDisabled(in.Stage) ||
				hasCacheMount(in, "/root/.cache/pip") || hasCacheMount(in, "/root/.cache") {
				return
			}
			c.reportAt(df033, in, cmd.Line, "pip install without --no-cache-dir keeps downloaded packages in the layer")
		case (cmd.Name == "yum" || cmd.Name == "dnf" || cmd.Name == "microdnf" || cmd.Name == "tdnf") &&
			subcommand(cmd) == "install":
			if cleansYum(in) || hasCacheMount(in, "/var/cache/yum") || hasCacheMount(in, "/var/cache/dnf") {
				return
			}
			c.reportAt(df033, in, cmd.Line, "%s install is not followed by %s clean all in the same RUN", cmd.Name, cmd.Name)
		}
	})
}

func isPipInstall(cmd *dockerfile.Command) bool {
	if strings.HasPrefix(cmd.Name, "pip") {
		return subcommand(cmd) == "install"
	}
	if strings.HasPrefix(cmd.Name, "python") && len(cmd.Args) >= 3 && cmd.Args[0] == "-m" &&
		strings.HasPrefix(cmd.Args[1], "pip") {
		return cmd.Args[2] == "install"
	}
	return false
}

// pipCacheDisabled reports whether PIP_NO_CACHE_DIR is set in the stage.
// pip turns the cache off for any non-empty value, "0" and "off" included.
func (c *Context) pipCacheDisabled(s *dockerfile.Stage) bool {
	v, known := c.File.ExpandInStage(s, "${PIP_NO_CACHE_DIR}")
	return known && v != ""
}

func cleansYum(in *dockerfile.Instruction) bool {
	for _, cmd := range runCommands(in) {
		switch cmd.Name {
		case "yum", "dnf", "microdnf", "tdnf":
			if subcommand(cmd) == "clean" {
				return true
			}
		}
	}
	return removes(in, "/var/cache/yum") || removes(in, "/var/cache/dnf")
}
