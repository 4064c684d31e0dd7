package runtime

import (
	"path"
	"regexp"
	"strings"

	"github.com/distribution/reference"
)

// Word is one shell word of a command line, after quote removal and the
// expansion of variables the extractor could resolve.
type Word struct {
	// Text is the expanded word. For an unknown word it is the source
	// text, such as "--user=$UID", so a flag name can still be read.
	Text string
	// Unknown is true when the word contains an expansion that cannot be
	// resolved.
	Unknown bool
	// Split is true when the word is an unquoted expansion that the shell
	// may split into several words, such as $DOCKER_OPTS.
	Split bool
	// Via is the expansion an unknown word came from when the rest of
	// that expansion is known, such as "$FLAGS" for FLAGS="--rm $EXTRA".
	Via string
	Pos Pos
}

// verb is a CLI subcommand that starts or enters a container.
type verb struct {
	words []string // subcommand words after the program name
	name  string   // Container.Command
	flags flagSet
}

var dockerVerbs = []verb{
	{[]string{"container", "run"}, "docker run", dockerRunFlags},
	{[]string{"container", "create"}, "docker create", dockerRunFlags},
	{[]string{"container", "exec"}, "docker exec", execFlags},
	{[]string{"service", "create"}, "docker service create", serviceFlags},
	{[]string{"run"}, "docker run", dockerRunFlags},
	{[]string{"create"}, "docker create", dockerRunFlags},
	{[]string{"exec"}, "docker exec", execFlags},
}

var podmanVerbs = []verb{
	{[]string{"container", "run"}, "podman run", podmanRunFlags},
	{[]string{"container", "create"}, "podman create", podmanRunFlags},
	{[]string{"container", "exec"}, "podman exec", execFlags},
	{[]string{"run"}, "podman run", podmanRunFlags},
	{[]string{"create"}, "podman create", podmanRunFlags},
	{[]string{"exec"}, "podman exec", execFlags},
}

// ParseCommand reads one simple command. It returns nil when the words are
// not a docker or podman command that starts or enters a container. Words
// before the program name may be wrappers such as sudo or env assignments.
// Unknown flags and invalid values become notes on the container, so one
// bad flag does not hide the others.
func ParseCommand(words []Word) *Container {
	i, podman := findProgram(words)
	if i < 0 {
		return nil
	}
	prog := words[i]

	globals, verbs := dockerGlobals, dockerVerbs
	if podman {
		globals, verbs = podmanGlobals, podmanVerbs
	}
	j := skipGlobalFlags(words, i+1, globals)
	v, n := matchVerb(words[j:], verbs)
	if v == nil {
		return nil
	}

	c := &Container{Source: SourceCLI, Command: v.name, Pos: prog.Pos}
	p := &parser{c: c, flags: v.flags, words: words[j+n:]}
	p.parse()
	p.noteUnknownArgs()
	c.Pos.EndLine, c.Pos.EndColumn = lastPos(words)
	return c
}

// programPrefixes are commands that run their arguments as a command.
var programPrefixes = map[string]bool{
	"sudo": true, "exec": true, "command": true, "time": true, "nohup": true,
	"env": true, "builtin": true, "doas": true, "xargs": false,
}

// findProgram returns the index of the docker or podman word and whether
// it is podman, or -1.
func findProgram(words []Word) (int, bool) {
	for i, w := range words {
		if isWrapperName(w.Text) {
			return i, strings.Contains(strings.ToLower(w.Text), "podman")
		}
		if w.Unknown {
			return -1, false
		}
		if programPrefixes[w.Text] || isAssignment(w.Text) ||
			(i > 0 && strings.HasPrefix(w.Text, "-")) {
			continue
		}
		return -1, false
	}
	return -1, false
}

// wrapperName matches the program word of a docker or podman command: the
// binary by name or path, or the wrapper names scripts define for it such
// as dockerCmd or $DOCKER. docker-compose and docker-machine do not match.
var wrapperName = regexp.MustCompile(`(?i)^(docker|podman)(_?cmd|_?cli|_?bin)?$`)

func isWrapperName(s string) bool {
	s = strings.Trim(s, `"{}`)
	s = strings.TrimPrefix(s, "$")
	s = strings.Trim(s, "{}")
	return wrapperName.MatchString(path.Base(s))
}

func isAssignment(s string) bool {
	name, _, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func skipGlobalFlags(words []Word, j int, globals flagSet) int {
	for j < len(words) && strings.HasPrefix(words[j].Text, "-") && !words[j].Unknown {
		name, _, hasValue := strings.Cut(words[j].Text, "=")
		spec := globals[name]
		j++
		if spec != nil && !spec.bool && !hasValue {
			j++
		}
	}
	return min(j, len(words))
}

func matchVerb(words []Word, verbs []verb) (*verb, int) {
	for k := range verbs {
		v := &verbs[k]
		if len(words) < len(v.words) {
			continue
		}
		ok := true
		for n, w := range v.words {
			if words[n].Unknown || words[n].Text != w {
				ok = false
				break
			}
		}
		if ok {
			return v, len(v.words)
		}
	}
	return nil, 0
}

func lastPos(words []Word) (int, int) {
	w := words[len(words)-1]
	return w.Pos.Line, w.Pos.Column + len(w.Text)
}

// parser walks the words after the verb the way pflag does with
// interspersed arguments off: flags until the first argument, which is the
// image (or the container for exec), then the command.
type parser struct {
	c     *Container
	flags flagSet
	words []Word
	i     int
	// viaNoted is set when a note names an expansion that holds flags.
	viaNoted bool
}

func (p *parser) parse() {
	for p.i < len(p.words) {
		w := p.words[p.i]
		p.i++
		switch {
		case w.Text == "--" && !w.Unknown:
			p.positional()
			return
		case elided[w.Text]:
			// Documentation writes "docker run ... IMAGE" for flags left
			// out; they may be any flags.
			p.c.UnknownArgs = append(p.c.UnknownArgs, UnknownAt[string](w.Text, w.Pos))
		case isWholeExpansion(w):
			if p.expansionIsArgs(w) {
				p.c.UnknownArgs = append(p.c.UnknownArgs, UnknownAt[string](w.Text, w.Pos))
				if w.Via != "" {
					p.viaNoted = true
					p.c.AddNote(w.Pos, "%s in %s cannot be resolved and may hold any flag, "+
						"so rules about missing flags are skipped", w.Text, w.Via)
				}
				continue
			}
			p.i--
			p.positional()
			return
		case strings.HasPrefix(w.Text, "--") && len(w.Text) > 2:
			p.long(w)
		case strings.HasPrefix(w.Text, "-") && len(w.Text) > 1:
			p.short(w)
		default:
			p.i--
			p.positional()
			return
		}
	}
	p.positional()
}

// noteUnknownArgs adds one note that the container's options could not all
// be read, unless a note names the expansion already. A wrapper that passes
// all its words on, as in docker run "$@", has no image to report either,
// so it gets no note.
func (p *parser) noteUnknownArgs() {
	c := p.c
	if len(c.UnknownArgs) == 0 || c.Image.Unknown || p.viaNoted {
		return
	}
	for _, u := range c.UnknownArgs {
		if elided[u.Raw] {
			return
		}
	}
	w := c.UnknownArgs[0]
	text := w.Raw
	if HasMakeMarker(text) {
		text = "a make reference"
	}
	c.AddNote(w.Pos, "%s cannot be resolved and may hold any flag, so not all options of "+
		"this container could be read and rules about missing flags are skipped", text)
}

// noImageNote is the note format for a command that names no image.
const noImageNote = "%s names no image or container"

// elided are the words documentation writes in place of flags.
var elided = map[string]bool{"...": true, "…": true, "[OPTIONS]": true, "[options]": true, "OPTIONS": true}

// isWholeExpansion reports whether an unknown word starts with an
// expansion, so that even its flag name cannot be read.
func isWholeExpansion(w Word) bool {
	return w.Unknown && (strings.HasPrefix(w.Text, "$") || strings.HasPrefix(w.Text, "`") ||
		strings.HasPrefix(w.Text, "\"$"))
}

// expansionIsArgs decides whether an unresolved word in flag position holds
// flags or the image. The last part of the variable's name decides when it
// names flags (DOCKER_OPTS, RUN_FLAGS, EXTRA_ARGS), then a part that names an
// image (APP_IMAGE, TEST_IMAGE_NAME, IMAGE_TAG). Otherwise an unquoted
// expansion followed by more words is taken as flags.
func (p *parser) expansionIsArgs(w Word) bool {
	switch strings.Trim(w.Text, `"`) {
	case "$@", "$*", "${@}", "${*}":
		return true
	}
	name := strings.ToUpper(strings.Trim(w.Text, `"${}`))
	name, _, _ = strings.Cut(name, ":")
	parts := strings.Split(name, "_")
	last := parts[len(parts)-1]
	for _, hint := range []string{"OPT", "FLAG", "ARG", "PARAM"} {
		if strings.HasPrefix(last, hint) {
			return true
		}
	}
	for _, part := range parts {
		if strings.HasPrefix(part, "IMAGE") || part == "IMG" || part == "TAG" || part == "REPO" {
			return false
		}
	}
	return w.Split && p.i < len(p.words)
}

func (p *parser) positional() {
	if p.i >= len(p.words) {
		if len(p.c.UnknownArgs) > 0 {
			// The image is among the unresolved words.
			p.c.Image = UnknownAt[string](p.c.UnknownArgs[len(p.c.UnknownArgs)-1].Raw, p.c.Pos)
			return
		}
		p.c.AddNote(p.c.Pos, noImageNote, p.c.Command)
		return
	}
	w := p.words[p.i]
	p.i++
	if strings.HasSuffix(p.c.Command, "exec") {
		if p.c.Name == "" {
			p.c.Name = w.Text
		}
		return
	}
	if w.Unknown {
		p.c.Image = UnknownAt[string](w.Text, w.Pos)
		return
	}
	if _, err := reference.ParseNormalizedNamed(w.Text); err != nil {
		// A placeholder such as IMAGE or <image> in documentation.
		p.c.AddNote(w.Pos, "%q is not a valid image reference: %v", w.Text, err)
		p.c.Image = UnknownAt[string](w.Text, w.Pos)
		return
	}
	p.c.Image = Of(w.Text, w.Text, w.Pos)
}

func (p *parser) long(w Word) {
	name, value, hasValue := strings.Cut(w.Text, "=")
	spec := p.flags[name]
	if spec == nil {
		p.unknownFlag(w, name, hasValue)
		return
	}
	if spec.bool {
		p.applyBool(spec, w, value, hasValue)
		return
	}
	if hasValue {
		p.apply(spec, Word{Text: value, Unknown: w.Unknown, Pos: w.Pos})
		return
	}
	p.takeValue(spec, w)
}

// short reads a cluster of one-letter flags such as -it, -dp 80:80 or
// -p8080:80: a value flag takes the rest of the cluster or the next word.
func (p *parser) short(w Word) {
	letters := w.Text[1:]
	for k := 0; k < len(letters); k++ {
		name := "-" + letters[k:k+1]
		spec := p.flags[name]
		if spec == nil {
			p.c.AddNote(w.Pos, "unknown flag %s in %q", name, w.Text)
			return
		}
		rest := letters[k+1:]
		if spec.bool {
			if strings.HasPrefix(rest, "=") {
				p.applyBool(spec, w, rest[1:], true)
				return
			}
			p.applyBool(spec, w, "", false)
			continue
		}
		if rest != "" {
			rest = strings.TrimPrefix(rest, "=")
			p.apply(spec, Word{Text: rest, Unknown: w.Unknown, Pos: w.Pos})
			return
		}
		p.takeValue(spec, w)
		return
	}
}

func (p *parser) takeValue(spec *flagSpec, flag Word) {
	if p.i >= len(p.words) {
		p.c.AddNote(flag.Pos, "flag %s needs a value", flag.Text)
		return
	}
	v := p.words[p.i]
	p.i++
	v.Pos = spanPos(flag.Pos, v)
	p.apply(spec, v)
}

// spanPos returns a position from the flag to the end of its value when
// both are on one line, else the flag's own position.
func spanPos(flag Pos, v Word) Pos {
	if v.Pos.Line == flag.Line {
		flag.EndLine = v.Pos.Line
		flag.EndColumn = v.Pos.Column + len(v.Text)
	}
	return flag
}

func (p *parser) applyBool(spec *flagSpec, w Word, value string, hasValue bool) {
	if spec.apply == nil {
		return
	}
	if !hasValue {
		spec.apply(p.c, Word{Text: "true", Pos: w.Pos})
		return
	}
	spec.apply(p.c, Word{Text: value, Unknown: w.Unknown, Pos: w.Pos})
}

func (p *parser) apply(spec *flagSpec, v Word) {
	if spec.apply != nil {
		spec.apply(p.c, v)
	}
}

// unknownFlag records a flag this parser does not know. Like the CLI it
// cannot tell whether the flag takes a value, so a following word that
// does not look like a flag is taken as its value when the flag has no
// "=" form.
func (p *parser) unknownFlag(w Word, name string, hasValue bool) {
	p.c.AddNote(w.Pos, "unknown flag %s for %s; its value, if any, is ignored", name, p.c.Command)
	if hasValue || p.i+1 >= len(p.words) {
		return
	}
	next := p.words[p.i]
	if !strings.HasPrefix(next.Text, "-") {
		p.i++
	}
}
