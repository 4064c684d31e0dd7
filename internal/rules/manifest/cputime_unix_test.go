//go:build unix

package manifest_test

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time of the process, which the
// benchmarks report beside wall time because the machine may be shared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
