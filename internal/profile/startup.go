package profile

import (
	"maps"
	"slices"

	rulesseccomp "github.com/dockward/dockward/internal/rules/seccomp"
)

// goRuntimeCalls are syscalls that the Go runtime inside runc's init
// process makes whenever a signal, a timer or the scheduler needs it, so
// any of them can fall between the filter's installation and the exec of
// the workload. Denying them makes runc hang or fail at random (measured on
// runc 1.1.5; TestStartupSyscallsIntegration repeats the measurement).
var goRuntimeCalls = []string{
	"epoll_ctl", "epoll_pwait", "exit", "exit_group", "fcntl", "futex", "getpid",
	"gettid", "madvise", "mmap", "munmap", "nanosleep", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill",
}

// StartupSyscalls returns the syscalls that a generated profile allows on
// top of the trace, so the runtime can execute the workload. They are the
// list that the seccomp lint rule SC003 requires, with every alternative,
// and the calls of runc's Go runtime. No single removal shows those to be
// required, but runc needs them together.
func StartupSyscalls() []string {
	set := map[string]bool{}
	for _, alternatives := range rulesseccomp.RequiredSyscalls() {
		for _, n := range alternatives {
			set[n] = true
		}
	}
	for _, n := range goRuntimeCalls {
		set[n] = true
	}
	return slices.Sorted(maps.Keys(set))
}
