package profile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ptraceOptions follow every new process, thread and exec, and mark
// syscall stops so they differ from real SIGTRAPs. EXITKILL kills the
// tracees when the tracer dies, so no workload outlives a crashed trace.
const ptraceOptions = unix.PTRACE_O_TRACESYSGOOD | unix.PTRACE_O_TRACEFORK |
	unix.PTRACE_O_TRACEVFORK | unix.PTRACE_O_TRACECLONE | unix.PTRACE_O_TRACEEXEC |
	unix.PTRACE_O_EXITKILL

// syscallInfo is struct ptrace_syscall_info of linux/ptrace.h (Linux 5.3).
type syscallInfo struct {
	Op      uint8
	_       [3]uint8
	Arch    uint32
	IP      uint64
	SP      uint64
	Nr      uint64 // rval on exit
	Args    [6]uint64
	RetData uint32
	_       uint32
}

// exitRval and exitIsError read the exit view of the union.
func (s *syscallInfo) exitRval() int64   { return int64(s.Nr) }
func (s *syscallInfo) exitIsError() bool { return s.Args[0]&0xff != 0 }

func getSyscallInfo(pid int, info *syscallInfo) error {
	_, _, errno := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_GET_SYSCALL_INFO,
		uintptr(pid), unsafe.Sizeof(*info), uintptr(unsafe.Pointer(info)), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// pendingCall is a syscall between its entry and exit stop.
type pendingCall struct {
	arch  string
	name  string
	args  [6]uint64
	path  string
	path2 string
	// mapped is the file that an executable mmap maps.
	mapped string
}

// task is one traced thread.
type task struct {
	// started is set once the initial stop of an auto-attached task was seen.
	started bool
	call    *pendingCall
	// filtered is set once a seccomp filter applies to the task, and
	// execed once it executed a program after that (verification only).
	filtered bool
	execed   bool
}

// syscallHook lets Verify observe calls; it returns nothing and must not
// resume the task.
type syscallHook interface {
	entry(tid int, tk *task, call *pendingCall)
	exit(tid int, tk *task, call *pendingCall, rval int64, isError bool)
	killed(tid int, tk *task, sig unix.Signal)
}

// tracer runs the ptrace loop. All ptrace calls happen on one locked OS thread.
type tracer struct {
	trace *Trace
	rec   *recorder
	tasks map[int]*task
	root  int
	hook  syscallHook

	mu   sync.Mutex
	live map[int]bool
}

func newTracer(t *Trace) *tracer {
	return &tracer{trace: t, rec: newRecorder(), tasks: map[int]*task{}, live: map[int]bool{}}
}

// Options configures Run.
type Options struct {
	// Command is the program and its arguments. A program without a slash
	// is looked up in PATH.
	Command []string
	Env     []string
	Dir     string
	// Stdin, Stdout and Stderr default to the null device.
	Stdin, Stdout, Stderr *os.File
}

// Run runs opts.Command under ptrace until every traced process has ended
// or ctx is done, when the tracees are killed and Trace.TimedOut is set.
func Run(ctx context.Context, opts Options) (*Trace, error) {
	return runHooked(ctx, opts, nil)
}

func runHooked(ctx context.Context, opts Options, hook syscallHook) (*Trace, error) {
	if len(opts.Command) == 0 {
		return nil, errors.New("no command to trace")
	}
	path := opts.Command[0]
	if filepath.Base(path) == path {
		lp, err := lookPath(path, opts.Env)
		if err != nil {
			return nil, err
		}
		path = lp
	}

	// The thread that starts the tracee is its tracer: every later ptrace
	// call must come from it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	attr, err := procAttr(opts)
	if err != nil {
		return nil, err
	}
	proc, err := os.StartProcess(path, opts.Command, attr)
	if err != nil {
		return nil, fmt.Errorf("starting %q: %w", opts.Command[0], err)
	}
	defer proc.Release()

	t := NewTrace(opts.Command)
	tr := newTracer(t)
	tr.root = proc.Pid
	tr.hook = hook
	if v, ok := hook.(interface{ setTracer(*tracer) }); ok {
		v.setTracer(tr)
	}
	if err := tr.startRoot(proc.Pid); err != nil {
		proc.Kill()
		return nil, err
	}
	err = tr.loop(ctx)
	tr.rec.finish(t)
	return t, err
}

func lookPath(name string, env []string) (string, error) {
	pathEnv := os.Getenv("PATH")
	for _, kv := range env {
		if len(kv) > 5 && kv[:5] == "PATH=" {
			pathEnv = kv[5:]
		}
	}
	for _, dir := range filepath.SplitList(pathEnv) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("command %q not found in PATH", name)
}

func procAttr(opts Options) (*os.ProcAttr, error) {
	files := []*os.File{opts.Stdin, opts.Stdout, opts.Stderr}
	for i, f := range files {
		if f != nil {
			continue
		}
		flag := os.O_WRONLY
		if i == 0 {
			flag = os.O_RDONLY
		}
		null, err := os.OpenFile(os.DevNull, flag, 0)
		if err != nil {
			return nil, err
		}
		files[i] = null
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	return &os.ProcAttr{
		Dir:   opts.Dir,
		Env:   env,
		Files: files,
		Sys:   &unix.SysProcAttr{Ptrace: true, Setpgid: true},
	}, nil
}

// startRoot handles the first stop of a process started with PTRACE_TRACEME,
// which is the SIGTRAP after its execve.
func (tr *tracer) startRoot(pid int) error {
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil {
		return fmt.Errorf("waiting for traced process: %w", err)
	}
	if !ws.Stopped() {
		return fmt.Errorf("traced process ended before it started: %v", ws)
	}
	if err := unix.PtraceSetOptions(pid, ptraceOptions); err != nil {
		return fmt.Errorf("setting ptrace options: %w", err)
	}
	tr.addTask(pid).started = true

	// The execve that started the program ran before tracing did.
	tr.trace.AddSyscall(nativeArch(), "execve")
	tr.recordExec(pid, "")
	return tr.resume(pid, 0)
}

// attach seizes the running tasks tids, which may be frozen, and traces them
// and their descendants like Run. hook observes every call; afterSeize runs
// once every task is seized, for example to thaw them.
func attach(ctx context.Context, t *Trace, tids []int, hook syscallHook, afterSeize func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	tr := newTracer(t)
	tr.hook = hook
	if v, ok := hook.(interface{ setTracer(*tracer) }); ok {
		v.setTracer(tr)
	}
	for i, pid := range tids {
		// PTRACE_SETOPTIONS needs a stopped tracee, so the options go
		// with PTRACE_SEIZE.
		_, _, errno := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_SEIZE, uintptr(pid), 0,
			ptraceOptions, 0, 0)
		if errno != 0 {
			return fmt.Errorf("attaching to process %d: %w", pid, errno)
		}
		// A seized task runs on; interrupt it to start syscall tracing.
		if err := ptraceInterrupt(pid); err != nil {
			return fmt.Errorf("interrupting process %d: %w", pid, err)
		}
		tr.addTask(pid)
		if i == 0 {
			tr.root = pid
		}
	}
	if afterSeize != nil {
		if err := afterSeize(); err != nil {
			tr.killAll()
			return err
		}
	}
	err := tr.loop(ctx)
	tr.rec.finish(t)
	return err
}

func ptraceInterrupt(pid int) error {
	_, _, errno := unix.Syscall6(unix.SYS_PTRACE, unix.PTRACE_INTERRUPT, uintptr(pid), 0, 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

func (tr *tracer) addTask(tid int) *task {
	tk := tr.tasks[tid]
	if tk == nil {
		tk = &task{}
		tr.tasks[tid] = tk
		tr.trace.Processes++
		tr.mu.Lock()
		tr.live[tid] = true
		tr.mu.Unlock()
	}
	return tk
}

func (tr *tracer) removeTask(tid int) {
	delete(tr.tasks, tid)
	tr.mu.Lock()
	delete(tr.live, tid)
	tr.mu.Unlock()
}

// killAll sends SIGKILL to every traced task; it may run on any goroutine.
func (tr *tracer) killAll() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for tid := range tr.live {
		unix.Kill(tid, unix.SIGKILL)
	}
}

func (tr *tracer) resume(tid int, sig unix.Signal) error {
	err := unix.PtraceSyscall(tid, int(sig))
	if errors.Is(err, unix.ESRCH) {
		// The task was killed while stopped; its exit is reported by wait.
		return nil
	}
	return err
}

// loop waits for stops of every tracee and handles them until none is left.
func (tr *tracer) loop(ctx context.Context) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			tr.killAll()
		case <-done:
		}
	}()

	for len(tr.tasks) > 0 {
		var ws unix.WaitStatus
		// WNOTHREAD waits only for tracees and children of this thread, so
		// a docker client started from another goroutine is not reaped here.
		tid, err := unix.Wait4(-1, &ws, unix.WALL|unix.WNOTHREAD, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.ECHILD) {
			break
		}
		if err != nil {
			return fmt.Errorf("waiting for traced processes: %w", err)
		}
		if err := tr.handle(tid, ws); err != nil {
			tr.killAll()
			return err
		}
	}
	if ctx.Err() != nil {
		tr.trace.TimedOut = true
	}
	return nil
}

func (tr *tracer) handle(tid int, ws unix.WaitStatus) error {
	switch {
	case ws.Exited(), ws.Signaled():
		tk := tr.tasks[tid]
		if ws.Signaled() && tk != nil && tr.hook != nil {
			tr.hook.killed(tid, tk, ws.Signal())
		}
		if tid == tr.root {
			tr.trace.ExitCode = ws.ExitStatus()
			if ws.Signaled() {
				tr.trace.ExitCode = -1
				tr.trace.Signal = unix.SignalName(ws.Signal())
			}
		}
		tr.removeTask(tid)
		return nil
	case !ws.Stopped():
		return nil
	}

	tk := tr.tasks[tid]
	if tk == nil {
		// A new child can stop before its parent reports the fork event.
		tk = tr.addTask(tid)
	}
	sig := ws.StopSignal()
	switch {
	case sig == unix.SIGTRAP|0x80:
		tk.started = true
		tr.syscallStop(tid, tk)
		return tr.resume(tid, 0)
	case sig == unix.SIGTRAP && ws.TrapCause() > 0:
		tk.started = true
		tr.event(tid, ws.TrapCause())
		return tr.resume(tid, 0)
	case !tk.started && (sig == unix.SIGSTOP || ws.TrapCause() == unix.PTRACE_EVENT_STOP):
		tk.started = true
		return tr.resume(tid, 0)
	case ws.TrapCause() == unix.PTRACE_EVENT_STOP:
		// A group-stop of a seized task: resume it without the signal.
		return tr.resume(tid, 0)
	default:
		return tr.resume(tid, sig)
	}
}

func (tr *tracer) event(tid int, cause int) {
	switch cause {
	case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK, unix.PTRACE_EVENT_CLONE:
		msg, err := unix.PtraceGetEventMsg(tid)
		if err == nil {
			child := tr.addTask(int(msg))
			if parent := tr.tasks[tid]; parent != nil {
				child.filtered = child.filtered || parent.filtered
				child.execed = child.execed || parent.execed
			}
		}
	case unix.PTRACE_EVENT_EXEC:
		// A multi-threaded exec takes over the leader's thread ID; the event
		// message is the ID the exec'ing thread had before.
		if msg, err := unix.PtraceGetEventMsg(tid); err == nil && int(msg) != tid {
			if old := tr.tasks[int(msg)]; old != nil {
				tr.removeTask(int(msg))
				tr.addTask(tid)
				tr.tasks[tid] = old
			}
		}
		script := ""
		if tk := tr.tasks[tid]; tk != nil && tk.call != nil {
			script = tk.call.path
		}
		tr.recordExec(tid, script)
	}
}

// recordExec records the binary that tid now runs, and the script path the
// execve named when it differs, as with a #! interpreter.
func (tr *tracer) recordExec(tid int, requested string) {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(tid) + "/exe")
	if err == nil {
		tr.rec.executed[exe] = true
		tr.rec.file(exe, "rx", false)
	}
	if requested != "" && requested != exe {
		tr.rec.executed[requested] = true
		tr.rec.file(requested, "rx", false)
	}
}

func (tr *tracer) syscallStop(tid int, tk *task) {
	var info syscallInfo
	if err := getSyscallInfo(tid, &info); err != nil {
		return
	}
	switch info.Op {
	case unix.PTRACE_SYSCALL_INFO_ENTRY:
		tk.call = tr.entry(tid, &info)
		if tk.call != nil && tr.hook != nil {
			tr.hook.entry(tid, tk, tk.call)
		}
	case unix.PTRACE_SYSCALL_INFO_EXIT:
		call := tk.call
		tk.call = nil
		if call == nil {
			return
		}
		rval, isError := info.exitRval(), info.exitIsError()
		if tr.hook != nil {
			tr.hook.exit(tid, tk, call, rval, isError)
		}
		tr.exit(tid, call, rval, isError)
	}
}
