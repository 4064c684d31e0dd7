package dockerfile

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

var df029 = &rule.Rule{
	ID: "DF029", Slug: "unknown-or-duplicate-stage", Severity: finding.High, Kind: rule.KindDockerfile,
	Title: "COPY --from names an unknown stage, or two stages share a name",
	Description: "A `--from` value that names no earlier stage is read as an image name, so a " +
		"typo such as `--from=buidler` pulls `docker.io/library/buidler` from the registry: the " +
		"build fails, or copies files from a stranger's image. Two stages with the same name " +
		"make `--from` and `--target` ambiguous.",
	Fix: "Name an earlier stage exactly (`FROM golang:1.25 AS builder`, `COPY --from=builder`), " +
		"write images with a tag or registry (`COPY --from=nginx:1.27`), and give each stage a " +
		"unique name.",
	Bad:  "FROM golang:1.25 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app",
	Good: "FROM golang:1.25 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app",
	Limits: "A plain name that is not a stage is also a valid image name (`COPY --from=busybox`), " +
		"so it is reported only when it is within two edits of a stage name.",
}

func checkUnknownStage(c *Context) {
	names := map[string]*dockerfile.Stage{}
	for _, s := range c.File.Stages {
		if s.Name == "" {
			continue
		}
		if prev, dup := names[s.Name]; dup {
			c.report(df029, s.From, "stage name %q is already used by the stage on line %d", s.Name, prev.From.Line)
			continue
		}
		names[s.Name] = s
	}
	for _, in := range c.File.Instructions {
		for _, from := range fromRefs(in) {
			c.checkFromRef(in, from, names)
		}
	}
}

// fromRefs returns the --from values of COPY and RUN --mount.
func fromRefs(in *dockerfile.Instruction) []string {
	switch cmd := in.Command.(type) {
	case *instructions.CopyCommand:
		if cmd.From != "" {
			return []string{cmd.From}
		}
	case *instructions.RunCommand:
		var out []string
		for _, m := range instructions.GetMounts(cmd) {
			if m.From != "" {
				out = append(out, m.From)
			}
		}
		return out
	}
	return nil
}

func (c *Context) checkFromRef(in *dockerfile.Instruction, from string, names map[string]*dockerfile.Stage) {
	if strings.Contains(from, "$") {
		return
	}
	if n, err := strconv.Atoi(from); err == nil {
		if in.Stage == nil || n < 0 || n >= in.Stage.Index {
			c.report(df029, in, "--from=%d names no earlier stage", n)
		}
		return
	}
	if s, ok := names[strings.ToLower(from)]; ok {
		if in.Stage != nil && s.Index >= in.Stage.Index {
			c.report(df029, in, "--from=%s names a stage that is defined later, on line %d", from, s.From.Line)
		}
		return
	}
	if strings.ContainsAny(from, "/:@.") {
		return // an image reference
	}
	for name, s := range names {
		if rule.EditDistance(strings.ToLower(from), name) <= 2 {
			c.report(df029, in, "--from=%s names no stage, so BuildKit pulls an image called %s; "+
				"did you mean the stage %q on line %d?", from, from, name, s.From.Line)
			return
		}
	}
}
