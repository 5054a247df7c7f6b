package graph

import (
	"bytes"
	"context"
	"sync"
)

// Response buffers of directly rendered pages (direct.go) are reused: a
// staff page of 100 accounts renders ~130 KB and is copied into a
// response buffer as large, a quarter of the bytes the page allocates,
// which set how often the collector runs. A request takes them from
// bufferPool and returns them when its HTTP response has been written
// (ReleaseBuffers, called by the HTTP middleware that made its loaders);
// a websocket operation, whose responses are written elsewhere, never
// returns them, and the collector frees them.
var bufferPool sync.Pool

// maxPooledBuffer is the largest buffer kept for reuse: a rare huge
// response's buffer is left to the collector rather than held.
const maxPooledBuffer = 4 << 20

// takeBuffer returns an empty buffer of at least size bytes, reused when
// one is free, registered with ctx's loaders for ReleaseBuffers; without
// loaders, a new buffer.
func takeBuffer(ctx context.Context, size int) *bytes.Buffer {
	ll, _ := ctx.Value(loadersKey{}).(*lazyLoaders)
	if ll == nil {
		return bytes.NewBuffer(make([]byte, 0, size))
	}
	b, _ := bufferPool.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	b.Grow(size)
	ll.buffersMu.Lock()
	ll.buffers = append(ll.buffers, b)
	ll.buffersMu.Unlock()
	return b
}

// ReleaseBuffers returns the buffers that the request of ctx took for
// reuse. Call it once the response is written: their bytes are reused.
func ReleaseBuffers(ctx context.Context) {
	ll, _ := ctx.Value(loadersKey{}).(*lazyLoaders)
	if ll == nil {
		return
	}
	ll.buffersMu.Lock()
	buffers := ll.buffers
	ll.buffers = nil
	ll.buffersMu.Unlock()
	for _, b := range buffers {
		if b.Cap() <= maxPooledBuffer {
			b.Reset()
			bufferPool.Put(b)
		}
	}
}
