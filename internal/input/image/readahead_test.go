package image

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func TestReadAheadCopiesStream(t *testing.T) {
	for _, size := range []int{0, 1, readAheadChunk - 1, readAheadChunk, 3*readAheadChunk + 17, 9 * readAheadChunk} {
		data := make([]byte, size)
		r := rand.New(rand.NewPCG(1, uint64(size)))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		ra := newReadAhead(iotest.HalfReader(bytes.NewReader(data)))
		got, err := io.ReadAll(ra)
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, got), "size %d", size)
		require.NoError(t, ra.Close())
	}
}

func TestReadAheadPassesErrors(t *testing.T) {
	ra := newReadAhead(io.MultiReader(bytes.NewReader([]byte("abc")), iotest.ErrReader(io.ErrUnexpectedEOF)))
	got, err := io.ReadAll(ra)
	require.True(t, errors.Is(err, io.ErrUnexpectedEOF), "error %v", err)
	require.Equal(t, "abc", string(got))
	require.NoError(t, ra.Close())
}

func TestReadAheadCloseEarly(t *testing.T) {
	ra := newReadAhead(bytes.NewReader(make([]byte, 20*readAheadChunk)))
	buf := make([]byte, 10)
	_, err := ra.Read(buf)
	require.NoError(t, err)
	require.NoError(t, ra.Close())
}
