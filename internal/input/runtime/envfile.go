package runtime

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/docker/cli/pkg/kvfile"
)

// ErrOutsideTree is the error an env file reader returns for a path outside
// the scanned tree, which LoadEnvFiles does not read.
var ErrOutsideTree = errors.New("path is outside the scanned tree")

// unknownMark stands for a value taken from the caller's environment. It
// cannot occur in a file because it holds a NUL byte.
const unknownMark = "\x00unknown\x00"

// lookupUnknown returns unknownMark for every lookup, so a value that
// needs the caller's environment is unknown and never taken from
// dockward's own process.
func lookupUnknown(string) (string, bool) { return unknownMark, true }

// ParseEnvFile reads the variables of an env file in the given format.
// path is the name used in positions. Each variable points at the line
// that sets it; a name given without a value, or a value that needs the
// caller's environment, is unknown.
func ParseEnvFile(path string, data []byte, format EnvFileFormat) ([]EnvVar, error) {
	if format == EnvFileCompose {
		return parseComposeEnvFile(path, data)
	}
	return parseDockerEnvFile(path, data)
}

// parseDockerEnvFile parses with the docker CLI's own env file parser and
// pairs its entries with the lines that wrote them: the parser keeps one
// entry per line that is neither blank nor a comment.
func parseDockerEnvFile(path string, data []byte) ([]EnvVar, error) {
	entries, err := kvfile.ParseFromReader(bytes.NewReader(data), lookupUnknown)
	if err != nil {
		return nil, err
	}
	var lines []int
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimLeftFunc(strings.TrimPrefix(sc.Text(), "\uFEFF"), unicode.IsSpace)
		if line != "" && line[0] != '#' {
			lines = append(lines, n)
		}
	}
	if len(lines) != len(entries) {
		return nil, fmt.Errorf("env file has %d entries on %d lines", len(entries), len(lines))
	}
	out := make([]EnvVar, 0, len(entries))
	for i, kv := range entries {
		name, value, _ := strings.Cut(kv, "=")
		out = append(out, envFileVar(path, lines[i], name, value))
	}
	return out, nil
}

// parseComposeEnvFile parses compose's dotenv syntax with compose-go. Its
// parser returns no positions, so each variable points at the last line
// that starts with its name.
func parseComposeEnvFile(path string, data []byte) ([]EnvVar, error) {
	vars, err := dotenv.UnmarshalBytesWithLookup(data, lookupUnknown)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]EnvVar, 0, len(vars))
	for _, name := range names {
		out = append(out, envFileVar(path, lastKeyLine(data, name), name, vars[name]))
	}
	slices.SortStableFunc(out, func(a, b EnvVar) int { return a.Pos.Line - b.Pos.Line })
	return out, nil
}

func envFileVar(path string, line int, name, value string) EnvVar {
	e := EnvVar{Name: name, Pos: Pos{Path: path, Line: line, Column: 1}}
	if strings.Contains(value, unknownMark) {
		e.Unknown = true
		return e
	}
	e.Value, e.Literal = value, true
	return e
}

// lastKeyLine returns the last line that defines name, or 0.
func lastKeyLine(data []byte, name string) int {
	re := regexp.MustCompile(`(?m)^[ \t]*(export[ \t]+)?` + regexp.QuoteMeta(name) + `[ \t]*([=:]|$)`)
	locs := re.FindAllIndex(data, -1)
	if locs == nil {
		return 0
	}
	return 1 + bytes.Count(data[:locs[len(locs)-1][0]], []byte("\n"))
}

// EnvFileReader reads an env file named in a container definition and
// returns its content and the path to show in positions. It returns an
// error wrapping fs.ErrNotExist for a missing file and ErrOutsideTree for
// a path it does not read.
type EnvFileReader func(name string) (data []byte, display string, err error)

// LoadEnvFiles adds the variables of c's env files to c.Env, the way the
// docker CLI and compose merge them: a later file overrides an earlier
// one, and a variable set in the definition itself (-e, environment)
// overrides every file. A nil read means the files cannot be reached, as
// for standard input. Files that are not read become notes.
func LoadEnvFiles(c *Container, read EnvFileReader) {
	if len(c.EnvFiles) == 0 {
		return
	}
	explicit := make(map[string]bool, len(c.Env))
	for _, e := range c.Env {
		explicit[e.Name] = true
	}
	var fromFiles []EnvVar
	for _, f := range c.EnvFiles {
		vars, ok := readEnvFile(c, f, read)
		if !ok {
			continue
		}
		for _, v := range vars {
			if explicit[v.Name] {
				continue
			}
			fromFiles = slices.DeleteFunc(fromFiles, func(e EnvVar) bool { return e.Name == v.Name })
			fromFiles = append(fromFiles, v)
		}
	}
	c.Env = append(fromFiles, c.Env...)
}

func readEnvFile(c *Container, f EnvFile, read EnvFileReader) ([]EnvVar, bool) {
	// The env file may sit where several services of one compose file
	// share it through an anchor or extends, so each note names its user.
	note := func(pos Pos, format string, args ...any) {
		c.AddNote(pos, "%s%s", noteSubject(c), fmt.Sprintf(format, args...))
	}
	switch {
	case f.Unknown:
		note(f.Pos, "env file %s cannot be resolved, so its variables are not audited", f.Path)
		return nil, false
	case read == nil:
		note(f.Pos, "env file %s is not read because the input has no directory, "+
			"so its variables are not audited", f.Path)
		return nil, false
	}
	data, display, err := read(f.Path)
	switch {
	case errors.Is(err, ErrOutsideTree):
		note(f.Pos, "env file %s is outside the scanned tree and is not read, "+
			"so its variables are not audited", f.Path)
		return nil, false
	case errors.Is(err, fs.ErrNotExist) && !f.Required:
		return nil, false
	case errors.Is(err, fs.ErrNotExist):
		note(f.Pos, "env file %s does not exist, so the container cannot be started "+
			"as written", f.Path)
		return nil, false
	case err != nil:
		note(f.Pos, "env file %s cannot be read: %v", f.Path, err)
		return nil, false
	}
	vars, err := ParseEnvFile(display, data, f.Format)
	if err != nil {
		c.AddNote(f.Pos, "%sinvalid env file %s: %v", noteSubject(c), f.Path, err)
		return nil, false
	}
	return vars, true
}

// noteSubject names the container at the start of a note when its file
// defines several: a compose service or a Kubernetes container.
func noteSubject(c *Container) string {
	switch {
	case c.Name == "":
		return ""
	case c.Source == SourceCompose:
		return "service " + c.Name + ": "
	case c.Source == SourceKubernetes:
		return "container " + c.Name + ": "
	}
	return ""
}
