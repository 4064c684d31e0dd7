//go:build unix

package secretexec

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

// lookPath finds the program in the PATH of the application's
// environment, which may differ from dockward's own.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	search := os.Getenv("PATH")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			search = v
		}
	}
	for _, dir := range filepath.SplitList(search) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("starting %q: %w in PATH %q", name, exec.ErrNotFound, search)
}

// Exec replaces the current process with the application, which keeps
// its PID (PID 1 in a container) and receives signals directly. It
// returns only on failure.
func Exec(argv, env []string) error {
	if len(argv) == 0 {
		return errors.New("no command to run")
	}
	path, err := lookPath(argv[0], env)
	if err != nil {
		return err
	}
	if err := syscall.Exec(path, argv, env); err != nil {
		return fmt.Errorf("executing %q: %w", path, err)
	}
	return nil
}

// forwarded are the signals Init passes on to the application.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH, syscall.SIGCONT, syscall.SIGTSTP}

// Init runs the application as a child, forwards signals to it, and reaps
// every process that exits while it runs. As PID 1 of a container,
// dockward inherits orphaned grandchildren that no other process waits
// for. On Linux it also registers as a child subreaper, so it reaps them
// when it is not PID 1. It returns the application's exit status, 128 plus the signal
// number when a signal ended it, the way shells report it.
func Init(argv, env []string) (int, error) {
	if len(argv) == 0 {
		return 0, errors.New("no command to run")
	}
	path, err := lookPath(argv[0], env)
	if err != nil {
		return 0, err
	}

	becomeSubreaper()
	sigs := make(chan os.Signal, 32)
	signal.Notify(sigs, append(forwarded, syscall.SIGCHLD)...)
	defer signal.Stop(sigs)

	proc, err := os.StartProcess(path, argv, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
	})
	if err != nil {
		return 0, fmt.Errorf("starting %q: %w", path, err)
	}
	child := proc.Pid

	for {
		if status, done := reap(child); done {
			return status, nil
		}
		sig := <-sigs
		if sig == syscall.SIGCHLD {
			continue
		}
		// The child may already be gone; a failed forward is harmless.
		_ = syscall.Kill(child, sig.(syscall.Signal))
	}
}

// reap waits for every exited process without blocking and reports the
// main child's status once it has exited.
func reap(child int) (int, bool) {
	status, done := 0, false
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return status, done
		}
		if pid == child {
			done = true
			switch {
			case ws.Exited():
				status = ws.ExitStatus()
			case ws.Signaled():
				status = 128 + int(ws.Signal())
			}
		}
	}
}
