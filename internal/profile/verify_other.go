//go:build !linux

package profile

import "context"

// VerifyImage returns ErrUnsupported: it needs Linux.
func VerifyImage(ctx context.Context, profileJSON []byte, opts ImageOptions) (*VerifyResult, error) {
	return nil, ErrUnsupported
}

// VerifyCommand returns ErrUnsupported: it needs Linux.
func VerifyCommand(ctx context.Context, profileJSON []byte, opts Options, helper []string) (*VerifyResult, error) {
	return nil, ErrUnsupported
}

// MeasureRuntimeCalls returns ErrUnsupported: it needs Linux.
func MeasureRuntimeCalls(ctx context.Context, opts ImageOptions) ([]string, error) {
	return nil, ErrUnsupported
}

// ExecWithFilterFile returns ErrUnsupported: it needs Linux.
func ExecWithFilterFile(path string, argv, env []string) error {
	return ErrUnsupported
}
