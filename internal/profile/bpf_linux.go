package profile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"unsafe"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/dockward/dockward/internal/syscalls"
)

// Classic BPF opcodes used by seccomp filters (linux/filter.h).
const (
	bpfLdAbsW = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
	bpfJeqK   = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
	bpfJgtK   = unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K
	bpfJgeK   = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
	bpfJsetK  = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
	bpfJa     = unix.BPF_JMP | unix.BPF_JA
	bpfAndK   = unix.BPF_ALU | unix.BPF_AND | unix.BPF_K
	bpfRetK   = unix.BPF_RET | unix.BPF_K
)

// Offsets in struct seccomp_data on a little-endian machine.
const (
	offNr   = 0
	offArch = 4
	offArgs = 16
)

// seccompArchValues maps the seccomp architectures this compiler supports
// to their AUDIT_ARCH_* values. x32 shares x86_64's value.
var seccompArchValues = map[string]uint32{
	"SCMP_ARCH_X86_64":  0xc000003e,
	"SCMP_ARCH_X86":     0x40000003,
	"SCMP_ARCH_X32":     0xc000003e,
	"SCMP_ARCH_AARCH64": 0xc00000b7,
	"SCMP_ARCH_ARM":     0x40000028,
}

// insn is a BPF instruction whose jump targets may still be labels.
type insn struct {
	unix.SockFilter
	jt, jf, ja string // labels, resolved by assemble
	label      string // label of this instruction
}

type assembler struct {
	prog []insn
	n    int
}

func (a *assembler) emit(i insn) { a.prog = append(a.prog, i) }

func (a *assembler) newLabel() string {
	a.n++
	return fmt.Sprintf("L%d", a.n)
}

// mark attaches label to the next instruction.
func (a *assembler) mark(label string) {
	a.prog = append(a.prog, insn{label: label, SockFilter: unix.SockFilter{Code: 0xffff}})
}

func (a *assembler) load(off uint32) {
	a.emit(insn{SockFilter: unix.SockFilter{Code: bpfLdAbsW, K: off}})
}

func (a *assembler) jump(code uint16, k uint32, jt, jf string) {
	a.emit(insn{SockFilter: unix.SockFilter{Code: code, K: k}, jt: jt, jf: jf})
}

func (a *assembler) ret(k uint32) {
	a.emit(insn{SockFilter: unix.SockFilter{Code: bpfRetK, K: k}})
}

// assemble resolves labels. An empty label means the next instruction.
func (a *assembler) assemble() ([]unix.SockFilter, error) {
	pos := map[string]int{}
	var out []insn
	for _, i := range a.prog {
		if i.Code == 0xffff {
			pos[i.label] = len(out)
			continue
		}
		out = append(out, i)
	}
	prog := make([]unix.SockFilter, len(out))
	for n, i := range out {
		target := func(label string) (int, error) {
			if label == "" {
				return 0, nil
			}
			p, ok := pos[label]
			if !ok {
				return 0, fmt.Errorf("undefined label %s", label)
			}
			return p - n - 1, nil
		}
		f := i.SockFilter
		if i.Code == bpfJa {
			off, err := target(i.ja)
			if err != nil {
				return nil, err
			}
			f.K = uint32(off)
		} else if i.Code&0x07 == unix.BPF_JMP {
			jt, err := target(i.jt)
			if err != nil {
				return nil, err
			}
			jf, err := target(i.jf)
			if err != nil {
				return nil, err
			}
			if jt > 255 || jf > 255 {
				return nil, errors.New("seccomp filter too large: a conditional jump exceeds 255 instructions")
			}
			f.Jt, f.Jf = uint8(jt), uint8(jf)
		}
		prog[n] = f
	}
	if len(prog) > 4096 {
		return nil, fmt.Errorf("seccomp filter has %d instructions; the kernel accepts 4096", len(prog))
	}
	return prog, nil
}

// actionValue returns the SECCOMP_RET_* value of an action, with EPERM for
// an errno action without errnoRet, as Docker Engine 20.10 installs it.
func actionValue(action specs.LinuxSeccompAction, errnoRet *uint) (uint32, error) {
	switch action {
	case specs.ActAllow:
		return unix.SECCOMP_RET_ALLOW, nil
	case specs.ActLog:
		return unix.SECCOMP_RET_LOG, nil
	case specs.ActErrno:
		errno := uint32(unix.EPERM)
		if errnoRet != nil {
			errno = uint32(*errnoRet)
		}
		return unix.SECCOMP_RET_ERRNO | errno&unix.SECCOMP_RET_DATA, nil
	case specs.ActTrace:
		return unix.SECCOMP_RET_TRACE, nil
	case specs.ActTrap:
		return unix.SECCOMP_RET_TRAP, nil
	case specs.ActKill, specs.ActKillThread:
		return unix.SECCOMP_RET_KILL_THREAD, nil
	case specs.ActKillProcess:
		return unix.SECCOMP_RET_KILL_PROCESS, nil
	}
	return 0, fmt.Errorf("unsupported seccomp action %q", action)
}

// jumpFar emits a conditional jump whose true branch reaches target at any
// distance: the true branch falls through to an unconditional jump, and the
// false branch skips it.
func (a *assembler) jumpFar(code uint16, k uint32, target string) {
	skip := a.newLabel()
	a.jump(code, k, "", skip)
	a.emit(insn{SockFilter: unix.SockFilter{Code: bpfJa}, ja: target})
	a.mark(skip)
}

// Compile turns the resolved filter into a classic BPF program for
// seccomp(2), for the architectures of the running machine that the
// profile lists. Syscall names unknown on an architecture are skipped, as
// runtimes do. Calls of unlisted architectures kill the thread.
func (f *Filter) Compile() ([]unix.SockFilter, error) {
	a := &assembler{}
	a.load(offArch)

	type archBody struct{ arch, label string }
	var bodies []archBody
	seen := map[uint32]bool{}
	for _, arch := range f.arches {
		value, ok := seccompArchValues[arch]
		if !ok || arch == "SCMP_ARCH_X32" || seen[value] {
			continue
		}
		seen[value] = true
		body := a.newLabel()
		a.jumpFar(bpfJeqK, value, body)
		bodies = append(bodies, archBody{arch, body})
	}
	a.ret(unix.SECCOMP_RET_KILL_THREAD)

	for _, b := range bodies {
		a.mark(b.label)
		a.load(offNr)
		if b.arch != "SCMP_ARCH_X86_64" {
			if err := f.compileArch(a, b.arch); err != nil {
				return nil, err
			}
			continue
		}
		x32 := a.newLabel()
		a.jumpFar(bpfJsetK, x32SyscallBit, x32)
		if err := f.compileArch(a, "SCMP_ARCH_X86_64"); err != nil {
			return nil, err
		}
		a.mark(x32)
		if !slices.Contains(f.arches, "SCMP_ARCH_X32") {
			a.ret(unix.SECCOMP_RET_KILL_THREAD)
			continue
		}
		if err := f.compileArch(a, "SCMP_ARCH_X32"); err != nil {
			return nil, err
		}
	}
	return a.assemble()
}

// compileArch emits the checks of one architecture, with the syscall number
// in the accumulator, ending in the default action.
func (f *Filter) compileArch(a *assembler, arch string) error {
	defaultValue, err := actionValue(f.spec.DefaultAction, nil)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(f.byName))
	for n := range f.byName {
		names = append(names, n)
	}
	slices.Sort(names)

	for _, name := range names {
		e, ok := syscalls.Lookup(syscalls.Arch(arch), name)
		if !ok {
			continue
		}
		next := a.newLabel()
		a.jump(bpfJeqK, uint32(e.Number), "", next)
		if err := f.compileRules(a, f.byName[name], defaultValue); err != nil {
			return fmt.Errorf("syscall %s: %w", name, err)
		}
		a.mark(next)
		// The rules loaded arguments, so reload the number for the next check.
		a.load(offNr)
	}
	a.ret(defaultValue)
	return nil
}

// compileRules emits the rules of one syscall, most restrictive first, so
// the first rule that matches decides, as Decide does.
func (f *Filter) compileRules(a *assembler, rules []specs.LinuxSyscall, defaultValue uint32) error {
	ordered := slices.Clone(rules)
	slices.SortStableFunc(ordered, func(x, y specs.LinuxSyscall) int {
		return actionRank[y.Action] - actionRank[x.Action]
	})
	for _, rule := range ordered {
		value, err := actionValue(rule.Action, rule.ErrnoRet)
		if err != nil {
			return err
		}
		if len(rule.Args) == 0 {
			a.ret(value)
			return nil
		}
		match, fail := a.newLabel(), a.newLabel()
		compileConditions(a, rule.Args, match, fail)
		a.mark(match)
		a.ret(value)
		a.mark(fail)
	}
	a.ret(defaultValue)
	return nil
}

// compileConditions emits argument checks that jump to match or fail,
// combined as runc 1.1 installs them (see argsMatch).
func compileConditions(a *assembler, conds []specs.LinuxSeccompArg, match, fail string) {
	perIndex := map[uint]int{}
	separate := false
	for _, c := range conds {
		perIndex[c.Index]++
		separate = separate || perIndex[c.Index] > 1
	}
	for i, c := range conds {
		last := i == len(conds)-1
		next := a.newLabel()
		switch {
		case separate && last:
			compileCondition(a, c, match, fail)
		case separate:
			compileCondition(a, c, match, next)
		case last:
			compileCondition(a, c, match, fail)
		default:
			compileCondition(a, c, next, fail)
		}
		a.mark(next)
	}
}

// compileCondition compares one 64-bit argument, as two 32-bit halves.
func compileCondition(a *assembler, c specs.LinuxSeccompArg, match, fail string) {
	lo := uint32(offArgs + 8*c.Index)
	hi := lo + 4
	vlo, vhi := uint32(c.Value), uint32(c.Value>>32)
	switch c.Op {
	case specs.OpEqualTo, specs.OpNotEqual:
		yes, no := match, fail
		if c.Op == specs.OpNotEqual {
			yes, no = fail, match
		}
		a.load(hi)
		a.jump(bpfJeqK, vhi, "", no)
		a.load(lo)
		a.jump(bpfJeqK, vlo, yes, no)
	case specs.OpGreaterThan, specs.OpLessEqual, specs.OpGreaterEqual, specs.OpLessThan:
		yes, no := match, fail
		if c.Op == specs.OpLessEqual || c.Op == specs.OpLessThan {
			yes, no = fail, match
		}
		code := uint16(bpfJgtK)
		if c.Op == specs.OpGreaterEqual || c.Op == specs.OpLessThan {
			code = bpfJgeK
		}
		a.load(hi)
		a.jump(bpfJgtK, vhi, yes, "")
		a.jump(bpfJeqK, vhi, "", no)
		a.load(lo)
		a.jump(code, vlo, yes, no)
	case specs.OpMaskedEqual:
		mlo, mhi := uint32(c.Value), uint32(c.Value>>32)
		wlo, whi := uint32(c.ValueTwo), uint32(c.ValueTwo>>32)
		a.load(hi)
		a.emit(insn{SockFilter: unix.SockFilter{Code: bpfAndK, K: mhi}})
		a.jump(bpfJeqK, whi, "", fail)
		a.load(lo)
		a.emit(insn{SockFilter: unix.SockFilter{Code: bpfAndK, K: mlo}})
		a.jump(bpfJeqK, wlo, match, fail)
	default:
		a.emit(insn{SockFilter: unix.SockFilter{Code: bpfJa}, ja: fail})
	}
}

// InstallAndExec installs the compiled filter with no_new_privs on every
// thread of this process, then executes argv[0] with argv and env. It
// returns only on failure.
func InstallAndExec(prog []unix.SockFilter, argv, env []string) error {
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("setting no_new_privs: %w", err)
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return fmt.Errorf("installing seccomp filter: %w", errno)
	}
	return unix.Exec(argv[0], argv, env)
}

// ExecWithFilterFile installs the program that WriteProgram wrote to path
// and executes argv like InstallAndExec. It returns only on failure.
func ExecWithFilterFile(path string, argv, env []string) error {
	prog, err := ReadProgram(path)
	if err != nil {
		return err
	}
	return InstallAndExec(prog, argv, env)
}

// WriteProgram and ReadProgram pass a compiled filter to the helper process
// that installs it.
func WriteProgram(path string, prog []unix.SockFilter) error {
	buf := make([]byte, 0, 8*len(prog))
	for _, f := range prog {
		buf = binary.NativeEndian.AppendUint16(buf, f.Code)
		buf = append(buf, f.Jt, f.Jf)
		buf = binary.NativeEndian.AppendUint32(buf, f.K)
	}
	return os.WriteFile(path, buf, 0o600)
}

// ReadProgram reads a filter written by WriteProgram.
func ReadProgram(path string) ([]unix.SockFilter, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(buf) == 0 || len(buf)%8 != 0 {
		return nil, fmt.Errorf("invalid seccomp program %q: size %d is not a positive multiple of 8", path, len(buf))
	}
	prog := make([]unix.SockFilter, len(buf)/8)
	for i := range prog {
		b := buf[8*i:]
		prog[i] = unix.SockFilter{Code: binary.NativeEndian.Uint16(b), Jt: b[2], Jf: b[3],
			K: binary.NativeEndian.Uint32(b[4:])}
	}
	return prog, nil
}
