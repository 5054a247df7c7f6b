package httpapi

import (
	"net"
	"testing"
)

// TestHostPolicy: which Host headers each listen address accepts, with
// IPv6 brackets, ports, case and trailing dots.
func TestHostPolicy(t *testing.T) {
	tcp := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	cases := []struct {
		listen net.Addr
		ok, no []string
	}{
		{tcp("[::1]:8080"), []string{"[::1]:8080", "[::1]", "localhost", "LOCALHOST.:8080", "127.0.0.1:8080", "portal.example.com", "lb.internal"},
			[]string{"evil.example", "[2001:db8::1]:8080", "10.0.0.5", "", "::1.evil.example", "localhost.evil.example"}},
		{tcp("10.0.0.5:8080"), []string{"10.0.0.5:8080", "10.0.0.5", "[::ffff:10.0.0.5]:8080", "portal.example.com:443"},
			[]string{"localhost:8080", "127.0.0.1:8080", "10.0.0.6:8080", "evil.example"}},
		{tcp("[::]:8080"), []string{"[2001:db8::1]:8080", "10.0.0.6", "localhost", "[fe80::1%25eth0]:8080"},
			[]string{"evil.example", "10.0.0.6.nip.io"}},
		{nil, []string{"portal.example.com", "lb.internal:1"}, []string{"localhost", "127.0.0.1"}},
	}
	for _, c := range cases {
		p := newHostPolicy(Config{PublicURL: "https://portal.example.com", ListenAddr: c.listen, AllowedHosts: []string{"LB.internal", ""}})
		for _, h := range c.ok {
			if !p.allows(h) {
				t.Errorf("listen %v: Host %q refused", c.listen, h)
			}
		}
		for _, h := range c.no {
			if p.allows(h) {
				t.Errorf("listen %v: Host %q allowed", c.listen, h)
			}
		}
	}
}
