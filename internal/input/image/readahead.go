package image

import (
	"io"
	"sync"
)

const (
	readAheadChunk  = 256 << 10
	readAheadChunks = 4
)

// readAhead decompresses on its own goroutine, up to four 256 KiB chunks
// ahead of the tar reader, so that a single large layer uses two cores:
// one inflating and one parsing and hashing. Close stops the goroutine.
type readAhead struct {
	full  chan []byte
	free  chan []byte
	stop  chan struct{}
	err   error  // set before full is closed
	cur   []byte // unread part of whole
	whole []byte
	once  sync.Once
	done  chan struct{}
}

func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{full: make(chan []byte, readAheadChunks), free: make(chan []byte, readAheadChunks+1),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range readAheadChunks + 1 {
		ra.free <- make([]byte, readAheadChunk)
	}
	go ra.fill(r)
	return ra
}

func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.done)
	defer close(ra.full)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.stop:
			return
		}
		n, err := fillBuffer(r, buf[:cap(buf)])
		if n > 0 {
			select {
			case ra.full <- buf[:n]:
			case <-ra.stop:
				return
			}
		}
		if err != nil {
			ra.err = err
			return
		}
	}
}

// fillBuffer reads until buf is full or r fails. Unlike io.ReadFull it
// passes the reader's own errors through, so a truncated gzip stream
// still reports io.ErrUnexpectedEOF and a clean end io.EOF.
func fillBuffer(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.whole != nil {
			ra.free <- ra.whole[:cap(ra.whole)]
			ra.whole = nil
		}
		buf, ok := <-ra.full
		if !ok {
			return 0, ra.err
		}
		ra.whole, ra.cur = buf, buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it, so the source reader is no
// longer used once Close returns.
func (ra *readAhead) Close() error {
	ra.once.Do(func() { close(ra.stop) })
	<-ra.done
	return nil
}
