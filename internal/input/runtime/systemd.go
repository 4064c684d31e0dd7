package runtime

import (
	"regexp"
	"strings"
)

var systemdExec = regexp.MustCompile(`^\s*(Exec(?:Start|StartPre|StartPost|Reload|Stop|StopPost|Condition)\s*=\s*)([-@:+!]*)`)

// SystemdScripts returns the Exec*= command lines of a systemd unit, such
// as ExecStart=/usr/bin/docker run ..., one Script per command with its
// continuation lines. The prefixes -, @, :, + and ! are dropped. systemd
// splits words much like the shell, and its $VAR expansions stay unknown
// because they come from Environment= and EnvironmentFile=.
func SystemdScripts(data []byte) []Script {
	lines := strings.Split(normalizeNewlines(string(data)), "\n")
	var out []Script
	for i := 0; i < len(lines); i++ {
		m := systemdExec.FindStringSubmatchIndex(lines[i])
		if m == nil {
			continue
		}
		// The key and prefix become spaces, so columns stay right on the
		// first line and the continuation lines alike.
		start := i
		text := strings.Repeat(" ", m[1]) + lines[i][m[1]:]
		for strings.HasSuffix(strings.TrimRight(text, " \t"), "\\") && i+1 < len(lines) {
			i++
			text += "\n" + lines[i]
		}
		out = append(out, Script{Text: text, Line: start + 1, Lenient: true})
	}
	return out
}
