// Package shellfetch finds shell commands that download a script and run
// it without checking it: `curl URL | sh`, `sh -c "$(curl URL)"` and
// `bash <(curl URL)`. The Dockerfile rules apply it to RUN instructions
// and the image rules to the RUN commands recorded in an image's history.
package shellfetch

import (
	"strings"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

// Downloaders are the commands that fetch a URL.
var Downloaders = map[string]bool{"curl": true, "wget": true, "fetch": true}

// interpreters run a program read from standard input when given no file.
var interpreters = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true,
	"python": true, "python3": true, "perl": true, "ruby": true, "node": true, "php": true,
}

// Kind is the way a downloaded script reaches its interpreter.
type Kind int

const (
	// Pipe is a downloader's output piped into an interpreter.
	Pipe Kind = iota
	// Substitution is an interpreter whose arguments contain a command
	// substitution or process substitution that runs a downloader.
	Substitution
)

// Match is one command that runs a downloaded script.
type Match struct {
	Kind Kind
	// Line is the line that the script reports for the pipeline or command.
	Line int
	// Downloader is the downloading command of a Pipe match, such as curl.
	Downloader string
	// Interpreter is the command that runs the script, such as sh.
	Interpreter string
}

// Find returns the commands of a parsed script that run a downloaded
// script, at most one per line. Text that is only printed or commented,
// such as `echo "curl URL | sh"`, is not a command and gives no match.
func Find(s *dockerfile.Script) []Match {
	var out []Match
	seen := map[int]bool{}
	for _, p := range s.Pipelines() {
		if d, sh := pipedDownload(p); d != nil && !seen[p.Line] {
			seen[p.Line] = true
			out = append(out, Match{Kind: Pipe, Line: p.Line, Downloader: d.Name, Interpreter: sh.Name})
		}
	}
	for _, cmd := range s.Commands() {
		if interpreters[cmd.Name] && substitutesDownload(cmd) && !seen[cmd.Line] {
			seen[cmd.Line] = true
			out = append(out, Match{Kind: Substitution, Line: cmd.Line, Interpreter: cmd.Name})
		}
	}
	return out
}

// pipedDownload finds a downloader on one side of a pipeline and an
// interpreter reading standard input on a later side.
func pipedDownload(p *dockerfile.Pipeline) (*dockerfile.Command, *dockerfile.Command) {
	for i, side := range p.Stages {
		for _, d := range side {
			if !Downloaders[d.Name] {
				continue
			}
			for _, later := range p.Stages[i+1:] {
				for _, sh := range later {
					if interpreters[sh.Name] && readsStdin(sh) {
						return d, sh
					}
				}
			}
		}
	}
	return nil, nil
}

// readsStdin reports whether an interpreter takes its program from
// standard input: no script operand, or "-" or "-s".
func readsStdin(cmd *dockerfile.Command) bool {
	if cmd.HasArg("-c") {
		return false
	}
	ops := cmd.Operands()
	return len(ops) == 0 || ops[0] == "-" || cmd.HasArg("-s")
}

func substitutesDownload(cmd *dockerfile.Command) bool {
	for i, a := range cmd.Args {
		if cmd.Known[i] {
			continue
		}
		for d := range Downloaders {
			if strings.Contains(a, "$("+d+" ") || strings.Contains(a, "<("+d+" ") ||
				strings.Contains(a, "`"+d+" ") {
				return true
			}
		}
	}
	return false
}
