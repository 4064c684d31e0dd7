package profile

import (
	"fmt"
	"slices"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// DockerDefaultCaps are the capabilities Docker Engine 20.10 gives a
// container by default (oci/caps/defaults.go in moby), which decide the
// capability-conditional rules of a profile.
var DockerDefaultCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// Filter is a seccomp profile resolved for one container, the way the
// runtime installs it: conditional rules are decided for the host's
// architecture, kernel and the container's capabilities.
type Filter struct {
	spec   *specs.LinuxSeccomp
	arches []string
	byName map[string][]specs.LinuxSyscall
}

// NewFilter resolves a Docker seccomp profile for a container with the
// capabilities caps (DockerDefaultCaps when nil).
func NewFilter(profileJSON []byte, caps []string) (*Filter, error) {
	if caps == nil {
		caps = DockerDefaultCaps
	}
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{
		Bounding: caps, Effective: caps, Permitted: caps,
	}}}
	resolved, err := seccomp.LoadProfile(string(profileJSON), spec)
	if err != nil {
		return nil, fmt.Errorf("loading seccomp profile: %w", err)
	}
	if resolved == nil {
		return nil, fmt.Errorf("seccomp profile has no default action and no syscalls")
	}

	f := &Filter{spec: resolved, byName: map[string][]specs.LinuxSyscall{}}
	f.arches = append(f.arches, nativeArch())
	for _, a := range resolved.Architectures {
		f.arches = append(f.arches, string(a))
	}
	for _, rule := range resolved.Syscalls {
		for _, n := range rule.Names {
			f.byName[n] = append(f.byName[n], rule)
		}
	}
	return f, nil
}

// Decision is the outcome of one syscall under a filter.
type Decision struct {
	Action specs.LinuxSeccompAction
	// Errno is the errno name for SCMP_ACT_ERRNO, or the signal name for
	// actions that kill or trap.
	Errno string
}

// Allowed reports whether the call runs.
func (d Decision) Allowed() bool {
	return d.Action == specs.ActAllow || d.Action == specs.ActLog
}

// actionRank orders actions from least to most restrictive, as the kernel
// does when several filters return different actions.
var actionRank = map[specs.LinuxSeccompAction]int{
	specs.ActAllow: 0, specs.ActLog: 1, specs.ActTrace: 2, specs.ActNotify: 3,
	specs.ActErrno: 4, specs.ActTrap: 5, specs.ActKillThread: 6, specs.ActKill: 6,
	specs.ActKillProcess: 7,
}

// Decide returns what the filter does with syscall name, made on arch with
// args. A rule's argument conditions are evaluated as runc 1.1 installs
// them: all together, unless one argument has several conditions, when
// each condition is a rule of its own. When several rules match, the most
// restrictive action wins.
//
// Docker Engine 20.10 ignores defaultErrnoRet, so the default action's
// errno is reported as EPERM whatever value the profile sets.
func (f *Filter) Decide(arch, name string, args [6]uint64) Decision {
	if !slices.Contains(f.arches, arch) {
		// runc's bad-architecture action kills the thread.
		return Decision{Action: specs.ActKillThread, Errno: "SIGSYS"}
	}

	var best *Decision
	for _, rule := range f.byName[name] {
		if !argsMatch(rule.Args, args) {
			continue
		}
		d := decision(rule.Action, rule.ErrnoRet)
		if best == nil || actionRank[d.Action] > actionRank[best.Action] {
			best = &d
		}
	}
	if best != nil {
		return *best
	}
	return decision(f.spec.DefaultAction, nil)
}

func decision(action specs.LinuxSeccompAction, errnoRet *uint) Decision {
	d := Decision{Action: action}
	switch action {
	case specs.ActErrno:
		d.Errno = "EPERM"
		if errnoRet != nil {
			d.Errno = errnoName(*errnoRet)
		}
	case specs.ActTrace:
		d.Errno = "ENOSYS"
	case specs.ActKill, specs.ActKillThread, specs.ActKillProcess, specs.ActTrap:
		d.Errno = "SIGSYS"
	}
	return d
}

func argsMatch(conds []specs.LinuxSeccompArg, args [6]uint64) bool {
	if len(conds) == 0 {
		return true
	}
	perIndex := map[uint]int{}
	separate := false
	for _, c := range conds {
		perIndex[c.Index]++
		if perIndex[c.Index] > 1 {
			separate = true
		}
	}
	for _, c := range conds {
		ok := c.Index < 6 && argMatches(c, args[c.Index])
		if separate && ok {
			return true
		}
		if !separate && !ok {
			return false
		}
	}
	return !separate
}

func argMatches(c specs.LinuxSeccompArg, v uint64) bool {
	switch c.Op {
	case specs.OpNotEqual:
		return v != c.Value
	case specs.OpLessThan:
		return v < c.Value
	case specs.OpLessEqual:
		return v <= c.Value
	case specs.OpEqualTo:
		return v == c.Value
	case specs.OpGreaterEqual:
		return v >= c.Value
	case specs.OpGreaterThan:
		return v > c.Value
	case specs.OpMaskedEqual:
		return v&c.Value == c.ValueTwo
	}
	return false
}

// errnoNames names the errno values that profiles use in errnoRet.
var errnoNames = map[uint]string{
	1: "EPERM", 2: "ENOENT", 13: "EACCES", 22: "EINVAL", 38: "ENOSYS", 95: "EOPNOTSUPP",
}

func errnoName(n uint) string {
	if name, ok := errnoNames[n]; ok {
		return name
	}
	return fmt.Sprintf("errno %d", n)
}
