package image

import (
	"regexp"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// historyEntry is one entry of the config's history, read for what it
// states; a Dockerfile is never rebuilt from it.
type historyEntry struct {
	index int
	// instruction is the upper-case Dockerfile instruction the builder
	// recorded, such as RUN, ADD, ENV or ARG; RUN for classic shell lines.
	instruction string
	// args is the text after the instruction, with builder metadata and
	// the build-argument prefix removed.
	args string
	// buildArgs are the build arguments a RUN saw, as NAME=value.
	buildArgs []string
	// layer is the index of the layer the entry created, or -1.
	layer int
}

var (
	// builderMetadata matches what builders append to created_by: the
	// BuildKit marker and option suffixes such as "|force-mtime=10".
	builderMetadata = regexp.MustCompile(`(\s+#\s*buildkit|\s*\|[A-Za-z][\w.-]*=[^\s|]*)+\s*$`)
	// shellPrefix matches the shell a RUN line ran under, including the
	// options of a SHELL instruction such as ["/bin/bash", "-o", "pipefail", "-c"].
	shellPrefix    = regexp.MustCompile(`^(?:/usr)?/bin/(?:ba|da|a|z)?sh(?:\s+-o\s+\w+|\s+[-+][a-bd-zA-Z]+)*\s+-c\s+`)
	buildArgPrefix = regexp.MustCompile(`^\|(\d+)\s+`)
)

// readHistory parses the history and maps each entry to its layer when
// the count of layer-creating entries matches the layers.
func readHistory(cfg *v1.ConfigFile) []historyEntry {
	if cfg == nil {
		return nil
	}
	var out []historyEntry
	nonEmpty := 0
	for i, h := range cfg.History {
		e := parseCreatedBy(h.CreatedBy)
		e.index = i
		e.layer = -1
		if !h.EmptyLayer {
			e.layer = nonEmpty
			nonEmpty++
		}
		out = append(out, e)
	}
	if nonEmpty != len(cfg.RootFS.DiffIDs) {
		for i := range out {
			out[i].layer = -1
		}
	}
	return out
}

// parseCreatedBy splits one created_by line. Classic builders write
// "/bin/sh -c #(nop) CMD [...]" for metadata and "/bin/sh -c CMD" for
// RUN; BuildKit writes the instruction itself, with build arguments as
// "RUN |2 A=1 B=2 /bin/sh -c ...".
func parseCreatedBy(s string) historyEntry {
	s = strings.TrimSpace(builderMetadata.ReplaceAllString(strings.TrimSpace(s), ""))
	e := historyEntry{}
	if rest, ok := strings.CutPrefix(s, "RUN "); ok {
		e.instruction = "RUN"
		s = strings.TrimSpace(rest)
	}
	if m := buildArgPrefix.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		s = s[len(m[0]):]
		for range n {
			tok, rest, _ := strings.Cut(s, " ")
			if !strings.Contains(tok, "=") {
				break
			}
			e.buildArgs = append(e.buildArgs, tok)
			s = strings.TrimLeft(rest, " ")
		}
		e.instruction = "RUN"
	}
	if loc := shellPrefix.FindStringIndex(s); loc != nil {
		body := strings.TrimSpace(s[loc[1]:])
		if nop, ok := strings.CutPrefix(body, "#(nop)"); ok {
			s = strings.TrimSpace(nop)
		} else {
			e.instruction = "RUN"
			e.args = body
			return e
		}
	}
	if e.instruction == "RUN" {
		e.args = s
		return e
	}
	word, rest, _ := strings.Cut(s, " ")
	if isInstruction(word) {
		e.instruction = strings.ToUpper(word)
		e.args = strings.TrimSpace(rest)
		return e
	}
	e.args = s
	return e
}

func isInstruction(w string) bool {
	switch strings.ToUpper(w) {
	case "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
		"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR":
		return true
	}
	return false
}

// describe names a history entry in messages without quoting its text,
// which may hold the secret being reported.
func (h historyEntry) describe() string {
	if h.instruction == "" {
		return "history entry " + strconv.Itoa(h.index)
	}
	return "history entry " + strconv.Itoa(h.index) + " (" + h.instruction + ")"
}
