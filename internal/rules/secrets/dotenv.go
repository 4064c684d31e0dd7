package secrets

import (
	"path"
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets"
)

// isDotenvName reports whether a file holds NAME=value lines as compose
// env_file, docker run --env-file and dotenv libraries read them: .env,
// .env.*, *.env and env.list.
func isDotenvName(rel string) bool {
	base := strings.ToLower(path.Base(rel))
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env") ||
		base == "env.list" || base == "env-file"
}

var dotenvLine = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$`)

// dotenvFindings reports NAME=value lines of environment files whose name
// says they hold a secret, even when the value is too short or plain for
// the generic detector: an env file has no other purpose than to be
// loaded into a container's environment. Lines a detector already
// matched are skipped.
func dotenvFindings(sc *secrets.Scanner, path, rel string, data []byte, ms []secrets.Match) []finding.Finding {
	if !isDotenvName(rel) || secrets.ExemptsGeneric(rel) {
		return nil
	}
	return dotenvLines(sc, path, data, ms)
}

// dotenvLines reports the NAME=value lines of an environment file at path
// that secrets.Classify calls secret, except lines a match in ms covers.
func dotenvLines(sc *secrets.Scanner, path string, data []byte, ms []secrets.Match) []finding.Finding {
	done := map[int]bool{}
	for _, m := range ms {
		done[m.Line] = true
	}
	var fs []finding.Finding
	for i, l := range strings.Split(string(data), "\n") {
		if done[i+1] {
			continue
		}
		sub := dotenvLine.FindStringSubmatchIndex(l)
		if sub == nil {
			continue
		}
		name, value := l[sub[2]:sub[3]], unquote(l[sub[4]:sub[5]])
		m, ok := sc.Classify(name, value)
		if !ok {
			continue
		}
		r, _ := Lookup(m.RuleID)
		col := sub[4] + 1
		loc := finding.Location{Path: path, StartLine: i + 1, StartColumn: col, EndLine: i + 1,
			EndColumn: sub[5] + 1}
		fs = append(fs, r.New(loc, "%s", matchMessage(m)))
	}
	return fs
}

// unquote removes matching quotes, or an inline comment after an unquoted
// value.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	if i := strings.Index(v, " #"); i >= 0 {
		return strings.TrimSpace(v[:i])
	}
	return v
}
