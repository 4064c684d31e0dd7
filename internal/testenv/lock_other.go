//go:build !unix

package testenv

// lockFile does nothing on systems without flock; integration tests need Linux.
func lockFile(string) (func(), error) {
	return func() {}, nil
}
