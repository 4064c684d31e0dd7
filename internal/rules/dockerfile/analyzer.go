// Package dockerfile holds the Dockerfile rules (DF000 and up) and the
// analyzer that runs them on every Dockerfile the engine finds.
package dockerfile

import (
	"context"
	"errors"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/dockerfile"
)

// Analyzer runs the Dockerfile rules.
type Analyzer struct{}

// Name implements engine.Analyzer.
func (Analyzer) Name() string { return "dockerfile" }

// WantsName reports whether a file name is a Dockerfile's: Dockerfile,
// Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile, Containerfile.*.
func (Analyzer) WantsName(p string) bool {
	base := path.Base(strings.ReplaceAll(p, "\\", "/"))
	lower := strings.ToLower(base)
	switch {
	case base == "Dockerfile" || base == "Containerfile" || lower == "dockerfile" || lower == "containerfile":
		return true
	case strings.HasPrefix(base, "Dockerfile.") || strings.HasPrefix(base, "Containerfile."):
		return !strings.HasSuffix(lower, ".dockerignore") && !strings.HasSuffix(lower, ".containerignore")
	case strings.HasSuffix(lower, ".dockerfile"):
		return true
	}
	return false
}

// Wants implements engine.Analyzer.
func (a Analyzer) Wants(f *engine.File) bool { return a.WantsName(f.Path) }

// Analyze implements engine.Analyzer.
func (Analyzer) Analyze(ctx context.Context, f *engine.File, env *engine.Env) engine.Result {
	var res engine.Result
	if f.Binary {
		res.Problems = append(res.Problems, finding.Problem{Path: f.Path, Kind: "decode",
			Reason: "binary content, not a Dockerfile; rename it or add it to .dockwardignore"})
		return res
	}
	if !utf8.Valid(f.Data) {
		line := invalidUTF8Line(f.Data)
		res.Problems = append(res.Problems, finding.Problem{Path: f.Path, Line: line, Kind: "decode",
			Reason: "not valid UTF-8; BuildKit reads Dockerfiles as UTF-8, so save the file in that encoding"})
	}
	df, err := dockerfile.Parse(f.Data)
	if err != nil {
		if errors.Is(err, dockerfile.ErrEmpty) {
			res.Findings = append(res.Findings, df000.New(loc(f.Path, 1, 1),
				"the file contains no instructions; BuildKit rejects it with \"file with no instructions\""))
			return res
		}
		var pe *dockerfile.ParseError
		line := 1
		msg := err.Error()
		if errors.As(err, &pe) {
			line, msg = pe.Line, pe.Message
		}
		res.Findings = append(res.Findings, df000.New(loc(f.Path, line, line), "BuildKit rejects the file: %s",
			safeMessage(msg)))
		return res
	}
	c := newContext(df, f, env)
	for _, ch := range checks {
		if ctx.Err() != nil {
			break
		}
		ch(c)
	}
	res.Findings = c.findings
	res.Problems = append(res.Problems, c.problems...)
	return res
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

func loc(p string, start, end int) finding.Location {
	return finding.Location{Path: p, StartLine: start, StartColumn: 1, EndLine: end}
}
