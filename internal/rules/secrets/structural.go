package secrets

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/secrets"
)

// structuralLines returns the lines whose values structural rules report
// with secrets.Classify: ARG and ENV instructions of a Dockerfile (DF010),
// and environment entries of compose files and Kubernetes manifests
// (RT031).
func structuralLines(rel string, data []byte) map[int]bool {
	switch {
	case isDockerfileName(rel):
		return dockerfileArgEnvLines(data)
	case isYAMLName(rel):
		switch {
		case isComposeFile(data):
			return yamlBlockLines(data, "environment")
		case isKubernetesManifest(data):
			return yamlBlockLines(data, "env")
		}
	}
	return nil
}

func isDockerfileName(rel string) bool {
	base := path.Base(rel)
	lower := strings.ToLower(base)
	return lower == "dockerfile" || lower == "containerfile" ||
		strings.HasPrefix(lower, "dockerfile.") && !strings.HasSuffix(lower, "ignore") ||
		strings.HasPrefix(lower, "containerfile.") && !strings.HasSuffix(lower, "ignore") ||
		strings.HasSuffix(lower, ".dockerfile")
}

func isYAMLName(rel string) bool {
	ext := strings.ToLower(path.Ext(rel))
	return ext == ".yml" || ext == ".yaml"
}

var (
	topServices   = regexp.MustCompile(`(?m)^services:\s*$`)
	topKind       = regexp.MustCompile(`(?m)^kind:\s*\S`)
	topAPIVersion = regexp.MustCompile(`(?m)^apiVersion:\s*\S`)
	argEnvLine    = regexp.MustCompile(`(?i)^\s*(?:arg|env)\s`)
)

func isComposeFile(data []byte) bool { return topServices.Match(data) }

func isKubernetesManifest(data []byte) bool {
	return topKind.Match(data) && topAPIVersion.Match(data)
}

// dockerfileArgEnvLines returns the lines of ARG and ENV instructions,
// continuation lines included.
func dockerfileArgEnvLines(data []byte) map[int]bool {
	lines := map[int]bool{}
	inside := false
	for i, l := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimRight(l, " \t\r")
		if !inside && argEnvLine.Match(t) {
			inside = true
		}
		if inside {
			lines[i+1] = true
			inside = bytes.HasSuffix(t, []byte("\\")) || bytes.HasSuffix(t, []byte("`"))
		}
	}
	return lines
}

// yamlBlockLines returns the lines of every block under a key named key,
// found by indentation, and of the key line itself for flow forms such as
// `environment: {A: b}`.
func yamlBlockLines(data []byte, key string) map[int]bool {
	lines := map[int]bool{}
	blockIndent := -1
	for i, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(l)
		indent := len(l) - len(strings.TrimLeft(l, " "))
		if blockIndent >= 0 {
			if trimmed == "" || strings.HasPrefix(trimmed, "#") || indent > blockIndent {
				lines[i+1] = true
				continue
			}
			if indent == blockIndent && strings.HasPrefix(trimmed, "- ") {
				lines[i+1] = true
				continue
			}
			blockIndent = -1
		}
		item := strings.TrimPrefix(trimmed, "- ")
		if !strings.HasPrefix(item, key+":") {
			continue
		}
		lines[i+1] = true
		rest := strings.TrimSpace(strings.TrimPrefix(item, key+":"))
		if rest == "" || strings.HasPrefix(rest, "#") {
			blockIndent = indent + (len(trimmed) - len(item))
		}
	}
	return lines
}

// envFlagPrefix matches the text before a value given with -e or --env,
// as in `docker run -e TOKEN=value`, which RT031 reports.
var envFlagPrefix = regexp.MustCompile(`(?:^|\s)(?:-e|--env)(?:\s+|=)["']?[A-Za-z_][A-Za-z0-9_.]*=\S*$`)

// isEnvFlagValue reports whether m is the value of a -e or --env flag
// that RT031 reports: one on the line of a run or create command, or on
// a line that intact continuations join to such a line. A flag stranded
// after a broken continuation (a backslash followed by whitespace, or a
// comment) runs as a command of its own, which RT031 does not audit, so
// the SE rules report its value.
func isEnvFlagValue(data []byte, m secrets.Match) bool {
	line := lineText(data, m.Line)
	if m.Column-1 > len(line) {
		return false
	}
	if !envFlagPrefix.Match(line[:m.Column-1]) {
		return false
	}
	if startsContainer(line) {
		return true
	}
	return continuesContainerCommand(data, m.Line)
}

func startsContainer(line []byte) bool {
	return bytes.Contains(line, []byte("run")) || bytes.Contains(line, []byte("create"))
}

// maxContinuedLines bounds the walk back through continued lines.
const maxContinuedLines = 200

// continuesContainerCommand reports whether line n is joined, through
// lines that each end in a backslash directly followed by the newline,
// to an earlier line that starts a run or create command.
func continuesContainerCommand(data []byte, n int) bool {
	for prev := n - 1; prev >= 1 && prev >= n-maxContinuedLines; prev-- {
		text := bytes.TrimSuffix(lineText(data, prev), []byte("\r"))
		if !bytes.HasSuffix(text, []byte("\\")) || bytes.HasPrefix(bytes.TrimSpace(text), []byte("#")) {
			return false
		}
		if startsContainer(text) {
			return true
		}
	}
	return false
}
