package profile

import (
	"runtime"
	"sync"

	"github.com/dockward/dockward/internal/syscalls"
)

// x32SyscallBit marks x32 syscall numbers, which the kernel reports with the
// x86_64 audit architecture (__X32_SYSCALL_BIT in asm/unistd.h).
const x32SyscallBit = 0x40000000

// auditArches maps the AUDIT_ARCH_* values of linux/audit.h, which
// PTRACE_GET_SYSCALL_INFO reports for each stop, to seccomp architectures.
var auditArches = map[uint32]string{
	0xc000003e: "SCMP_ARCH_X86_64",
	0x40000003: "SCMP_ARCH_X86",
	0xc00000b7: "SCMP_ARCH_AARCH64",
	0x40000028: "SCMP_ARCH_ARM",
	0xc0000015: "SCMP_ARCH_PPC64LE",
	0x80000015: "SCMP_ARCH_PPC64",
	0x00000014: "SCMP_ARCH_PPC",
	0x80000016: "SCMP_ARCH_S390X",
	0x00000016: "SCMP_ARCH_S390",
	0xc00000f3: "SCMP_ARCH_RISCV64",
	0xc0000102: "SCMP_ARCH_LOONGARCH64",
	0x00000008: "SCMP_ARCH_MIPS",
	0x40000008: "SCMP_ARCH_MIPSEL",
	0x80000008: "SCMP_ARCH_MIPS64",
	0xc0000008: "SCMP_ARCH_MIPSEL64",
	0xa0000008: "SCMP_ARCH_MIPS64N32",
	0xe0000008: "SCMP_ARCH_MIPSEL64N32",
	0x0000000f: "SCMP_ARCH_PARISC",
	0x8000000f: "SCMP_ARCH_PARISC64",
}

// archOf returns the seccomp architecture of a syscall stop and the syscall
// number within that architecture's table. x32 calls arrive with the x86_64
// audit architecture and x32SyscallBit set in the number. The table lists
// x32 numbers with the bit, so the number stays as it is.
func archOf(audit uint32, nr uint64) (string, bool) {
	arch, ok := auditArches[audit]
	if !ok {
		return "", false
	}
	if arch == "SCMP_ARCH_X86_64" && nr&x32SyscallBit != 0 {
		return "SCMP_ARCH_X32", true
	}
	return arch, true
}

var (
	namesOnce sync.Once
	names     map[string]map[int]string
)

// syscallName returns the name of syscall nr on arch from the generated
// syscall table.
func syscallName(arch string, nr int) (string, bool) {
	namesOnce.Do(func() {
		names = map[string]map[int]string{}
		for _, a := range syscalls.Arches() {
			m := map[int]string{}
			for _, e := range syscalls.Table(a) {
				// Some numbers have two names in x/sys, such as
				// arch_specific_syscall next to a real syscall. Keep the
				// name that libseccomp resolves, because profiles use it.
				if old, ok := m[e.Number]; ok && knownToLibseccomp(a, old) {
					continue
				}
				m[e.Number] = e.Name
			}
			names[string(a)] = m
		}
	})
	name, ok := names[arch][nr]
	return name, ok
}

func knownToLibseccomp(arch syscalls.Arch, name string) bool {
	e, ok := syscalls.Lookup(arch, name)
	return ok && e.Sources&syscalls.FromLibseccomp != 0
}

// nativeArch returns the seccomp architecture of the running kernel's
// native ABI, for the execve that starts a traced program.
func nativeArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "SCMP_ARCH_X86_64"
	case "386":
		return "SCMP_ARCH_X86"
	case "arm64":
		return "SCMP_ARCH_AARCH64"
	case "arm":
		return "SCMP_ARCH_ARM"
	case "ppc64le":
		return "SCMP_ARCH_PPC64LE"
	case "s390x":
		return "SCMP_ARCH_S390X"
	case "riscv64":
		return "SCMP_ARCH_RISCV64"
	case "loong64":
		return "SCMP_ARCH_LOONGARCH64"
	}
	return "SCMP_ARCH_NATIVE"
}
