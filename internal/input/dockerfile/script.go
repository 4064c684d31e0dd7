package dockerfile

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"
)

// Script is one shell program inside an instruction.
type Script struct {
	Source string
	// File is the parsed program, or nil when Err is set.
	File *syntax.File
	// Err is the shell syntax error, with its Dockerfile line in ErrLine.
	Err     error
	ErrLine int
	// Heredoc is true for a RUN heredoc body.
	Heredoc bool
	// lines maps script line i+1 to its Dockerfile line.
	lines []int
	// nested marks a program found inside another, such as sh -c '...'.
	nested bool

	commands  []*Command
	pipelines []*Pipeline
}

// Line returns the Dockerfile line of a position in the script.
func (s *Script) Line(p syntax.Pos) int {
	i := int(p.Line()) - 1
	switch {
	case len(s.lines) == 0:
		return 0
	case i < 0:
		return s.lines[0]
	case i >= len(s.lines):
		return s.lines[len(s.lines)-1]
	}
	return s.lines[i]
}

// Command is one simple command found in a script, with wrappers such as
// sudo and env removed. The wrapper itself is also listed as a command.
type Command struct {
	// Name is the base name of the program: "apt-get" for
	// "/usr/bin/apt-get".
	Name string
	// Args are the arguments after the name. Known[i] is false when
	// Args[i] holds a word that needs expansion at run time; Args[i] is
	// then its source text.
	Args  []string
	Known []bool
	Line  int
	// Via names the wrapper the command ran under, such as "sudo".
	Via string
	// Pipeline is the pipeline the command is part of, or nil.
	Pipeline *Pipeline
	// Nested is true inside a subshell, function, loop, condition,
	// command substitution or sh -c string.
	Nested bool
	Script *Script
}

// Pipeline is a chain of commands joined by | or |&.
type Pipeline struct {
	Stages [][]*Command // commands of each side, left to right
	Line   int
}

// HasArg reports whether one of the arguments equals any of names.
func (c *Command) HasArg(names ...string) bool {
	for _, a := range c.Args {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// HasFlag reports whether a short flag letter appears in a combined short
// option group (-y, -qy) or a long flag is present, ignoring values.
func (c *Command) HasFlag(short byte, long string) bool {
	for _, a := range c.Args {
		switch {
		case a == "--":
			return false
		case long != "" && (a == long || strings.HasPrefix(a, long+"=")):
			return true
		case short != 0 && len(a) > 1 && a[0] == '-' && a[1] != '-' &&
			strings.IndexByte(a[1:], short) >= 0:
			return true
		}
	}
	return false
}

// Operands returns the arguments that are not options.
func (c *Command) Operands() []string {
	var out []string
	end := false
	for _, a := range c.Args {
		switch {
		case end:
			out = append(out, a)
		case a == "--":
			end = true
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			out = append(out, a)
		}
	}
	return out
}

// Commands returns every simple command in the script, in source order,
// including those in sh -c strings.
func (s *Script) Commands() []*Command { return s.commands }

// Pipelines returns every pipeline in the script.
func (s *Script) Pipelines() []*Pipeline { return s.pipelines }

// posixShells are shells whose programs mvdan.cc/sh parses.
var posixShells = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "ksh": true, "mksh": true,
	"zsh": true, "busybox": true,
}

// IsPOSIXShell reports whether a SHELL instruction names a POSIX shell.
func IsPOSIXShell(sh []string) bool {
	return len(sh) > 0 && posixShells[path.Base(strings.ToLower(sh[0]))]
}

func isShellName(name string) bool { return posixShells[path.Base(name)] }

// parseScripts attaches the shell programs an instruction runs.
func (b *builder) parseScripts(in *Instruction) {
	posix := IsPOSIXShell(in.Shell)
	switch c := in.Command.(type) {
	case *instructions.RunCommand:
		b.runScripts(in, c.ShellDependantCmdLine, posix)
	case *instructions.CmdCommand:
		b.runScripts(in, c.ShellDependantCmdLine, posix)
	case *instructions.EntrypointCommand:
		b.runScripts(in, c.ShellDependantCmdLine, posix)
	case *instructions.HealthCheckCommand:
		if c.Health != nil && len(c.Health.Test) == 2 && c.Health.Test[0] == "CMD-SHELL" && posix {
			in.Scripts = append(in.Scripts, newScript(c.Health.Test[1], []int{in.Line}))
		} else if c.Health != nil && len(c.Health.Test) > 1 && c.Health.Test[0] == "CMD" {
			b.execScripts(in, c.Health.Test[1:])
		}
	case nil:
		// An instruction with an unknown flag: analyse RUN's shell anyway.
		if in.Keyword == "RUN" && posix {
			if text, lines := commandText(b.file, in); text != "" {
				in.Scripts = append(in.Scripts, newScript(text, lines))
			}
		}
	}
}

func (b *builder) runScripts(in *Instruction, cl instructions.ShellDependantCmdLine, posix bool) {
	if !cl.PrependShell {
		b.execScripts(in, cl.CmdLine)
		return
	}
	if !posix {
		return
	}
	text, lines := commandText(b.file, in)
	main := newScript(text, lines)
	in.Scripts = append(in.Scripts, main)
	if in.Keyword != "RUN" || len(in.Node.Heredocs) == 0 {
		return
	}
	bodies := heredocLines(in)
	for i, h := range in.Node.Heredocs {
		if !heredocIsScript(text, h.Name, main) || strings.HasPrefix(h.Content, "#!") &&
			!isShellName(strings.Fields(strings.TrimPrefix(h.Content, "#!") + " x")[0]) {
			continue
		}
		body := strings.ReplaceAll(h.Content, "\r", "")
		s := newScript(body, bodies[i])
		s.Heredoc = true
		in.Scripts = append(in.Scripts, s)
	}
}

// execScripts handles the exec form: ["sh", "-c", "script"] runs a script.
func (b *builder) execScripts(in *Instruction, argv []string) {
	if len(argv) >= 3 && isShellName(argv[0]) {
		for i := 1; i+1 < len(argv); i++ {
			if argv[i] == "-c" || (strings.HasPrefix(argv[i], "-") && strings.HasSuffix(argv[i], "c")) {
				s := newScript(argv[i+1], []int{in.Line})
				in.Scripts = append(in.Scripts, s)
				return
			}
		}
	}
}

// heredocIsScript reports whether a RUN heredoc is read by the shell: the
// command is the heredoc alone, or a shell reading it on standard input.
func heredocIsScript(cmdText, name string, main *Script) bool {
	if strings.HasPrefix(strings.TrimSpace(cmdText), "<<") && len(main.commands) == 0 {
		return true
	}
	for _, c := range main.commands {
		if isShellName(c.Name) && !c.HasArg("-c") {
			return true
		}
	}
	return false
}

// heredocLines returns, for each heredoc of the instruction, the Dockerfile
// line of each body line. Bodies follow the command, each closed by its
// terminator line, and the last terminator is the instruction's end line.
func heredocLines(in *Instruction) [][]int {
	out := make([][]int, len(in.Node.Heredocs))
	end := in.EndLine
	for i := len(in.Node.Heredocs) - 1; i >= 0; i-- {
		n := strings.Count(in.Node.Heredocs[i].Content, "\n")
		if c := in.Node.Heredocs[i].Content; c != "" && !strings.HasSuffix(c, "\n") {
			n++
		}
		start := end - n // the terminator sits on line end
		lines := make([]int, max(n, 1))
		for j := range lines {
			lines[j] = start + j
		}
		out[i] = lines
		end = start - 1
	}
	return out
}

// commandText rebuilds the shell text of a shell-form instruction from its
// source lines, so that every script line keeps its Dockerfile line. The
// keyword and flags are removed, and comment and blank lines inside the
// continuation are dropped as BuildKit drops them. The escape at a line end
// becomes a shell line continuation.
func commandText(f *File, in *Instruction) (string, []int) {
	var (
		b     strings.Builder
		lines []int
	)
	esc := string(f.Escape)
	for n := in.Line; n <= in.EndLine && n <= len(f.Lines); n++ {
		line := f.Lines[n-1]
		if n == in.Line {
			line = stripKeywordAndFlags(line, in)
		} else {
			t := strings.TrimSpace(line)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
		}
		trimmed := strings.TrimRight(line, " \t")
		continued := strings.HasSuffix(trimmed, esc)
		if continued {
			line = strings.TrimSuffix(trimmed, esc) + "\\"
		}
		if n == in.Line && strings.TrimSpace(line) == "\\" {
			line = ""
		}
		b.WriteString(line)
		b.WriteByte('\n')
		lines = append(lines, n)
		if !continued {
			break
		}
	}
	// Heredoc bodies follow the command; the shell reads them as here-documents.
	if len(in.Node.Heredocs) > 0 && len(lines) > 0 {
		for n := lines[len(lines)-1] + 1; n <= in.EndLine && n <= len(f.Lines); n++ {
			b.WriteString(strings.TrimSuffix(f.Lines[n-1], "\r"))
			b.WriteByte('\n')
			lines = append(lines, n)
		}
	}
	return b.String(), lines
}

// stripKeywordAndFlags removes the instruction keyword and its --flags
// from the first line.
func stripKeywordAndFlags(line string, in *Instruction) string {
	rest := strings.TrimLeft(line, " \t")
	if in.Onbuild {
		rest = strings.TrimLeft(rest[min(len("ONBUILD"), len(rest)):], " \t")
	}
	rest = strings.TrimLeft(rest[min(len(in.Node.Value), len(rest)):], " \t")
	if in.Keyword == "HEALTHCHECK" {
		return ""
	}
	for strings.HasPrefix(rest, "--") {
		end := flagEnd(rest)
		rest = strings.TrimLeft(rest[end:], " \t")
	}
	return rest
}

// flagEnd returns the end of a --flag=value token, honouring quotes.
func flagEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && (c == ' ' || c == '\t'):
			return i
		}
	}
	return len(s)
}

// ParseScript parses a POSIX shell program that is not part of a
// Dockerfile, such as a RUN command recorded in an image's history. Its
// commands and pipelines report line 0.
func ParseScript(text string) *Script { return newScript(text, nil) }

func newScript(text string, lines []int) *Script {
	s := &Script{Source: text, lines: lines}
	p := parsers.Get().(*syntax.Parser)
	file, err := p.Parse(strings.NewReader(text), "")
	parsers.Put(p)
	if err != nil {
		s.Err = err
		s.ErrLine = s.Line(errPos(err))
		return s
	}
	s.File = file
	w := walker{script: s}
	for _, st := range file.Stmts {
		w.stmt(st, false)
	}
	return s
}

func errPos(err error) syntax.Pos {
	if pe, ok := err.(syntax.ParseError); ok {
		return pe.Pos
	}
	return syntax.Pos{}
}

// ErrorText returns the shell syntax error without its position prefix.
func (s *Script) ErrorText() string {
	if pe, ok := s.Err.(syntax.ParseError); ok {
		return pe.Text
	}
	if s.Err != nil {
		return s.Err.Error()
	}
	return ""
}

func (s *Script) String() string { return fmt.Sprintf("script at line %d", s.Line(syntax.Pos{})) }
