package dockerfile

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

// modeChange is the effect of a chmod mode argument, as far as the rules need it.
type modeChange struct {
	text            string
	otherWrite      bool // grants write to others
	sticky          bool // sets the sticky bit
	setID           bool // sets setuid or setgid
	stripsOwnerExec bool // leaves the owner without execute (and not X)
}

// parseMode reads an octal or symbolic chmod mode. ok is false for modes
// that need expansion or are not modes.
func parseMode(mode string) (modeChange, bool) {
	m := modeChange{text: mode}
	if mode == "" || strings.Contains(mode, "$") {
		return m, false
	}
	if n, err := strconv.ParseUint(mode, 8, 32); err == nil {
		m.otherWrite = n&0o002 != 0
		m.sticky = n&0o1000 != 0
		m.setID = n&0o6000 != 0
		m.stripsOwnerExec = n&0o100 == 0
		return m, true
	}
	valid := false
	for _, clause := range strings.Split(mode, ",") {
		who, rest := splitWho(clause)
		for len(rest) > 0 {
			op := rest[0]
			if op != '+' && op != '-' && op != '=' {
				return m, valid
			}
			perms := rest[1:]
			if i := strings.IndexAny(perms, "+-="); i >= 0 {
				perms, rest = perms[:i], perms[i:]
			} else {
				rest = ""
			}
			valid = true
			applyClause(&m, who, op, perms)
		}
	}
	return m, valid
}

func splitWho(clause string) (string, string) {
	i := 0
	for i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0 {
		i++
	}
	return clause[:i], clause[i:]
}

func applyClause(m *modeChange, who string, op byte, perms string) {
	all := who == "" || strings.Contains(who, "a")
	others := strings.Contains(who, "o") || strings.Contains(who, "a")
	owner := all || strings.Contains(who, "u")
	grants := op == '+' || op == '='
	if grants && others && strings.Contains(perms, "w") {
		m.otherWrite = true
	}
	if grants && strings.Contains(perms, "t") {
		m.sticky = true
	}
	if grants && strings.Contains(perms, "s") && (all || strings.ContainsAny(who, "ug")) {
		m.setID = true
	}
	if owner && !strings.Contains(perms, "X") {
		if (op == '-' && strings.Contains(perms, "x")) || (op == '=' && !strings.Contains(perms, "x")) {
			m.stripsOwnerExec = true
		}
	}
}

// chmodCall is one chmod command with its mode and whether it recurses.
type chmodCall struct {
	cmd       *dockerfile.Command
	mode      modeChange
	recursive bool
	targets   []string
	// directories is true for mkdir and install -d, which create the
	// targets as directories.
	directories bool
}

// chmods returns the chmod commands of an instruction with a known mode,
// and the install and mkdir commands that set a mode with -m or --mode.
func chmods(in *dockerfile.Instruction) []chmodCall {
	var out []chmodCall
	for _, cmd := range runCommands(in) {
		if cmd.Name == "install" || cmd.Name == "mkdir" {
			if mode, ok := modeOption(cmd); ok {
				if m, ok := parseMode(mode); ok {
					dirs := cmd.Name == "mkdir" || cmd.HasFlag('d', "--directory")
					out = append(out, chmodCall{cmd: cmd, mode: m, targets: installTargets(cmd), directories: dirs})
				}
			}
			continue
		}
		if cmd.Name != "chmod" {
			continue
		}
		ops := operandsKeepingModes(cmd)
		if len(ops) == 0 {
			continue
		}
		m, ok := parseMode(ops[0])
		if !ok {
			continue
		}
		rec := cmd.HasFlag('R', "--recursive")
		out = append(out, chmodCall{cmd: cmd, mode: m, recursive: rec, targets: ops[1:]})
	}
	return out
}

// operandsKeepingModes returns chmod's operands; a symbolic mode such as
// "-x" or "-w" looks like an option but is the mode when no mode precedes it.
func operandsKeepingModes(cmd *dockerfile.Command) []string {
	var out []string
	for _, a := range cmd.Args {
		switch {
		case a == "-R" || a == "--recursive" || a == "-v" || a == "-f" || a == "-c" ||
			strings.HasPrefix(a, "--") || (len(out) == 0 && isShortFlagGroup(a)):
			continue
		}
		out = append(out, a)
	}
	return out
}

func isShortFlagGroup(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	for _, r := range a[1:] {
		if !strings.ContainsRune("Rvfc", r) {
			return false
		}
	}
	return true
}

// copyChmod returns the --chmod of a COPY or ADD instruction.
func copyChmod(in *dockerfile.Instruction) (string, []string, bool) {
	switch c := in.Command.(type) {
	case *instructions.CopyCommand:
		return c.Chmod, c.SourcePaths, c.Chmod != ""
	case *instructions.AddCommand:
		return c.Chmod, c.SourcePaths, c.Chmod != ""
	}
	return "", nil, false
}

// modeOption returns the value of -m MODE, -mMODE or --mode=MODE.
func modeOption(cmd *dockerfile.Command) (string, bool) {
	for i, a := range cmd.Args {
		switch {
		case (a == "-m" || a == "--mode") && i+1 < len(cmd.Args):
			return cmd.Args[i+1], true
		case strings.HasPrefix(a, "--mode="):
			return strings.TrimPrefix(a, "--mode="), true
		case strings.HasPrefix(a, "-m") && len(a) > 2:
			return a[2:], true
		}
	}
	return "", false
}

// installValueOptions are the options of install and mkdir that take a value.
var installValueOptions = map[string]bool{"-m": true, "--mode": true, "-o": true, "--owner": true,
	"-g": true, "--group": true, "-t": true, "--target-directory": true, "-S": true, "--suffix": true,
	"-Z": true, "--context": true}

// installTargets returns the operands of install or mkdir, skipping option
// values such as the owner after --owner.
func installTargets(cmd *dockerfile.Command) []string {
	var out []string
	for i := 0; i < len(cmd.Args); i++ {
		a := cmd.Args[i]
		switch {
		case installValueOptions[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}

// modeText names the command and mode as written: "chmod 777" or
// "mkdir -m 777".
func (ch chmodCall) modeText() string {
	if ch.cmd.Name == "chmod" {
		return "chmod " + ch.mode.text
	}
	return ch.cmd.Name + " -m " + ch.mode.text
}
