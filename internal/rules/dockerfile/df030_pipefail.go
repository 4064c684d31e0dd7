package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df030 = &rule.Rule{
	ID: "DF030", Slug: "pipe-without-pipefail", Severity: finding.Low, Kind: rule.KindDockerfile,
	Title: "Pipe in RUN without pipefail",
	Description: "A pipeline's exit status is that of its last command, so in " +
		"`RUN wget -O- URL | tar xz` a failed download still lets the step succeed, and the " +
		"image is built without the files.",
	Fix: "Make the shell fail on any failed pipeline command: " +
		"`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start it with " +
		"`set -o pipefail &&` in a shell that supports it (bash, ash).",
	Bad:  "FROM debian:12\nRUN wget -qO- https://example.com/tool.tgz | tar xz -C /opt",
	Good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- https://example.com/tool.tgz | tar xz -C /opt",
}

func checkPipefail(c *Context) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		if setsPipefail(in.Shell) {
			return
		}
		for _, s := range in.Scripts {
			enabled := 0 // line from which pipefail is on
			for _, cmd := range s.Commands() {
				if cmd.Name == "set" && !cmd.Nested && setsPipefail(cmd.Args) && (enabled == 0 || cmd.Line < enabled) {
					enabled = cmd.Line
				}
			}
			for _, p := range s.Pipelines() {
				if len(p.Stages) < 2 || inShellString(p, s) || (enabled > 0 && p.Line >= enabled) ||
					cannotFail(p) {
					continue
				}
				c.reportAt(df030, in, p.Line, "a pipeline under %s runs without pipefail, so a failure of %s is ignored",
					strings.Join(in.Shell, " "), firstName(p))
				return
			}
		}
	})
}

// setsPipefail reports whether arguments turn on pipefail: "-o pipefail",
// "-eo pipefail", "-euxo pipefail".
func setsPipefail(args []string) bool {
	for i := 0; i+1 < len(args); i++ {
		a := args[i]
		if args[i+1] == "pipefail" && strings.HasPrefix(a, "-") && strings.HasSuffix(a, "o") {
			return true
		}
	}
	return false
}

// inShellString reports whether a pipeline comes from an sh -c string
// inside the script, which runs in a shell of its own.
func inShellString(p *dockerfile.Pipeline, s *dockerfile.Script) bool {
	for _, side := range p.Stages {
		for _, cmd := range side {
			if cmd.Script != s {
				return true
			}
		}
	}
	return false
}

// quietCommands are shell builtins whose failure in a pipeline does not
// matter: they print what they are given.
var quietCommands = map[string]bool{"echo": true, "printf": true, "true": true, "yes": true, ":": true}

// cannotFail reports whether every command before the last pipeline side
// is a builtin that only prints, so pipefail would change nothing.
func cannotFail(p *dockerfile.Pipeline) bool {
	for _, side := range p.Stages[:len(p.Stages)-1] {
		for _, cmd := range side {
			if !quietCommands[cmd.Name] {
				return false
			}
		}
	}
	return true
}

// firstName names the first command whose failure the pipeline hides.
func firstName(p *dockerfile.Pipeline) string {
	for _, side := range p.Stages[:len(p.Stages)-1] {
		for _, cmd := range side {
			if !quietCommands[cmd.Name] {
				return cmd.Name
			}
		}
	}
	return "the left side"
}
