package dockerfile

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// builder assembles a File from BuildKit nodes in order.
type builder struct {
	file  *File
	stage *Stage
	// args are the meta ARG defaults; nil values have no default.
	args map[string]*string
	// stageArgs are the ARGs and ENVs visible in the current stage.
	stageArgs map[string]*string
	// reportedNoStage is set once an instruction before FROM is reported.
	reportedNoStage bool
}

func (b *builder) add(node *parser.Node) {
	in := &Instruction{
		Keyword: strings.ToUpper(node.Value),
		Node:    node,
		Line:    node.StartLine,
		EndLine: node.EndLine,
		Flags:   node.Flags,
	}
	for n := node.Next; n != nil; n = n.Next {
		in.Args = append(in.Args, n.Value)
	}
	b.file.Instructions = append(b.file.Instructions, in)

	cmd, err := instructions.ParseInstruction(node)
	if err == nil {
		err = b.checkMounts(cmd)
	}
	if err != nil {
		pe := &ParseError{Line: in.Line, EndLine: in.EndLine, Message: cleanError(err),
			Unsupported: isUnsupported(err)}
		var unknown *instructions.UnknownInstructionError
		if errors.As(err, &unknown) {
			pe.Instruction = node.Value
			if m := didYouMean.FindStringSubmatch(err.Error()); m != nil {
				pe.Suggestion = m[1]
			}
		}
		b.file.Errors = append(b.file.Errors, pe)
		if isUnsupported(err) {
			// Keep unknown-flag instructions visible to rules that read
			// only the node, such as the shell analysis of RUN.
			cmd = nil
		} else {
			b.attach(in)
			return
		}
	}
	in.Command = cmd

	if st, ok := cmd.(*instructions.Stage); ok {
		b.startStage(in, st)
		return
	}
	if b.stage == nil {
		if in.Keyword == "ARG" {
			b.file.MetaArgs = append(b.file.MetaArgs, in)
			b.recordArgs(b.args, cmd)
			return
		}
		if err == nil && !b.reportedNoStage {
			b.reportedNoStage = true
			b.file.Errors = append(b.file.Errors, &ParseError{Line: in.Line, EndLine: in.EndLine,
				Message: fmt.Sprintf("%s comes before the first FROM, so the build fails with "+
					"\"no build stage in current context\"; only ARG may precede FROM", in.Keyword)})
		}
		return
	}
	b.attach(in)
	switch c := cmd.(type) {
	case *instructions.ShellCommand:
		b.stage.Shell = append([]string(nil), c.Shell...)
	case *instructions.ArgCommand:
		b.recordStageArgs(c)
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			v := b.expand(kv.Value, b.stageArgs)
			b.stageArgs[kv.Key] = &v
		}
	}
	in.Shell = b.stage.Shell
	b.parseScripts(in)
	if _, ok := cmd.(*instructions.OnbuildCommand); ok {
		b.addTrigger(in)
	}
}

// addTrigger adds the RUN, COPY or ADD inside an ONBUILD instruction as an
// instruction of its own, marked Onbuild, so the shell and copy rules see
// what downstream builds will run.
func (b *builder) addTrigger(outer *Instruction) {
	if outer.Node.Next == nil || len(outer.Node.Next.Children) == 0 {
		return
	}
	node := outer.Node.Next.Children[0]
	keyword := strings.ToUpper(node.Value)
	if keyword != "RUN" && keyword != "COPY" && keyword != "ADD" {
		return
	}
	node.StartLine, node.EndLine = outer.Line, outer.EndLine
	cmd, err := instructions.ParseInstruction(node)
	if err != nil {
		return
	}
	in := &Instruction{Keyword: keyword, Node: node, Command: cmd, Line: outer.Line,
		EndLine: outer.EndLine, Flags: node.Flags, Onbuild: true, Shell: b.stage.Shell}
	for n := node.Next; n != nil; n = n.Next {
		in.Args = append(in.Args, n.Value)
	}
	b.file.Instructions = append(b.file.Instructions, in)
	b.attach(in)
	b.parseScripts(in)
}

func (b *builder) attach(in *Instruction) {
	if b.stage != nil {
		in.Stage = b.stage
		b.stage.Instructions = append(b.stage.Instructions, in)
	}
}

// didYouMean finds BuildKit's suggestion in an unknown-instruction error.
var didYouMean = regexp.MustCompile(`did you mean ([A-Za-z]+)\?`)

// checkMounts parses RUN --mount values, which BuildKit only does when it
// expands the instruction, so unknown mount options surface here.
func (b *builder) checkMounts(cmd any) error {
	run, ok := cmd.(*instructions.RunCommand)
	if !ok {
		return nil
	}
	return run.Expand(func(word string) (string, error) { return word, nil })
}

func cleanError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

func (b *builder) startStage(in *Instruction, st *instructions.Stage) {
	s := &Stage{
		Index:    len(b.file.Stages),
		Name:     strings.ToLower(st.Name),
		From:     in,
		BaseRaw:  st.BaseName,
		Platform: st.Platform,
	}
	s.Base, s.BaseKnown = b.expandKnown(st.BaseName, b.args)
	for _, prev := range b.file.Stages {
		if prev.Name != "" && strings.EqualFold(prev.Name, s.Base) {
			s.Parent = prev
		}
	}
	switch {
	case s.Parent != nil:
		s.Shell = s.Parent.Shell
		s.Windows = s.Parent.Windows
	case looksWindows(s.Base):
		s.Shell = windowsShell
		s.Windows = true
	default:
		s.Shell = DefaultShell
	}
	in.Stage = s
	in.Shell = s.Shell
	b.stage = s
	b.stageArgs = map[string]*string{}
	if s.Parent != nil {
		b.inheritEnv(s.Parent)
	}
	b.file.Stages = append(b.file.Stages, s)
}

// inheritEnv makes the ENV values of the parent stage chain visible, as
// they are in the built image.
func (b *builder) inheritEnv(parent *Stage) {
	if parent.Parent != nil {
		b.inheritEnv(parent.Parent)
	}
	for _, in := range parent.Instructions {
		if env, ok := in.Command.(*instructions.EnvCommand); ok {
			for _, kv := range env.Env {
				v := b.expand(kv.Value, b.stageArgs)
				b.stageArgs[kv.Key] = &v
			}
		}
	}
}

func (b *builder) recordArgs(into map[string]*string, cmd any) {
	arg, ok := cmd.(*instructions.ArgCommand)
	if !ok {
		return
	}
	for _, kv := range arg.Args {
		if kv.Value == nil {
			if _, seen := into[kv.Key]; !seen {
				into[kv.Key] = nil
			}
			continue
		}
		v := b.expand(*kv.Value, into)
		into[kv.Key] = &v
	}
}

// recordStageArgs handles ARG inside a stage: a name without a default
// takes the meta ARG's default, as BuildKit does.
func (b *builder) recordStageArgs(arg *instructions.ArgCommand) {
	for _, kv := range arg.Args {
		if kv.Value != nil {
			v := b.expand(*kv.Value, b.stageArgs)
			b.stageArgs[kv.Key] = &v
			continue
		}
		if meta, ok := b.args[kv.Key]; ok {
			b.stageArgs[kv.Key] = meta
		} else if _, seen := b.stageArgs[kv.Key]; !seen {
			b.stageArgs[kv.Key] = nil
		}
	}
}

// envGetter adapts an ARG map to BuildKit's word expander.
type envGetter map[string]*string

func (e envGetter) Get(key string) (string, bool) {
	v, ok := e[key]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

func (e envGetter) Keys() []string {
	keys := make([]string, 0, len(e))
	for k, v := range e {
		if v != nil {
			keys = append(keys, k)
		}
	}
	return keys
}

func (b *builder) expand(word string, vars map[string]*string) string {
	v, _ := b.expandKnown(word, vars)
	return v
}

// expandKnown expands ARG references the way BuildKit does and reports
// whether every referenced variable had a value.
func (b *builder) expandKnown(word string, vars map[string]*string) (string, bool) {
	if !strings.ContainsAny(word, "$") {
		return word, true
	}
	lex := shell.NewLex(b.file.Escape)
	res, err := lex.ProcessWordWithMatches(word, envGetter(vars))
	if err != nil {
		return word, false
	}
	for name := range res.Unmatched {
		// ${NAME:-default} and ${NAME-default} still give a known value.
		if !strings.Contains(word, "${"+name+":-") && !strings.Contains(word, "${"+name+"-") {
			return res.Result, false
		}
	}
	return res.Result, true
}

// UndeclaredMetaArgs returns the variables of word that are ARGs declared
// before the first FROM but not again in the stage chain of s: BuildKit
// expands them to an empty string there.
func (f *File) UndeclaredMetaArgs(s *Stage, word string) []string {
	meta := map[string]bool{}
	for _, in := range f.MetaArgs {
		if arg, ok := in.Command.(*instructions.ArgCommand); ok {
			for _, kv := range arg.Args {
				meta[kv.Key] = true
			}
		}
	}
	declared := map[string]bool{}
	for p := s; p != nil; p = p.Parent {
		for _, in := range p.Instructions {
			switch c := in.Command.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					declared[kv.Key] = true
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					declared[kv.Key] = true
				}
			}
		}
	}
	lex := shell.NewLex(f.Escape)
	res, err := lex.ProcessWordWithMatches(word, envGetter{})
	if err != nil {
		return nil
	}
	var out []string
	for name := range res.Unmatched {
		if meta[name] && !declared[name] {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// ExpandInStage expands ARG and ENV references as seen at the end of the
// stage, and reports whether every variable had a value.
func (f *File) ExpandInStage(s *Stage, word string) (string, bool) {
	b := builder{file: f, args: map[string]*string{}, stageArgs: map[string]*string{}}
	for _, in := range f.MetaArgs {
		b.recordArgs(b.args, in.Command)
	}
	chain := []*Stage{}
	for p := s; p != nil; p = p.Parent {
		chain = append([]*Stage{p}, chain...)
	}
	for _, st := range chain {
		for _, in := range st.Instructions {
			switch c := in.Command.(type) {
			case *instructions.ArgCommand:
				b.recordStageArgs(c)
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					v := b.expand(kv.Value, b.stageArgs)
					b.stageArgs[kv.Key] = &v
				}
			}
		}
	}
	return b.expandKnown(word, b.stageArgs)
}

func (b *builder) finish() {}

// looksWindows reports whether a base image is a Windows image, whose
// default shell is cmd.
func looksWindows(base string) bool {
	b := strings.ToLower(base)
	name := path.Base(strings.SplitN(b, ":", 2)[0])
	return strings.Contains(b, "mcr.microsoft.com/windows") ||
		strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore") ||
		strings.Contains(b, "windowsservercore") || name == "windows"
}
