package secrets

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/secrets"
)

// commandPattern is one way of putting a secret on a command line. The
// group "v" is the secret. literalOnly patterns skip values that are
// variable references: the file then holds no value, and for echo and
// printf, shell builtins, ps does not show it either. docker login -p is
// reported with a variable too, as Docker itself warns about it.
type commandPattern struct {
	keyword     string
	re          *regexp.Regexp
	literalOnly bool
	what, fix   string
}

var commandPatterns = []commandPattern{
	{
		keyword: "secret", literalOnly: true,
		re: regexp.MustCompile(`\b(?:echo|printf)\s+(?:-[neE]+\s+)?(?P<v>"[^"]+"|'[^']+'|[^\s|;&"']+)\s*\|\s*` +
			`(?:sudo\s+)?docker\s+secret\s+create\b`),
		what: "`echo SECRET | docker secret create` writes the secret into the script and shell history",
		fix:  "create the secret from a file: `docker secret create NAME ./file`, or pipe a file: `docker secret create NAME - < file`",
	},
	{
		keyword: "login",
		re: regexp.MustCompile(`\b(?:docker|podman|nerdctl|buildah|skopeo)\s+login\b[^|;&\n]*?\s` +
			`(?:-p|--password)(?:=|\s+)(?P<v>"[^"]+"|'[^']+'|[^\s|;&"']+)`),
		what: "`docker login -p` puts the password on the command line, where ps and shell history show it",
		fix:  "use `--password-stdin` and read the password from a file: `docker login -u USER --password-stdin < token.txt`",
	},
	{
		keyword: "mysql", literalOnly: true,
		re: regexp.MustCompile(`\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck)\b[^|;&\n]*?\s` +
			`(?:-p(?P<v>"[^"]+"|'[^']+'|[^\s|;&"'-][^\s|;&]*)|--password=(?P<v2>"[^"]+"|'[^']+'|[^\s|;&]+))`),
		what: "`mysql -pSECRET` puts the password on the command line, where ps and shell history show it",
		fix:  "put the password in an option file readable only by its owner and pass `--defaults-extra-file=/run/secrets/my.cnf`, or let mysql prompt with `-p` alone",
	},
	{
		keyword: "mariadb", literalOnly: true,
		re: regexp.MustCompile(`\b(?:mariadb|mariadb-dump|mariadb-admin)\b[^|;&\n]*?\s` +
			`(?:-p(?P<v>"[^"]+"|'[^']+'|[^\s|;&"'-][^\s|;&]*)|--password=(?P<v2>"[^"]+"|'[^']+'|[^\s|;&]+))`),
		what: "`mariadb -pSECRET` puts the password on the command line, where ps and shell history show it",
		fix:  "put the password in an option file readable only by its owner and pass `--defaults-extra-file=/run/secrets/my.cnf`",
	},
	{
		keyword: "sshpass", literalOnly: true,
		re:   regexp.MustCompile(`\bsshpass\s+-p\s*(?P<v>"[^"]+"|'[^']+'|[^\s|;&]+)`),
		what: "`sshpass -p` puts the password on the command line, where ps and shell history show it",
		fix:  "use `sshpass -f FILE` with a file readable only by its owner, or better an SSH key",
	},
	{
		keyword: "curl", literalOnly: true,
		re: regexp.MustCompile(`\bcurl\b[^|;&\n]*?\s(?:-u|--user)(?:=|\s+)["']?[^\s:"'$]+:` +
			`(?P<v>[^\s"'@]{4,})["']?`),
		what: "`curl -u user:password` puts the password on the command line, where ps and shell history show it",
		fix:  "use `curl --netrc-file FILE` with a file readable only by its owner, or `-u user` to be prompted",
	},
}

// shellExts and shellNames are the files whose lines run as shell
// commands: scripts, Dockerfiles, Makefiles, CI and manifest YAML (run:
// blocks, exec probes), and shell histories.
var (
	shellExts = map[string]bool{".sh": true, ".bash": true, ".zsh": true, ".ksh": true, ".ash": true,
		".yml": true, ".yaml": true, ".mk": true, ".ps1": true, ".tf": true}
	shellNames = map[string]bool{"makefile": true, "gnumakefile": true, "jenkinsfile": true,
		"procfile": true, "earthfile": true, ".bash_history": true, ".zsh_history": true,
		".ash_history": true, ".sh_history": true, ".history": true, ".bashrc": true, ".profile": true,
		".zshrc": true}
)

// isShellContext reports whether a file holds shell commands, by name or
// by a #! line. Source code and documents mention these commands in
// strings and examples, so they are not searched.
func isShellContext(rel string, data []byte) bool {
	base := strings.ToLower(path.Base(rel))
	if shellNames[base] || shellExts[path.Ext(base)] || isDockerfileName(rel) {
		return true
	}
	return path.Ext(base) == "" && bytes.HasPrefix(data, []byte("#!"))
}

// commandLines reports shell commands that put a secret on a command
// line and returns the byte ranges of their values. A detector match in
// such a range is named in the finding's message, not reported again.
func commandLines(path string, data []byte, ms []secrets.Match) ([]finding.Finding, []span) {
	text := string(data)
	var fs []finding.Finding
	var spans []span
	lines := lineStarts(data)
	for _, p := range commandPatterns {
		for _, loc := range findNearKeyword(p.re, text, p.keyword) {
			vs, ve := groupRange(p.re, loc)
			if vs < 0 {
				continue
			}
			value := strings.Trim(text[vs:ve], `"'`)
			if value == "" || p.literalOnly && strings.Contains(value, "$") {
				continue
			}
			detail := "value " + secrets.RedactValue(value)
			for _, m := range ms {
				if m.Start < ve && vs < m.End {
					detail = describe(m)
					break
				}
			}
			line, col := position(lines, loc[0])
			endLine, endCol := position(lines, loc[1])
			f := CommandLineSecret.New(finding.Location{Path: path, StartLine: line, StartColumn: col,
				EndLine: endLine, EndColumn: endCol}, "%s (%s); %s", p.what, detail, p.fix)
			fs = append(fs, f)
			spans = append(spans, span{vs, ve})
		}
	}
	return fs, spans
}

// findNearKeyword returns the matches of re in text, searching only the
// lines around each occurrence of keyword: the keyword's line and the line
// before it, since a pipe may end the line before the command. Searching
// these windows instead of the whole file keeps scanning linear in the
// number of keyword lines.
func findNearKeyword(re *regexp.Regexp, text, keyword string) [][]int {
	var out [][]int
	winStart, winEnd := -1, -1
	flush := func() {
		if winStart < 0 {
			return
		}
		for _, loc := range re.FindAllStringSubmatchIndex(text[winStart:winEnd], -1) {
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += winStart
				}
			}
			out = append(out, loc)
		}
	}
	for off := 0; ; {
		i := strings.Index(text[off:], keyword)
		if i < 0 {
			break
		}
		at := off + i
		start := strings.LastIndexByte(text[:at], '\n') + 1
		if start > 0 {
			start = strings.LastIndexByte(text[:start-1], '\n') + 1 // the line before
		}
		end := len(text)
		if j := strings.IndexByte(text[at:], '\n'); j >= 0 {
			end = at + j
		}
		if winStart >= 0 && start <= winEnd {
			winEnd = max(winEnd, end)
		} else {
			flush()
			winStart, winEnd = start, end
		}
		off = end
		if off >= len(text) {
			break
		}
	}
	flush()
	return out
}

func groupRange(re *regexp.Regexp, loc []int) (int, int) {
	for _, name := range []string{"v", "v2"} {
		if i := re.SubexpIndex(name); i > 0 && loc[2*i] >= 0 {
			return loc[2*i], loc[2*i+1]
		}
	}
	return -1, -1
}

func position(lines []int, off int) (int, int) {
	lo, hi := 0, len(lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, off - lines[lo] + 1
}
