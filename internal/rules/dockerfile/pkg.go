package dockerfile

import (
	"strings"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

// subcommand returns the first operand of a package manager command, such
// as "install" for "apt-get -y install curl".
func subcommand(cmd *dockerfile.Command) string {
	skipValue := map[string]bool{"-o": true, "-c": true, "-t": true, "--repository": true,
		"-X": true, "-p": true, "--root": true, "--installroot": true}
	for i := 0; i < len(cmd.Args); i++ {
		a := cmd.Args[i]
		if skipValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		return a
	}
	return ""
}

// isAptGet reports whether a command is apt-get or apt.
func isAptGet(cmd *dockerfile.Command) bool { return cmd.Name == "apt-get" || cmd.Name == "apt" }

// installs returns the packages a command installs through apt, apk, yum,
// dnf, microdnf or zypper, or nil.
func installs(cmd *dockerfile.Command) []string {
	sub := subcommand(cmd)
	var ok bool
	switch cmd.Name {
	case "apt-get", "apt", "aptitude":
		ok = sub == "install"
	case "apk":
		ok = sub == "add"
	case "yum", "dnf", "microdnf", "tdnf":
		ok = sub == "install"
	case "zypper":
		ok = sub == "install" || sub == "in"
	}
	if !ok {
		return nil
	}
	var pkgs []string
	past := false
	for _, op := range cmd.Operands() {
		if !past {
			past = op == sub
			continue
		}
		name := op
		for _, sep := range []string{"=", ">", "<", "~"} {
			name, _, _ = strings.Cut(name, sep)
		}
		pkgs = append(pkgs, name)
	}
	return pkgs
}

// rmTargets returns the paths removed by rm commands of an instruction.
func rmTargets(in *dockerfile.Instruction) []string {
	var out []string
	for _, cmd := range runCommands(in) {
		if cmd.Name == "rm" {
			out = append(out, cmd.Operands()...)
		}
	}
	return out
}

// removes reports whether an instruction removes dir or a path under it.
func removes(in *dockerfile.Instruction, dir string) bool {
	for _, p := range rmTargets(in) {
		p = strings.TrimRight(strings.TrimSuffix(p, "*"), "/")
		if p == dir || strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}
