//go:build !linux

package profile

import (
	"context"
	"os"
)

// Options configures Run.
type Options struct {
	Command               []string
	Env                   []string
	Dir                   string
	Stdin, Stdout, Stderr *os.File
}

// Run returns ErrUnsupported: tracing needs Linux.
func Run(ctx context.Context, opts Options) (*Trace, error) {
	return nil, ErrUnsupported
}
