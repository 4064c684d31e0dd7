package dockerfile

import (
	"path"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// walker collects commands and pipelines from a parsed script.
type walker struct {
	script *Script
	depth  int // nesting of sh -c strings, bounded against hostile input
}

func (w *walker) stmt(st *syntax.Stmt, nested bool) {
	if st == nil || st.Cmd == nil {
		return
	}
	w.command(st.Cmd, nested, nil)
	for _, r := range st.Redirs {
		w.word(r.Word, nested)
		if r.Hdoc != nil {
			w.word(r.Hdoc, nested)
		}
	}
}

func (w *walker) stmts(list []*syntax.Stmt, nested bool) {
	for _, st := range list {
		w.stmt(st, nested)
	}
}

// command walks one command; pipe is set when it is a side of a pipeline.
func (w *walker) command(cmd syntax.Command, nested bool, pipe *pipeSide) {
	switch c := cmd.(type) {
	case *syntax.CallExpr:
		w.call(c, nested, pipe)
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			if pipe != nil {
				// Part of an enclosing pipeline: flatten into it.
				w.pipeSides(c, nested, pipe.pipeline)
				return
			}
			p := &Pipeline{Line: w.script.Line(c.Pos())}
			w.script.pipelines = append(w.script.pipelines, p)
			w.pipeSides(c, nested, p)
			return
		}
		w.stmt(c.X, nested)
		w.stmt(c.Y, nested)
	case *syntax.Subshell:
		w.stmts(c.Stmts, true)
	case *syntax.Block:
		w.stmts(c.Stmts, nested)
	case *syntax.IfClause:
		for cl := c; cl != nil; cl = cl.Else {
			w.stmts(cl.Cond, true)
			w.stmts(cl.Then, true)
		}
	case *syntax.WhileClause:
		w.stmts(c.Cond, true)
		w.stmts(c.Do, true)
	case *syntax.ForClause:
		w.stmts(c.Do, true)
	case *syntax.CaseClause:
		for _, item := range c.Items {
			w.stmts(item.Stmts, true)
		}
	case *syntax.FuncDecl:
		w.stmt(c.Body, true)
	case *syntax.TimeClause:
		w.stmt(c.Stmt, nested)
	case *syntax.CoprocClause:
		w.stmt(c.Stmt, true)
	case *syntax.DeclClause:
		for _, a := range c.Args {
			if a.Value != nil {
				w.word(a.Value, nested)
			}
		}
	}
}

// pipeSide is the pipeline side a command belongs to.
type pipeSide struct {
	pipeline *Pipeline
	index    int
}

func (w *walker) pipeSides(c *syntax.BinaryCmd, nested bool, p *Pipeline) {
	for _, side := range []*syntax.Stmt{c.X, c.Y} {
		if b, ok := side.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
			w.pipeSides(b, nested, p)
			continue
		}
		p.Stages = append(p.Stages, nil)
		ps := &pipeSide{pipeline: p, index: len(p.Stages) - 1}
		if side.Cmd != nil {
			w.command(side.Cmd, nested, ps)
		}
		for _, r := range side.Redirs {
			w.word(r.Word, nested)
		}
	}
}

// call records a simple command, unwraps wrappers such as sudo and env,
// and descends into sh -c strings and command substitutions.
func (w *walker) call(c *syntax.CallExpr, nested bool, pipe *pipeSide) {
	for _, a := range c.Assigns {
		if a.Value != nil {
			w.word(a.Value, nested)
		}
	}
	if len(c.Args) == 0 {
		return
	}
	for _, a := range c.Args {
		w.word(a, nested)
	}
	args := make([]string, len(c.Args))
	known := make([]bool, len(c.Args))
	for i, a := range c.Args {
		args[i], known[i] = WordValue(a)
	}
	w.record(args, known, w.script.Line(c.Pos()), nested, pipe, "")
}

func (w *walker) record(args []string, known []bool, line int, nested bool, pipe *pipeSide, via string) {
	if len(args) == 0 || !known[0] {
		return
	}
	cmd := &Command{
		Name:   path.Base(args[0]),
		Args:   args[1:],
		Known:  known[1:],
		Line:   line,
		Via:    via,
		Nested: nested || w.script.nested,
		Script: w.script,
	}
	if pipe != nil {
		cmd.Pipeline = pipe.pipeline
		pipe.pipeline.Stages[pipe.index] = append(pipe.pipeline.Stages[pipe.index], cmd)
	}
	w.script.commands = append(w.script.commands, cmd)

	if skip := wrapperArgs(cmd.Name, cmd.Args); skip >= 0 && skip < len(cmd.Args) {
		w.record(cmd.Args[skip:], cmd.Known[skip:], line, nested, pipe, cmd.Name)
	}
	if isShellName(cmd.Name) || cmd.Name == "su" {
		w.shellString(cmd, line)
	}
}

// wrapperOptions lists, for each wrapper such as sudo or env, the options
// that take a value.
var wrapperOptions = map[string]map[string]bool{
	"sudo":    {"-u": true, "-g": true, "-C": true, "-D": true, "-h": true, "-p": true, "-r": true, "-t": true, "-U": true},
	"env":     {"-u": true, "-C": true, "-S": true},
	"nice":    {"-n": true},
	"timeout": {"-s": true, "-k": true},
	"stdbuf":  {"-i": true, "-o": true, "-e": true},
	"exec":    {"-a": true},
	"xargs":   {"-I": true, "-n": true, "-P": true, "-d": true, "-L": true, "-s": true, "-E": true},
	"chroot":  {}, "nohup": {}, "time": {}, "command": {}, "builtin": {},
	"gosu": {}, "su-exec": {}, "tini": {}, "dumb-init": {},
}

// wrapperArgs returns where the wrapped command starts in the arguments of
// a wrapper such as sudo, env or nohup, or -1 when name is no wrapper.
func wrapperArgs(name string, args []string) int {
	opts, ok := wrapperOptions[name]
	if !ok {
		return -1
	}
	i := 0
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			return i + 1
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if opts[a] {
				i++
			}
			i++
		case name == "env" && strings.Contains(a, "="):
			i++
		default:
			if name == "timeout" || name == "gosu" || name == "su-exec" || name == "chroot" {
				// The first operand is a duration, a user or a directory.
				return i + 1
			}
			return i
		}
	}
	return -1
}

// shellString parses the string after -c of a shell (or su) as a script.
func (w *walker) shellString(cmd *Command, line int) {
	if w.depth >= 8 {
		return
	}
	for i := 0; i+1 < len(cmd.Args); i++ {
		a := cmd.Args[i]
		if a == "-c" || (len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.HasSuffix(a, "c")) {
			if !cmd.Known[i+1] {
				return
			}
			inner := newNestedScript(cmd.Args[i+1], line, w.depth+1)
			w.script.commands = append(w.script.commands, inner.commands...)
			w.script.pipelines = append(w.script.pipelines, inner.pipelines...)
			return
		}
	}
}

func newNestedScript(text string, line, depth int) *Script {
	n := strings.Count(text, "\n") + 1
	lines := make([]int, n)
	for i := range lines {
		lines[i] = line + i
	}
	s := &Script{Source: text, lines: lines, nested: true}
	p := parsers.Get().(*syntax.Parser)
	file, err := p.Parse(strings.NewReader(text), "")
	parsers.Put(p)
	if err != nil {
		s.Err = err
		return s
	}
	s.File = file
	w := walker{script: s, depth: depth}
	for _, st := range file.Stmts {
		w.stmt(st, true)
	}
	return s
}

// word descends into command and process substitutions inside a word.
func (w *walker) word(word *syntax.Word, nested bool) {
	if word == nil {
		return
	}
	syntax.Walk(word, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst:
			w.stmts(x.Stmts, true)
			return false
		case *syntax.ProcSubst:
			w.stmts(x.Stmts, true)
			return false
		}
		return true
	})
}

// WordValue returns the value of a shell word when it needs no expansion
// at run time, and otherwise its source text and false.
func WordValue(word *syntax.Word) (string, bool) {
	var b strings.Builder
	known := appendParts(&b, word.Parts)
	if known {
		return b.String(), true
	}
	var src strings.Builder
	printer := printers.Get().(*syntax.Printer)
	printer.Print(&src, word)
	printers.Put(printer)
	return src.String(), false
}

// printers and parsers are reused: each allocates buffers on creation, and
// a Dockerfile has many words and scripts.
var (
	printers = sync.Pool{New: func() any { return syntax.NewPrinter() }}
	parsers  = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}
)

func appendParts(b *strings.Builder, parts []syntax.WordPart) bool {
	known := true
	for _, p := range parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(x.Value))
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			if !appendParts(b, x.Parts) {
				known = false
			}
		default:
			known = false
		}
	}
	return known
}

// unescape removes shell backslash escapes from an unquoted literal.
func unescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
