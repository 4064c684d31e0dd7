package dockerfile

import (
	"regexp"
	"strings"

	"github.com/dockward/dockward/internal/secrets"
)

// quoted matches a single- or double-quoted part of a BuildKit error.
var quoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)

// safeMessage makes a BuildKit error fit to print: BuildKit quotes the
// input it rejects, which may be a secret (an unknown "instruction" that
// is really NAME=value, a mount option token=value). Detected secrets are
// redacted, the value after "=" in a quoted NAME=value is redacted, and
// other quoted text of 12 characters or more is redacted too.
func safeMessage(msg string) string {
	msg = secrets.RedactText(msg)
	return quoted.ReplaceAllStringFunc(msg, func(q string) string {
		mark, body := q[:1], q[1:len(q)-1]
		if name, value, ok := strings.Cut(body, "="); ok && value != "" {
			return mark + name + "=" + secrets.RedactValue(value) + mark
		}
		if len(body) >= 12 {
			return mark + secrets.RedactValue(body) + mark
		}
		return q
	})
}

// instructionName returns the word BuildKit took for an unknown
// instruction, cut before any "=" so that NAME=value shows only NAME.
func instructionName(node string) string {
	name, _, assigned := strings.Cut(node, "=")
	if len(name) > 32 {
		name = name[:32] + "…"
	}
	if assigned {
		return name + "=…"
	}
	return name
}
