//go:build linux

package image

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// patternFile writes n bytes that differ from window to window.
func patternFile(t *testing.T, n int) (*os.File, []byte) {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/4093)
	}
	p := filepath.Join(t.TempDir(), "blob")
	require.NoError(t, os.WriteFile(p, b, 0o600))
	f, err := os.Open(p)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, b
}

func TestMappedHasherUnalignedRange(t *testing.T) {
	f, b := patternFile(t, 2*mapWindow+9000)
	for _, r := range []struct{ base, size int64 }{
		{0, int64(len(b))},
		{1000, 2*mapWindow + 7},
		{4096, mapWindow},
		{5, 0},
	} {
		h, err := startMappedHasher(f, r.base, r.size)
		require.NoError(t, err)
		got, err := h.wait()
		require.NoError(t, err)
		sum := sha256.Sum256(b[r.base : r.base+r.size])
		require.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), got, "range %+v", r)
	}
}

func TestMappedHasherPastEnd(t *testing.T) {
	f, b := patternFile(t, mapWindow+100)
	h, err := startMappedHasher(f, 0, int64(len(b))+2*mapWindow)
	require.NoError(t, err)
	_, err = h.wait()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestMappedHasherStop(t *testing.T) {
	f, b := patternFile(t, 3*mapWindow)
	h, err := startMappedHasher(f, 0, int64(len(b)))
	require.NoError(t, err)
	h.stop()
	_, err = h.wait()
	if err != nil {
		require.ErrorIs(t, err, errStopped)
	}
}

// TestHashMappedFault reads a mapped page that the file does not have,
// which raises SIGBUS, and expects an error instead of a crash.
func TestHashMappedFault(t *testing.T) {
	f, _ := patternFile(t, 100)
	page := os.Getpagesize()
	m, err := unix.Mmap(int(f.Fd()), 0, 2*page, unix.PROT_READ, unix.MAP_SHARED)
	require.NoError(t, err)
	defer unix.Munmap(m)
	err = hashMapped(sha256.New(), m)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}
