//go:build !unix

package secretexec

import "errors"

var errUnsupported = errors.New("dockward exec runs only on Unix systems")

// Exec is not available on this system.
func Exec(argv, env []string) error { return errUnsupported }

// Init is not available on this system.
func Init(argv, env []string) (int, error) { return 0, errUnsupported }
