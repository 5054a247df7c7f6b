package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestMetricsLoopbackOnly: on the main address, /metrics answers clients
// on this machine, and nobody else: not another host, not a request a
// proxy relayed.
func TestMetricsLoopbackOnly(t *testing.T) {
	h := loopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("metrics")) }))
	for _, c := range []struct {
		remote string
		header http.Header
		want   int
	}{
		{"127.0.0.1:5000", nil, 200},
		{"[::1]:5000", nil, 200},
		{"192.0.2.10:5000", nil, 403},
		{"[2001:db8::1]:5000", nil, 403},
		{"127.0.0.1:5000", http.Header{"X-Forwarded-For": {"192.0.2.10"}}, 403},
		{"127.0.0.1:5000", http.Header{"X-Real-Ip": {"192.0.2.10"}}, 403},
		{"not an address", nil, 403},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = c.remote
		for k, v := range c.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s %v: %d, want %d", c.remote, c.header, rec.Code, c.want)
		}
	}
}
