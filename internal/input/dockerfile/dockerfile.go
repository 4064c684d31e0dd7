// Package dockerfile reads a Dockerfile with BuildKit's own parser into
// stages and typed instructions, and parses the shell inside RUN, CMD,
// ENTRYPOINT and HEALTHCHECK with mvdan.cc/sh, keeping the Dockerfile line
// of every command. It makes no judgement: rules live in
// internal/rules/dockerfile.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// File is a parsed Dockerfile.
type File struct {
	// Lines are the source lines, without line endings; Lines[0] is line 1.
	Lines []string
	// Escape is the escape character from the escape directive, or '\\'.
	Escape rune
	// Syntax is the value of the syntax directive, naming a custom frontend.
	Syntax string
	// MetaArgs are the ARG instructions before the first FROM.
	MetaArgs []*Instruction
	// Stages are the build stages in order.
	Stages []*Stage
	// Instructions are all instructions in order, including those outside
	// any stage and those that failed to parse.
	Instructions []*Instruction
	// Errors are instructions BuildKit rejects, in order.
	Errors []*ParseError
}

// ParseError is an instruction, or the whole file, that BuildKit rejects.
type ParseError struct {
	Line, EndLine int
	Message       string
	// Unsupported is true when the instruction may be valid for a newer or
	// custom frontend: an unknown instruction, flag or mount option.
	Unsupported bool
	// Instruction is the word taken for an unknown instruction, and
	// Suggestion the known instruction BuildKit thinks was meant, if any.
	Instruction string
	Suggestion  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// ErrEmpty is returned for a file with no instructions.
var ErrEmpty = errors.New("file contains no instructions")

// Stage is one build stage, from its FROM to the next.
type Stage struct {
	Index int
	// Name is the stage name from FROM ... AS name, lower-cased as BuildKit
	// compares it; empty when unnamed.
	Name string
	// From is the FROM instruction.
	From *Instruction
	// BaseRaw is the base as written; Base is it with ARGs expanded and
	// BaseKnown false when an ARG had no value.
	BaseRaw   string
	Base      string
	BaseKnown bool
	// Parent is the earlier stage this one is built on, or nil for an
	// image.
	Parent   *Stage
	Platform string
	// Instructions are the stage's instructions after FROM.
	Instructions []*Instruction
	// Shell is the shell for shell-form commands at the end of the stage.
	Shell []string
	// Windows is true when the base image is a Windows image, directly or
	// through the stages it is built on.
	Windows bool
}

// Instruction is one instruction with its BuildKit node and typed command.
type Instruction struct {
	// Keyword is the instruction name in upper case.
	Keyword string
	Node    *parser.Node
	// Command is BuildKit's typed instruction (*instructions.RunCommand,
	// *instructions.CopyCommand, ...), or nil when it did not parse.
	Command any
	Line    int
	EndLine int
	Stage   *Stage
	// Shell is the shell for this instruction's shell form.
	Shell []string
	// Scripts are the shell programs the instruction runs: the shell form
	// of RUN/CMD/ENTRYPOINT/HEALTHCHECK and RUN heredocs read by a shell.
	// Empty for exec form, data heredocs and non-POSIX shells.
	Scripts []*Script
	// Args are the instruction's arguments after the flags, as BuildKit
	// splits them.
	Args []string
	// Flags are the raw --flag=value arguments.
	Flags []string
	// Onbuild is true for the RUN, COPY or ADD inside an ONBUILD trigger,
	// which runs in images built FROM this one.
	Onbuild bool
}

// Flag returns the value of --name on the instruction and whether it is set.
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		f = strings.TrimPrefix(f, "--")
		k, v, hasValue := strings.Cut(f, "=")
		if strings.EqualFold(k, name) {
			if !hasValue {
				return "true", true
			}
			return v, true
		}
	}
	return "", false
}

// Original returns the instruction's source lines joined with newlines.
func (in *Instruction) Original(f *File) string {
	if in.Line < 1 || in.EndLine > len(f.Lines) {
		return ""
	}
	return strings.Join(f.Lines[in.Line-1:in.EndLine], "\n")
}

// DefaultShell is the shell Docker uses for the shell form on Linux.
var DefaultShell = []string{"/bin/sh", "-c"}

// windowsShell is the default shell of Windows base images.
var windowsShell = []string{"cmd", "/S", "/C"}

// Parse reads a Dockerfile. It fails only when BuildKit rejects the whole
// file; instructions it rejects are listed in File.Errors and the rest are
// still returned. Invalid UTF-8 and NUL bytes are read as U+FFFD.
func Parse(data []byte) (*File, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	// BuildKit's word lexer prints to standard error when it meets invalid
	// UTF-8 or NUL bytes, so replace them; lines and columns stay the same.
	data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	data = bytes.ReplaceAll(data, []byte{0}, []byte("\uFFFD"))
	f := &File{Lines: strings.Split(string(data), "\n"), Escape: '\\'}
	if n := len(f.Lines); n > 0 && f.Lines[n-1] == "" {
		f.Lines = f.Lines[:n-1]
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, wrapParseError(err)
	}
	f.Escape = res.EscapeToken
	f.Syntax = syntaxDirective(f.Lines)
	if len(res.AST.Children) == 0 {
		return nil, ErrEmpty
	}
	b := builder{file: f, args: map[string]*string{}}
	for _, node := range res.AST.Children {
		b.add(node)
	}
	b.finish()
	return f, nil
}

// wrapParseError turns a BuildKit parse error into a ParseError with a line.
func wrapParseError(err error) error {
	pe := &ParseError{Line: 1, EndLine: 1, Message: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		pe.Line = le.Locations[0][0].Start.Line
		pe.EndLine = le.Locations[0][0].End.Line
	}
	pe.Line = max(pe.Line, 1)
	pe.EndLine = max(pe.EndLine, pe.Line)
	return pe
}

func syntaxDirective(lines []string) string {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			return ""
		}
		k, v, ok := strings.Cut(strings.TrimSpace(t[1:]), "=")
		if !ok {
			return ""
		}
		if strings.EqualFold(strings.TrimSpace(k), "syntax") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// IsUnsupported reports whether a BuildKit instruction error names an
// instruction, flag or option that another frontend may accept.
func isUnsupported(err error) bool {
	var unknown *instructions.UnknownInstructionError
	if errors.As(err, &unknown) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"unknown flag", "unexpected key", "unrecognized mount", "unsupported mount", "unknown mount"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
