package profile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/profiles/seccomp"
	"golang.org/x/sys/unix"
)

// verifier is the syscall hook of a verification run: it marks tasks as
// filtered once the runtime installs the seccomp filter, and from then on
// records every call that the filter denies.
type verifier struct {
	filter  *Filter
	tr      *tracer
	rec     *recorder
	started bool
	// startup collects the syscalls that filtered tasks made before their
	// first successful execve: the runtime's work after it installed the
	// filter.
	startup map[string]bool
	// simulate marks every task as filtered from the start, for local
	// commands that run without the filter installed.
	simulate bool
}

func (v *verifier) setTracer(tr *tracer) { v.tr = tr }

func (v *verifier) entry(tid int, tk *task, call *pendingCall) {
	if v.simulate {
		tk.filtered = true
	}
	if !tk.filtered {
		return
	}
	if !tk.execed && !v.simulate {
		v.startup[call.name] = true
	}
	d := v.filter.Decide(call.arch, call.name, call.args)
	if !d.Allowed() {
		v.rec.deny(Denial{Arch: call.arch, Syscall: call.name, Errno: d.Errno, Path: call.path,
			Runtime: !tk.execed && !v.simulate})
	}
}

func (v *verifier) exit(tid int, tk *task, call *pendingCall, rval int64, isError bool) {
	if isError {
		return
	}
	if tk.filtered && (call.name == "execve" || call.name == "execveat") {
		v.started = true
		tk.execed = true
	}
	if tk.filtered || !installsFilter(call) {
		return
	}
	tk.filtered = true
	const tsync = 1 // SECCOMP_FILTER_FLAG_TSYNC
	if call.name == "seccomp" && call.args[1]&tsync != 0 && v.tr != nil {
		// The filter now applies to every thread of the process.
		group := tgid(tid)
		for other, otk := range v.tr.tasks {
			if tgid(other) == group {
				otk.filtered = true
			}
		}
	}
}

func (v *verifier) killed(int, *task, unix.Signal) {}

// installsFilter reports whether call installs a seccomp filter:
// seccomp(SECCOMP_SET_MODE_FILTER, ...) or prctl(PR_SET_SECCOMP,
// SECCOMP_MODE_FILTER, ...).
func installsFilter(call *pendingCall) bool {
	const setModeFilter, prSetSeccomp, modeFilter = 1, 22, 2
	switch call.name {
	case "seccomp":
		return call.args[0] == setModeFilter
	case "prctl":
		return call.args[0] == prSetSeccomp && call.args[1] == modeFilter
	}
	return false
}

func tgid(tid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return tid
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Tgid:"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				return n
			}
		}
	}
	return tid
}

// VerifyImage runs a container of opts.Image under the seccomp profile
// profileJSON and reports whether the workload started, its exit status and
// the syscalls the profile denied. The container starts in a frozen cgroup,
// and the host traces the runtime's init process from before it installs
// the filter until the workload ends, so the profile under test may deny
// ptrace inside the container. Denials are found by evaluating the profile,
// resolved as the runtime resolves it, against every call made after the
// filter was installed. It needs root on the host.
func VerifyImage(ctx context.Context, profileJSON []byte, opts ImageOptions) (*VerifyResult, error) {
	opts.defaults()
	filter, err := NewFilter(profileJSON, capsFromRunArgs(opts.RunArgs))
	if err != nil {
		return nil, err
	}
	profileFile, err := os.CreateTemp("", "dockward-seccomp-*.json")
	if err != nil {
		return nil, err
	}
	defer os.Remove(profileFile.Name())
	if _, err := profileFile.Write(profileJSON); err != nil {
		profileFile.Close()
		return nil, err
	}
	profileFile.Close()

	name := containerName("verify")
	fz, err := newFreezer(name)
	if err != nil {
		return nil, err
	}
	defer fz.remove()

	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	args := []string{"run", "--name", name, "--network", opts.Network,
		"--cgroup-parent", "/" + name,
		"--security-opt", "seccomp=" + profileFile.Name()}
	args = append(args, opts.RunArgs...)
	args = append(args, opts.Image)
	args = append(args, opts.Args...)
	run := startLocked(opts.DockerCLI, args)
	defer removeContainer(opts.DockerCLI, name)

	res := &VerifyResult{Image: opts.Image, Command: opts.Args}
	tids, err := waitForTasks(ctx, fz, run.done)
	if err != nil {
		fz.set(false)
		return nil, err
	}

	// Once docker run has returned, the container is gone or failed to
	// start. Tasks still traced after a grace period are killed, such as a
	// runtime process that spins because exit_group is denied.
	traceCtx, stopTrace := context.WithCancel(ctx)
	defer stopTrace()
	go func() {
		select {
		case <-run.done:
		case <-traceCtx.Done():
			return
		}
		select {
		case <-time.After(3 * time.Second):
			stopTrace()
		case <-traceCtx.Done():
		}
	}()

	t := NewTrace(opts.Args)
	v := &verifier{filter: filter, rec: newRecorder(), startup: map[string]bool{}}
	if len(tids) > 0 {
		err = attach(traceCtx, t, tids, v, func() error { return fz.set(false) })
		if err != nil {
			fz.set(false)
			return nil, err
		}
	}

	select {
	case <-run.done:
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("docker run of %q did not finish after the container ended", opts.Image)
	}
	res.TimedOut = ctx.Err() != nil
	res.Started = v.started
	res.Output = tail(run.output.String(), 20)
	if err := inspectState(opts.DockerCLI, name, res); err != nil {
		return nil, err
	}
	if t.Signal != "" {
		res.Signal = t.Signal
	}
	var denials Trace
	v.rec.finish(&denials)
	res.Denied = denials.Denied
	if res.Denied == nil {
		res.Denied = []Denial{}
	}
	res.RuntimeCalls = slices.Sorted(maps.Keys(v.startup))
	return res, nil
}

// MeasureRuntimeCalls runs a container of opts.Image under Docker's default
// seccomp profile and returns the syscalls that the runtime made after it
// installed the filter and before it executed the workload.
func MeasureRuntimeCalls(ctx context.Context, opts ImageOptions) ([]string, error) {
	def, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		return nil, err
	}
	res, err := VerifyImage(ctx, def, opts)
	if err != nil {
		return nil, err
	}
	if !res.Started {
		return nil, fmt.Errorf("container of %q did not start under the default profile: %s", opts.Image, res.Error)
	}
	return res.RuntimeCalls, nil
}

// VerifyCommand runs a local command under the seccomp profile and reports
// like VerifyImage. The profile is compiled to a BPF program file. helper is
// a command line that, with that file, "--" and the command appended,
// installs the program with InstallAndExec and executes the command; it runs
// under ptrace. dockward's own "profile test --exec-filter" is such a helper.
//
// Without a helper, the command runs unconfined and the profile is
// evaluated against each of its calls: a simulation, in which a denied call
// that the program would handle still counts, and the exit status is the
// unconfined one.
func VerifyCommand(ctx context.Context, profileJSON []byte, opts Options, helper []string) (*VerifyResult, error) {
	filter, err := NewFilter(profileJSON, nil)
	if err != nil {
		return nil, err
	}
	if len(helper) == 0 {
		return simulateCommand(ctx, filter, opts)
	}
	prog, err := filter.Compile()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dockward-filter-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	progPath := dir + "/filter.bpf"
	if err := WriteProgram(progPath, prog); err != nil {
		return nil, err
	}

	command := opts.Command
	opts.Command = append(append(slices.Clone(helper), progPath, "--"), command...)
	v := &verifier{filter: filter, rec: newRecorder(), startup: map[string]bool{}}
	t, err := runHooked(ctx, opts, v)
	if err != nil {
		return nil, err
	}
	res := &VerifyResult{Command: command, Started: v.started, ExitCode: t.ExitCode,
		Signal: t.Signal, TimedOut: t.TimedOut}
	var denials Trace
	v.rec.finish(&denials)
	res.Denied = denials.Denied
	if res.Denied == nil {
		res.Denied = []Denial{}
	}
	res.RuntimeCalls = slices.Sorted(maps.Keys(v.startup))
	return res, nil
}

func simulateCommand(ctx context.Context, filter *Filter, opts Options) (*VerifyResult, error) {
	v := &verifier{filter: filter, rec: newRecorder(), simulate: true}
	t, err := runHooked(ctx, opts, v)
	if err != nil {
		return nil, err
	}
	res := &VerifyResult{Command: opts.Command, Simulated: true, ExitCode: t.ExitCode,
		Signal: t.Signal, TimedOut: t.TimedOut}
	// The exec that started the program ran before tracing did.
	d := filter.Decide(nativeArch(), "execve", [6]uint64{})
	res.Started = d.Allowed()
	if !d.Allowed() {
		v.rec.deny(Denial{Arch: nativeArch(), Syscall: "execve", Errno: d.Errno})
	}
	var denials Trace
	v.rec.finish(&denials)
	res.Denied = denials.Denied
	if res.Denied == nil {
		res.Denied = []Denial{}
	}
	return res, nil
}

type lockedRun struct {
	done   chan struct{}
	output *bytes.Buffer
}

// startLocked starts a command from a goroutine locked to its own thread,
// which the tracer thread can never be, so the tracer's wait for its own
// tracees (WNOTHREAD) does not reap the command.
func startLocked(cli string, args []string) *lockedRun {
	r := &lockedRun{done: make(chan struct{}), output: &bytes.Buffer{}}
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(r.done)

		cmd := exec.Command(cli, args...)
		cmd.Stdout = r.output
		cmd.Stderr = r.output
		cmd.Run()
	}()
	return r
}

// waitForTasks polls the frozen cgroup until the runtime moves the
// container's first process into it, and returns its threads. It returns no
// threads when docker run ended first.
func waitForTasks(ctx context.Context, fz *freezer, done <-chan struct{}) ([]int, error) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if tids := fz.tasks(); len(tids) > 0 {
			return tids, nil
		}
		select {
		case <-done:
			return nil, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("container process did not appear in cgroup %q: %w", fz.dir, ctx.Err())
		case <-tick.C:
		}
	}
}

func inspectState(cli, name string, res *VerifyResult) error {
	out, err := exec.Command(cli, "inspect", "--format", "{{json .State}}", name).Output()
	if err != nil {
		// docker run may fail before it creates the container.
		res.Error = strings.TrimSpace(res.Output)
		res.ExitCode = -1
		return nil
	}
	var state struct {
		ExitCode  int
		Error     string
		OOMKilled bool
	}
	if err := json.Unmarshal(out, &state); err != nil {
		return fmt.Errorf("decoding state of container %s: %w", name, err)
	}
	res.ExitCode = state.ExitCode
	res.Error = state.Error
	if state.OOMKilled {
		res.Error = strings.TrimSpace(res.Error + " (out of memory)")
	}
	return nil
}

func removeContainer(cli, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	exec.CommandContext(ctx, cli, "rm", "-f", "-v", name).Run()
}

// capsFromRunArgs returns the container's capabilities from --cap-add,
// --cap-drop and --privileged flags over Docker's defaults.
func capsFromRunArgs(args []string) []string {
	caps := map[string]bool{}
	for _, c := range DockerDefaultCaps {
		caps[c] = true
	}
	norm := func(c string) string {
		c = strings.ToUpper(c)
		if !strings.HasPrefix(c, "CAP_") {
			c = "CAP_" + c
		}
		return c
	}
	for i := 0; i < len(args); i++ {
		flag, value, hasValue := strings.Cut(args[i], "=")
		if !hasValue && i+1 < len(args) && (flag == "--cap-add" || flag == "--cap-drop") {
			value = args[i+1]
			i++
		}
		switch flag {
		case "--cap-add":
			caps[norm(value)] = true
		case "--cap-drop":
			if strings.EqualFold(value, "ALL") {
				clear(caps)
			}
			delete(caps, norm(value))
		}
	}
	out := make([]string, 0, len(caps))
	for c := range caps {
		out = append(out, c)
	}
	return out
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
