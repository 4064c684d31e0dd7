//go:build !unix

package image

import "io/fs"

// owner returns root on systems without Unix ownership.
func owner(fs.FileInfo) (uid, gid int) { return 0, 0 }
