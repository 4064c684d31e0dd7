package runtime

import (
	"fmt"
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
	lines := fmt.Sprintf("lines %d-%d never reach", b.LostPos.Line, b.LostPos.EndLine)
	if b.LostPos.EndLine <= b.LostPos.Line {
		lines = fmt.Sprintf("line %d never reaches", b.LostPos.Line)
	}
	e.at(pos, "line %d %s, so %s ends there; %s it: %s", b.Line, cause, c.Command, lines, lost)
}

// lostWords joins the lost words for the message with the values of
// environment variables, labels and build arguments hidden (-e NAME=VALUE
// becomes -e NAME=****), as well as any value whose name names a secret
// (--password VALUE, DB_PASSWORD=VALUE) and any token the secret
// detectors recognise. Other flags keep their values, such as
// --mount type=bind,src=/x,dst=/y, so the message shows what was lost.
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

// assignmentFlags are the flags whose NAME=VALUE arguments are values a
// container or image receives, often credentials.
var assignmentFlags = map[string]bool{
	"e": true, "env": true, "l": true, "label": true, "build-arg": true, "annotation": true,
	"secret": true, "config": true,
}

// hideValue returns word with its value replaced by secrets.Mask when the
// value is assigned through one of assignmentFlags, or when its name, or
// the flag before it, names a secret.
func hideValue(word, prevFlag string) string {
	name, value, ok := strings.Cut(word, "=")
	switch {
	case ok && strings.HasPrefix(name, "-"):
		// --flag=VALUE, or --env=NAME=VALUE.
		flag := strings.TrimLeft(name, "-")
		if env, _, ok := strings.Cut(value, "="); ok && assignmentFlags[flag] {
			return name + "=" + env + "=" + secrets.Mask
		}
		if _, secret := secrets.Classify(flag, strings.Trim(value, `"'`)); secret {
			return name + "=" + secrets.Mask
		}
	case ok:
		// NAME=VALUE after a flag, or a stray assignment.
		if _, secret := secrets.Classify(name, strings.Trim(value, `"'`)); secret || assignmentFlags[prevFlag] {
			return name + "=" + secrets.Mask
		}
	case prevFlag != "" && !strings.HasPrefix(word, "-"):
		if _, secret := secrets.Classify(prevFlag, strings.Trim(word, `"'`)); secret {
			return secrets.Mask
		}
	}
	return word
}
