package secretexec

import (
	"os"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes orphaned descendants reparent to this process
// when it is not PID 1, so Init reaps them outside a container too.
func becomeSubreaper() {
	if os.Getpid() != 1 {
		_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	}
}
