package runtime

import (
	"strings"

	rt "github.com/dockward/dockward/internal/input/runtime"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

// BrokenContinuation fires on a command line that a backslash followed by
// whitespace ends early.
var BrokenContinuation = &rule.Rule{
	ID:       "RT036",
	Slug:     "broken-line-continuation",
	Title:    "Broken command: flags after a bad line continuation are lost",
	Severity: finding.High,
	Kind:     rule.KindRuntime,
	Description: "A line ends in a backslash followed by spaces or a comment, or a comment sits " +
		"between continued lines. The backslash then escapes the space instead of the newline, " +
		"or the comment runs to the end of its line, so the shell ends the command there and " +
		"runs the following lines as separate commands. Hardening flags " +
		"written there, such as --read-only or --cap-drop ALL, never reach docker run; the " +
		"container starts without them and the script usually carries on.",
	Fix: "Remove the whitespace after the backslash, and move comments out of continued " +
		"commands: every continued line must end in `\\` directly followed by the newline, " +
		"such as `docker run --rm \\` then `  --read-only alpine:3.20` on the next line.",
	Bad:  "docker run --rm \\ \n  --read-only \\\n  alpine:3.20",
	Good: "docker run --rm \\\n  --read-only \\\n  alpine:3.20",
}

func checkBrokenContinuation(c *rt.Container, e *emitter) {
	b := c.Broken
	if b == nil {
		return
	}
	pos := rt.Pos{Path: c.Pos.Path, Line: b.Line}
	lost := "nothing"
	if len(b.Lost) > 0 {
		lost = lostWords(b.Lost)
	}
	cause := "ends in a backslash followed by whitespace"
	if b.Comment {
		cause = "has a comment"
	}
	e.at(pos, "line %d %s, so %s ends there; lines %d-%d never reach it: %s",
		b.Line, cause, c.Command, b.LostPos.Line, b.LostPos.EndLine, lost)
}

// lostWords joins the lost words for the message with every assigned
// value hidden: NAME=VALUE becomes NAME=****, and so does the value of
// --flag=VALUE. The value of a separate word after a flag whose name
// holds a secret (--password VALUE) is hidden too, and any token the
// secret detectors recognise in the remaining words. The names are
// enough to say which settings were lost, and the values of -e, --label
// and similar flags are often credentials.
func lostWords(words []string) string {
	out := make([]string, len(words))
	prevFlag := ""
	for i, w := range words {
		out[i] = hideValue(w, prevFlag)
		prevFlag = ""
		if strings.HasPrefix(w, "-") && !strings.Contains(w, "=") {
			prevFlag = strings.TrimLeft(w, "-")
		}
	}
	return secrets.RedactText(strings.Join(out, " "))
}

// hideValue returns word with its value replaced by secrets.Mask when it
// is an assignment, or when it follows a flag whose name holds a secret.
func hideValue(word, prevFlag string) string {
	if name, value, ok := strings.Cut(word, "="); ok {
		if env, _, ok := strings.Cut(value, "="); ok && strings.HasPrefix(name, "-") {
			name += "=" + env // --env=NAME=VALUE
		}
		return name + "=" + secrets.Mask
	}
	if prevFlag != "" && !strings.HasPrefix(word, "-") {
		if _, ok := secrets.Classify(prevFlag, strings.Trim(word, `"'`)); ok {
			return secrets.Mask
		}
	}
	return word
}
