package dockerfile

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
	"github.com/dockward/dockward/internal/rule"
)

// Context is the input of every check: the parsed file, the stage whose
// runtime settings matter, and the run environment.
type Context struct {
	File *dockerfile.File
	Path string
	Env  *engine.Env
	// Final is the stage the image is built from: the one named by
	// --target, or the last.
	Final *dockerfile.Stage
	// engineFile is the input as the engine read it.
	engineFile *engine.File

	findings []finding.Finding
	problems []finding.Problem
	// bases caches baseImages, which several rules read.
	bases *[]baseImage
	// user caches finalUser, which four rules read.
	user *finalUserResult
}

type finalUserResult struct {
	in    *dockerfile.Instruction
	value string
	known bool
}

func newContext(df *dockerfile.File, f *engine.File, env *engine.Env) *Context {
	c := &Context{File: df, Path: f.Path, Env: env, engineFile: f}
	if len(df.Stages) > 0 {
		c.Final = df.Stages[len(df.Stages)-1]
	}
	if env != nil && env.Target != "" && len(df.Stages) > 0 {
		found := false
		var names []string
		for _, s := range df.Stages {
			if strings.EqualFold(s.Name, env.Target) {
				c.Final, found = s, true
			}
			if s.Name != "" {
				names = append(names, s.Name)
			}
		}
		if !found {
			c.problems = append(c.problems, finding.Problem{Path: f.Path, Kind: "skipped",
				Reason: fmt.Sprintf("no stage named %q (stages: %s); the runtime rules checked the last stage",
					env.Target, strings.Join(names, ", "))})
		}
	}
	return c
}

// report adds a finding of r on an instruction, anchored at its first
// line so an inline suppression above the instruction applies.
func (c *Context) report(r *rule.Rule, in *dockerfile.Instruction, format string, args ...any) {
	c.reportLines(r, in, in.Line, in.EndLine, format, args...)
}

// reportAt adds a finding on one line inside an instruction, such as the
// line of a command in a multi-line RUN.
func (c *Context) reportAt(r *rule.Rule, in *dockerfile.Instruction, line int, format string, args ...any) {
	if line < in.Line || line > in.EndLine {
		line = in.Line
	}
	c.reportLines(r, in, line, line, format, args...)
}

func (c *Context) reportLines(r *rule.Rule, in *dockerfile.Instruction, start, end int, format string, args ...any) {
	f := r.New(loc(c.Path, start, end), format, args...)
	if in != nil {
		f.AnchorLine = in.Line
		f.Location.StartColumn = 1
	}
	c.findings = append(c.findings, f)
}

// chain returns the final stage and the earlier stages it is built on,
// from the final stage back to the first.
func (c *Context) chain() []*dockerfile.Stage {
	var out []*dockerfile.Stage
	for s := c.Final; s != nil; s = s.Parent {
		out = append(out, s)
	}
	return out
}

// lastInFinal returns the last instruction with the keyword in the final
// stage or the stages it is built on.
func (c *Context) lastInFinal(keyword string) *dockerfile.Instruction {
	for _, s := range c.chain() {
		for i := len(s.Instructions) - 1; i >= 0; i-- {
			if s.Instructions[i].Keyword == keyword && s.Instructions[i].Command != nil {
				return s.Instructions[i]
			}
		}
	}
	return nil
}

// finalUser returns the USER instruction in effect for the final stage and
// its expanded value, or nil.
func (c *Context) finalUser() (*dockerfile.Instruction, string, bool) {
	if c.user == nil {
		c.user = &finalUserResult{}
		if in := c.lastInFinal("USER"); in != nil {
			u := in.Command.(*instructions.UserCommand).User
			c.user.value, c.user.known = c.File.ExpandInStage(in.Stage, u)
			c.user.in = in
		}
	}
	return c.user.in, c.user.value, c.user.known
}

// instructionsOf calls fn for every parsed instruction of every stage.
func (c *Context) instructionsOf(keyword string, fn func(*dockerfile.Instruction)) {
	for _, in := range c.File.Instructions {
		if in.Keyword == keyword && in.Stage != nil {
			fn(in)
		}
	}
}

// commands calls fn for every shell command of every RUN instruction.
func (c *Context) commands(fn func(in *dockerfile.Instruction, cmd *dockerfile.Command)) {
	c.instructionsOf("RUN", func(in *dockerfile.Instruction) {
		for _, s := range in.Scripts {
			for _, cmd := range s.Commands() {
				fn(in, cmd)
			}
		}
	})
}

// runCommands returns the shell commands of one instruction.
func runCommands(in *dockerfile.Instruction) []*dockerfile.Command {
	var out []*dockerfile.Command
	for _, s := range in.Scripts {
		out = append(out, s.Commands()...)
	}
	return out
}

// mounts returns the RUN --mount options of an instruction.
func mounts(in *dockerfile.Instruction) []*instructions.Mount {
	run, ok := in.Command.(*instructions.RunCommand)
	if !ok {
		return nil
	}
	return instructions.GetMounts(run)
}

// hasCacheMount reports whether a RUN mounts a cache at one of the targets
// or below it, so files written there never reach the layer.
func hasCacheMount(in *dockerfile.Instruction, targets ...string) bool {
	for _, m := range mounts(in) {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		t := strings.TrimRight(m.Target, "/")
		for _, want := range targets {
			if t == want || strings.HasPrefix(want, t+"/") {
				return true
			}
		}
	}
	return false
}

// isFinal reports whether a stage is the final stage or one it is built on.
func (c *Context) isFinal(s *dockerfile.Stage) bool {
	for _, f := range c.chain() {
		if f == s {
			return true
		}
	}
	return false
}

// baseName returns the first stage's base as expanded, or as written when
// an ARG it uses has no value.
func baseName(s *dockerfile.Stage) string {
	if s.BaseKnown && s.Base != "" {
		return s.Base
	}
	return s.BaseRaw
}

// finalName names the stage the runtime rules check: "the final stage", or
// "the target stage build" when --target chose it.
func (c *Context) finalName() string {
	if c.Env != nil && c.Env.Target != "" && strings.EqualFold(c.Final.Name, c.Env.Target) {
		return fmt.Sprintf("the target stage %s", c.Final.Name)
	}
	return "the final stage"
}
