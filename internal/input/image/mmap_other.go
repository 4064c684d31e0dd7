//go:build !linux

package image

import (
	"errors"
	"os"
)

// startMappedHasher is available on Linux only; elsewhere the hasher
// copies the blob with ReadAt.
func startMappedHasher(*os.File, int64, int64) (*blobHasher, error) {
	return nil, errors.ErrUnsupported
}
