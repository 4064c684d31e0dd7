package runtime

import (
	"bytes"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ShellScripts returns a shell script as one Script.
func ShellScripts(data []byte) []Script {
	return []Script{{Text: normalizeNewlines(string(data)), Line: 1}}
}

// normalizeNewlines turns CRLF into LF. The carriage return sits at the
// end of the line, so columns stay the same.
func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

var (
	makeAssign = regexp.MustCompile(`^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\?|:{1,3}|\+|!)?=\s*(.*)$`)
	makeRule   = regexp.MustCompile(`^[^\t#=][^=]*:([^=]|$)`)
	makeRef    = regexp.MustCompile(`\$\(([^()$]*)\)|\$\{([^{}$]*)\}`)
	// makeConditional matches ifeq, ifneq, ifdef, ifndef, else (also
	// "else ifeq ...") and endif lines, which may be indented with spaces.
	makeConditional = regexp.MustCompile(`^ *(?:ifeq|ifneq|ifdef|ifndef|else|endif)(?:[ \t(]|$)`)
)

// MakefileScripts returns the recipes of a Makefile, one Script per
// logical recipe line. Make variables assigned in the file with literal
// values are expanded. Other make references become unset shell
// variables of the same length, so their words are unknown and the
// columns after them stay right.
func MakefileScripts(data []byte) []Script {
	lines := strings.Split(normalizeNewlines(string(data)), "\n")
	vars := map[string]string{}
	var out []Script
	inRule := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "\t") && inRule:
			// Leading tabs stay: they are blanks to the shell, and keeping
			// them keeps the columns of every line right.
			start := i
			text := line
			for strings.HasSuffix(text, "\\") && i+1 < len(lines) {
				i++
				text += "\n" + lines[i]
			}
			out = append(out, Script{Text: makeRecipe(text, vars), Line: start + 1})
		case strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#"):
		case makeConditional.MatchString(line):
			// Make reads conditionals before it splits rules, so a recipe
			// goes on after ifeq, else and endif. A tab-indented line is
			// a recipe line even when it looks like a conditional.
		case makeAssign.MatchString(line) && !strings.HasPrefix(line, "\t"):
			m := makeAssign.FindStringSubmatch(line)
			vars[m[1]] = strings.TrimSpace(m[2])
			inRule = false
		case makeRule.MatchString(line):
			inRule = true
		default:
			inRule = false
		}
	}
	return out
}

// maxRecipeLen stops the expansion of self-referencing make variables.
const maxRecipeLen = 64 << 10

// makeRecipe turns one recipe line into shell code: the @, - and +
// prefixes become spaces, make references are expanded, and $$ becomes $.
func makeRecipe(text string, vars map[string]string) string {
	n := len(text) - len(strings.TrimLeft(text, "\t@-+ "))
	text = strings.Repeat(" ", n) + text[n:]
	// $$ is a literal $ for the shell; hide it so $$(pwd) is not taken
	// for the make reference $(pwd).
	text = strings.ReplaceAll(text, "$$", "\x00")
	for range 8 {
		next := makeRef.ReplaceAllStringFunc(text, func(ref string) string {
			name := ref[2 : len(ref)-1]
			if v, ok := vars[name]; ok && !strings.Contains(v, "$(shell") {
				return v
			}
			return unknownMarker(len(ref))
		})
		if next == text || len(next) > maxRecipeLen {
			break
		}
		text = next
	}
	text = replaceMakeCalls(text)
	return strings.ReplaceAll(text, "\x00", "$")
}

// replaceMakeCalls turns the make references left after expansion, such
// as $(if $(X),:$(X)) or $(shell id -u), into unknown shell words. Every
// $( left is make syntax, because the shell's own $( is written $$( in a
// recipe.
func replaceMakeCalls(text string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "$(")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		depth, end := 0, len(text)
		for j := i + 1; j < len(text); j++ {
			if text[j] == '(' {
				depth++
			} else if text[j] == ')' {
				depth--
				if depth == 0 {
					end = j + 1
					break
				}
			}
		}
		b.WriteString(text[:i])
		b.WriteString(unknownMarker(end - i))
		text = text[end:]
	}
}

var makeMarkerRE = regexp.MustCompile(`\$\{_+\}`)

// HasMakeMarker reports whether s holds the shell word that MakefileScripts
// writes in place of a make reference it cannot expand.
func HasMakeMarker(s string) bool { return makeMarkerRE.MatchString(s) }

// unknownMarker returns a shell reference of n bytes to a variable that
// is never set, such as ${___}.
func unknownMarker(n int) string {
	if n < 4 {
		return "${_}"
	}
	return "${" + strings.Repeat("_", n-3) + "}"
}

var ciExpression = regexp.MustCompile(`\$\{\{.*?\}\}`)

// CIScripts returns the shell code of a GitHub Actions workflow (every
// run: key whose step does not choose a non-POSIX shell) or a GitLab CI
// file (script:, before_script: and after_script: of each job and of
// default:). GitHub expressions such as ${{ secrets.TOKEN }} become
// unknown words. The script: input of actions such as github-script is
// JavaScript and is not read.
func CIScripts(data []byte) ([]Script, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	lines := strings.Split(normalizeNewlines(string(data)), "\n")
	var out []Script
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	top := doc.Content[0]
	if mappingValue(top, "jobs") != nil {
		walkYAML(top, func(key, value, parent *yaml.Node) {
			if key.Value == "run" && value.Kind == yaml.ScalarNode && posixShell(parent) {
				out = append(out, scalarScript(value, lines))
			}
		})
	} else {
		for i := 0; i+1 < len(top.Content); i += 2 {
			job := top.Content[i+1]
			if job.Kind != yaml.MappingNode {
				continue
			}
			for _, key := range []string{"before_script", "script", "after_script"} {
				out = append(out, gitlabScripts(mappingValue(job, key), lines)...)
			}
		}
	}
	return dedupeScripts(out), nil
}

// dedupeScripts drops scripts that YAML aliases reach more than once and
// turns GitHub expressions into unknown words.
func dedupeScripts(in []Script) []Script {
	seen := map[[2]int]bool{}
	var out []Script
	for _, s := range in {
		key := [2]int{s.Line, s.Indent}
		if seen[key] {
			continue
		}
		seen[key] = true
		s.Text = ciExpression.ReplaceAllStringFunc(s.Text, func(e string) string {
			return unknownMarker(len(e))
		})
		out = append(out, s)
	}
	return out
}

// gitlabScripts returns a GitLab script: value, a string or a list of
// strings, as Scripts.
func gitlabScripts(n *yaml.Node, lines []string) []Script {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []Script{scalarScript(n, lines)}
	case yaml.SequenceNode:
		var out []Script
		for _, item := range n.Content {
			out = append(out, gitlabScripts(item, lines)...)
		}
		return out
	}
	return nil
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// posixShell reports whether a step runs its run: block with a POSIX
// shell: no shell: key, or bash or sh.
func posixShell(step *yaml.Node) bool {
	for i := 0; i+1 < len(step.Content); i += 2 {
		if step.Content[i].Value == "shell" {
			sh := strings.Fields(step.Content[i+1].Value)
			return len(sh) > 0 && (sh[0] == "bash" || sh[0] == "sh")
		}
	}
	return true
}

// walkYAML calls fn for every key and value of every mapping under n.
func walkYAML(n *yaml.Node, fn func(key, value, parent *yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i], n.Content[i+1], n)
		}
	}
	for _, c := range n.Content {
		walkYAML(c, fn)
	}
}

// scalarScript maps a YAML scalar to a Script. A literal block starts on
// the line after its indicator, indented like its first line. A folded
// block keeps the same start although its lines were joined.
func scalarScript(n *yaml.Node, lines []string) Script {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		indent := 0
		if n.Line < len(lines) {
			first := lines[n.Line]
			indent = len(first) - len(strings.TrimLeft(first, " "))
		}
		return Script{Text: n.Value, Line: n.Line + 1, Indent: indent}
	}
	indent := n.Column - 1
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		indent++
	}
	return Script{Text: n.Value, Line: n.Line, Indent: indent}
}

var fence = regexp.MustCompile("^( {0,3})(```+|~~~+)\\s*([^`\\s]*)")

// shellLanguages are the info strings of fenced blocks that hold shell
// commands; "" is an unlabelled block.
var shellLanguages = map[string]bool{
	"sh": true, "bash": true, "shell": true, "console": true, "shell-session": true,
	"zsh": true, "terminal": true, "shellsession": true, "": true,
}

// MarkdownScripts returns the fenced code blocks of a Markdown file that
// hold shell commands. In a block with prompts ("$ ", or "# " in console
// blocks) only prompted lines and their continuations are code, and the
// other lines are output, which is dropped. Prompts are replaced by spaces
// so columns stay right.
func MarkdownScripts(data []byte) []Script {
	lines := strings.Split(normalizeNewlines(string(data)), "\n")
	var out []Script
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		lang := strings.ToLower(m[3])
		end := i + 1
		for end < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[end], " "), m[2]) {
			end++
		}
		if shellLanguages[lang] {
			console := lang == "console" || lang == "shell-session" || lang == "shellsession" ||
				lang == "terminal"
			out = append(out, Script{Text: stripPrompts(lines[i+1:end], console), Line: i + 2, Lenient: true})
		}
		i = end
	}
	return out
}

// shellPrompt matches the prompt at the start of a documented command:
// "$ ", "% ", or a user@host prompt such as "dev@box:~/app$ ".
var shellPrompt = regexp.MustCompile(`^\s*(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?[$#]|[$%]) `)

// promptLength returns the length of the prompt l starts with, or 0. In
// console blocks "# " is a root prompt; elsewhere it starts a comment.
func promptLength(l string, console bool) int {
	if m := shellPrompt.FindString(l); m != "" {
		return len(m)
	}
	trimmed := strings.TrimLeft(l, " ")
	if console && strings.HasPrefix(trimmed, "# ") {
		return len(l) - len(trimmed) + 2
	}
	return 0
}

func stripPrompts(block []string, console bool) string {
	prompted := console
	for _, l := range block {
		if promptLength(l, false) > 0 {
			prompted = true
		}
	}
	var b bytes.Buffer
	continued := false
	for i, l := range block {
		if i > 0 {
			b.WriteByte('\n')
		}
		n := promptLength(l, console)
		switch {
		case !prompted:
			b.WriteString(l)
		case n > 0:
			b.WriteString(strings.Repeat(" ", n) + l[n:])
		case continued:
			if rest, ok := strings.CutPrefix(l, "> "); ok {
				l = "  " + rest
			}
			b.WriteString(l)
		default:
			// Output of the previous command.
			continued = false
			continue
		}
		continued = strings.HasSuffix(strings.TrimRight(l, " "), "\\")
	}
	return b.String()
}
