package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// hostPolicy decides which Host headers the server answers, so that a web
// page whose DNS name is rebound to this server's address (a developer's
// local instance, a host on an internal network) cannot drive it: the
// browser sends that page's own name as Host, which is none of ours.
//
// Ports are not compared: rebinding changes the name, not the port, and a
// proxy may or may not keep the port in Host.
type hostPolicy struct {
	names map[string]bool
	// loopback: listening on loopback (or on every address), so "localhost"
	// and loopback addresses are this server.
	loopback bool
	// anyIP: listening on every address (0.0.0.0, ::), so any IP literal
	// may be one of ours (the pod IP of a Kubernetes probe, a LAN address).
	// An IP literal cannot be rebound, so accepting it opens nothing.
	anyIP bool
}

func newHostPolicy(cfg Config) hostPolicy {
	p := hostPolicy{names: map[string]bool{}}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Hostname() != "" {
		p.names[canonicalHost(u.Hostname())] = true
	}
	for _, h := range cfg.AllowedHosts {
		if h = canonicalHost(h); h != "" {
			p.names[h] = true
		}
	}
	if tcp, ok := cfg.ListenAddr.(*net.TCPAddr); ok && tcp.IP != nil {
		switch {
		case tcp.IP.IsUnspecified():
			p.anyIP, p.loopback = true, true
		case tcp.IP.IsLoopback():
			p.loopback = true
		default:
			p.names[canonicalHost(tcp.IP.String())] = true
		}
	}
	return p
}

// canonicalHost is the host name of a Host header or setting: port and
// IPv6 brackets removed, lower case, no trailing dot, IP addresses in
// their canonical form.
func canonicalHost(hostport string) string {
	h := strings.TrimSpace(hostport)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	} else {
		h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().WithZone("").String()
	}
	return h
}

func (p hostPolicy) allows(host string) bool {
	h := canonicalHost(host)
	if h == "" {
		return false
	}
	if p.names[h] {
		return true
	}
	ip, err := netip.ParseAddr(h)
	if p.loopback && (h == "localhost" || err == nil && ip.IsLoopback()) {
		return true
	}
	return p.anyIP && err == nil
}

// hostCheck refuses requests for a Host that is not this server's with 421
// Misdirected Request. The health probes are exempt: Kubernetes sends the
// pod IP, a load balancer may send anything, and they reveal and change
// nothing.
func hostCheck(p hostPolicy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || p.allows(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "unknown host: this server answers only to its own names (PUBLIC_URL, ALLOWED_HOSTS)", http.StatusMisdirectedRequest)
	})
}
