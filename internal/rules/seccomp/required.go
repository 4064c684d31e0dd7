package seccomp

// Measured names the runtimes whose needs the required list records.
const Measured = "runc 1.1.5 (Debian 1.1.5+ds1-1+deb12u1, libseccomp 2.5.4) under Docker Engine 20.10.24 " +
	"and crun 1.8.1 (Debian 1.8.1-1+deb12u1) run directly, each starting Debian's static busybox 1.35.0"

// need is a syscall that a container needs after the filter is installed:
// the runtime's own setup between installing the filter and executing the
// process, and the process's first steps. Any one of names is enough.
type need struct {
	names []string
	// by is the caller: the runtime or the process.
	by string
	// failure is the error Docker reported when the syscall was denied.
	failure string
	// crun is set when crun 1.8.1 needs the syscall too. Of the runtime's
	// own syscalls it needed only execve.
	crun bool
	// nnp is set when runc needs the syscall with no-new-privileges too.
	// runc then installs the filter just before execve instead of before
	// it drops capabilities and switches user, so it no longer needs the
	// syscalls of that setup (capset, setuid, chdir, ...).
	nnp bool
}

const (
	byRuntime = "runc"
	byProcess = "the process"
)

// required lists the syscalls an experiment on the real engine found
// necessary. Starting from Docker's default allow list, each syscall was
// removed in turn, and those without which `docker run busybox true` failed
// on every attempt were kept. When the runtime or libc works around a
// denial with another syscall, the two form a group.
// The same removals with --security-opt no-new-privileges set nnp.
// TestStartupSetIntegration and TestStartupSetNoNewPrivilegesIntegration
// repeat the measurement for each group.
var required = []need{
	{[]string{"arch_prctl"}, byProcess, "cannot set %fs base address for thread-local storage", true, true},
	{[]string{"capget"}, byRuntime, "unable to start container process: operation not permitted", false, false},
	{[]string{"capset"}, byRuntime, "unable to apply caps: operation not permitted", false, false},
	{[]string{"chdir"}, byRuntime, `chdir to cwd ("/") set in config.json failed`, false, false},
	{[]string{"close"}, byRuntime, "close log pipe fd 4: operation not permitted", false, true},
	{[]string{"execve"}, byRuntime, "exec /bin/true: operation not permitted", true, true},
	// With exit_group denied, the process still exits when exit is allowed.
	{[]string{"exit_group", "exit"}, byProcess, "the process is killed when it exits (status 139)", true, true},
	// runc, written in Go, falls back to faccessat when faccessat2 fails;
	// the experiment denied it with EPERM.
	{[]string{"faccessat2", "faccessat"}, byRuntime, "exec /bin/true: operation not permitted", false, false},
	{[]string{"fstat"}, byRuntime, "unable to setup user: fstat /dev/stdin: operation not permitted", false, false},
	{[]string{"fstatfs"}, byRuntime, "error closing exec fds: ensure /proc/self/fd is on procfs", false, true},
	{[]string{"futex"}, byRuntime, "futexwakeup returned -1", false, true},
	{[]string{"getcwd"}, byRuntime, "failed to verify if current working directory is safe", false, false},
	{[]string{"getdents64"}, byRuntime, "error closing exec fds: readdirent /proc/self/fd: operation not permitted", false, true},
	{[]string{"getppid"}, byRuntime, "unable to start container process: operation not permitted", false, false},
	// With mmap denied, glibc still sets up thread-local storage when brk
	// is allowed.
	{[]string{"mmap", "brk"}, byProcess, "Fatal glibc error: Cannot allocate TLS block", true, true},
	{[]string{"mprotect"}, byProcess, "cannot apply additional memory protection after relocation", true, true},
	{[]string{"newfstatat"}, byRuntime, "unable to setup user: stat /dev/null: operation not permitted", false, false},
	{[]string{"openat"}, byRuntime, "error closing exec fds: open /proc/self/fd: operation not permitted", false, true},
	{[]string{"prctl"}, byRuntime, "unable to apply bounding set: operation not permitted", false, false},
	{[]string{"read"}, byRuntime, "read /proc/self/status: operation not permitted", false, false},
	{[]string{"setgid"}, byRuntime, "unable to setup user: operation not permitted", false, false},
	{[]string{"setgroups"}, byRuntime, "unable to setup user: setgroups: operation not permitted", false, false},
	{[]string{"setuid"}, byRuntime, "unable to setup user: operation not permitted", false, false},
	{[]string{"write"}, byRuntime, "cannot start an already running container", false, true},
}

// RequiredSyscalls returns the syscalls a container needs after the
// filter is installed; each inner list holds alternatives.
func RequiredSyscalls() [][]string {
	out := make([][]string, len(required))
	for i, n := range required {
		out[i] = append([]string(nil), n.names...)
	}
	return out
}
