package secrets

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets"
)

// Analyzer searches every file of a tree for secrets. Text files go
// through every detector, binary files through those that ask for them.
type Analyzer struct {
	// Alone is set when the structural rules of check (DF010, RT031) do
	// not run beside the analyzer, as in the secrets command. The
	// analyzer then also reports the secrets on the lines those rules
	// cover: Dockerfile ARG and ENV, compose and Kubernetes environment
	// entries, and docker run -e values.
	Alone bool
}

// Name implements engine.Analyzer.
func (Analyzer) Name() string { return "secrets" }

// Wants implements engine.Analyzer: every file, because a secret can sit
// in any of them.
func (Analyzer) Wants(*engine.File) bool { return true }

// Analyze implements engine.Analyzer.
func (a Analyzer) Analyze(ctx context.Context, f *engine.File, env *engine.Env) engine.Result {
	var res engine.Result
	var cfg = env.Config
	sc, err := secrets.ForConfig(cfg)
	if err != nil {
		res.Problems = append(res.Problems, finding.Problem{Path: f.Path, Kind: "config",
			Reason: fmt.Sprintf("secret allow-list: %v", err)})
		sc = secrets.Default()
	}
	if sc.SkipsPath(f.Rel) || ctx.Err() != nil {
		return res
	}
	res.Findings = scanFile(sc, f.Path, f.Rel, f.Data, f.Binary, !a.Alone)
	if !f.Binary && isYAMLName(f.Rel) && isComposeFile(f.Data) {
		res.Findings = append(res.Findings, envFileFindings(sc, env.Root, f.Path, f.Rel, f.Data)...)
	}
	return res
}

// scanFile returns the SE findings of one file. With structural set,
// matches that a structural rule of check reports (Dockerfile ARG and
// ENV, compose and Kubernetes environment literals, docker run -e values)
// are left to that rule. A value that a manifest or command-line finding
// covers is not reported twice.
func scanFile(sc *secrets.Scanner, path, rel string, data []byte, binary, structural bool) []finding.Finding {
	ms := sc.Scan(rel, data)
	if binary {
		return matchFindings(path, ms, nil)
	}
	var fs []finding.Finding
	var covered []span

	kfs, kspans := kubernetesSecrets(sc, path, data)
	fs = append(fs, kfs...)
	covered = append(covered, kspans...)

	if isShellContext(rel, data) {
		cfs, cspans := commandLines(path, data, ms)
		fs = append(fs, cfs...)
		covered = append(covered, cspans...)
	}

	var skip map[int]bool
	if structural {
		skip = structuralLines(rel, data)
	}
	var kept []secrets.Match
	for _, m := range ms {
		if skip[m.Line] || structural && isEnvFlagValue(data, m) || overlapsAny(m, covered) {
			continue
		}
		kept = append(kept, m)
	}
	fs = append(fs, matchFindings(path, kept, nil)...)
	fs = append(fs, dotenvFindings(sc, path, rel, data, kept)...)
	return fs
}

// span is a byte range of a file that a finding already covers.
type span struct{ start, end int }

func overlapsAny(m secrets.Match, spans []span) bool {
	for _, s := range spans {
		if m.Start < s.end && s.start < m.End {
			return true
		}
	}
	return false
}

// matchFindings turns detector matches into findings at path, with base
// as the location template for image findings.
func matchFindings(path string, ms []secrets.Match, base *finding.Location) []finding.Finding {
	var fs []finding.Finding
	for _, m := range ms {
		r, ok := Lookup(m.RuleID)
		if !ok {
			continue
		}
		loc := finding.Location{Path: path, StartLine: m.Line, StartColumn: m.Column,
			EndLine: m.EndLine, EndColumn: m.EndColumn}
		if base != nil {
			loc = *base
			loc.StartLine, loc.StartColumn, loc.EndLine, loc.EndColumn = m.Line, m.Column, m.EndLine, m.EndColumn
		}
		fs = append(fs, r.New(loc, "%s", matchMessage(m)))
	}
	return fs
}

// describe writes a match for a message: the detector, the redacted value
// and the note. A private key's redacted form is its type, such as "RSA
// private key", which already names the detector.
func describe(m secrets.Match) string {
	s := fmt.Sprintf("%s %s", m.Detector, m.Redacted)
	if strings.HasSuffix(m.Redacted, m.Detector) {
		s = m.Redacted
	}
	if m.Note != "" {
		s += " (" + m.Note + ")"
	}
	return s
}

// matchMessage is the message of a finding for one match. Matches of
// generic detectors name the key, because their value is fully masked and
// the key is what tells the reader which setting to move.
func matchMessage(m secrets.Match) string {
	if m.Name == "" {
		return describe(m)
	}
	return fmt.Sprintf("%s is assigned a literal value (%s)", m.Name, describe(m))
}

func lineText(data []byte, line int) []byte {
	for i := 1; i < line; i++ {
		n := bytes.IndexByte(data, '\n')
		if n < 0 {
			return nil
		}
		data = data[n+1:]
	}
	if n := bytes.IndexByte(data, '\n'); n >= 0 {
		data = data[:n]
	}
	return data
}
