//go:build unix && !linux

package secretexec

// becomeSubreaper does nothing: only PID 1 inherits orphans here.
func becomeSubreaper() {}
