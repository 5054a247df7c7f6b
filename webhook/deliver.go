// Package webhook delivers queued webhook events to partners' receivers:
// it claims due deliveries, signs them the Standard Webhooks way (with the
// maintained library), POSTs them through a client that refuses to
// connect to private, loopback and link-local addresses (checked on the
// address actually dialled, so DNS rebinding cannot point it inside), and
// reports each outcome to service.WebhookService, which owns the rules
// (retries, backoff, the delivery log, disabling after failures).
package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Options tune a Deliverer.
type Options struct {
	Log *slog.Logger
	// Timeout bounds one attempt: connecting, TLS, the request and reading
	// the answer (10 s).
	Timeout time.Duration
	// MaxResponseBytes is the most of an answer's body read (4 KiB); a
	// longer answer is a failure.
	MaxResponseBytes int64
	// Concurrency is how many attempts run at once (4).
	Concurrency int
	// PollInterval is how often Run looks for due deliveries when not
	// woken (1 s).
	PollInterval time.Duration
	// RootCAs, when set, replaces the system roots (tests trust their own
	// receiver's certificate).
	RootCAs *x509.CertPool
	// Wake, when set, is the channel the service's Kick signals; nil
	// makes one (see Kick).
	Wake chan struct{}
}

// ErrPrivateAddress: the receiver resolved to an address deliveries may
// not reach.
var ErrPrivateAddress = errors.New("the receiver's address is private, loopback or link-local")

// Deliverer sends due webhook deliveries.
type Deliverer struct {
	svc    *service.WebhookService
	opts   Options
	set    service.WebhookSettings
	client *http.Client
	kick   chan struct{}
	mu     sync.Mutex
}

// New builds a Deliverer for the service's deliveries.
func New(svc *service.WebhookService, o Options) *Deliverer {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = 4 << 10
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Wake == nil {
		o.Wake = make(chan struct{}, 1)
	}
	d := &Deliverer{svc: svc, opts: o, set: svc.Settings(), kick: o.Wake}
	d.client = d.newClient()
	return d
}

// newClient is an HTTP client that never follows redirects, ignores proxy
// settings (a proxy would dial for us, unchecked), and dials only allowed
// addresses: the host is resolved here and every address checked before
// connecting, and the socket's Control checks the address once more just
// before connect, whatever resolved it.
func (d *Deliverer) newClient() *http.Client {
	dialer := &net.Dialer{Timeout: d.opts.Timeout, Control: d.control}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			var ips []net.IP
			if ip := net.ParseIP(host); ip != nil {
				ips = []net.IP{ip}
			} else if ips, err = d.set.LookupIP(ctx, host); err != nil {
				return nil, fmt.Errorf("resolve %s: %w", host, err)
			}
			if !models.WebhookIPsAllowed(ips, d.set.AllowPrivate) {
				return nil, ErrPrivateAddress
			}
			var lastErr error
			for _, ip := range ips {
				c, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
				if err == nil {
					return c, nil
				}
				lastErr = err
			}
			return nil, lastErr
		},
		TLSClientConfig:        &tls.Config{RootCAs: d.opts.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    d.opts.Timeout,
		ResponseHeaderTimeout:  d.opts.Timeout,
		MaxResponseHeaderBytes: 16 << 10,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        30 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   d.opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (d *Deliverer) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !models.WebhookIPAllowed(ap.Addr(), d.set.AllowPrivate) {
		return ErrPrivateAddress
	}
	return nil
}

// Kick wakes Run (deliveries were queued).
func (d *Deliverer) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-d.kick:
		}
		n, err := d.ProcessOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.opts.Log.ErrorContext(ctx, "webhook pass failed", "error", err)
		}
		wait := d.opts.PollInterval
		if err == nil && n > 0 {
			wait = 0 // more may be due
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}

// ProcessOnce claims the due deliveries (a batch) and attempts each, at
// most Concurrency at a time; it returns how many it attempted.
func (d *Deliverer) ProcessOnce(ctx context.Context) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	// The claim outlives every attempt of the batch.
	batch := d.opts.Concurrency * 4
	hold := time.Duration(batch/d.opts.Concurrency+1)*d.opts.Timeout + time.Minute
	claimed, err := d.svc.Claim(ctx, batch, hold)
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, d.opts.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for _, c := range claimed {
		if ctx.Err() != nil {
			_ = d.svc.Release(context.WithoutCancel(ctx), c)
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(c gormstore.ClaimedWebhookDelivery) {
			defer func() { <-sem; wg.Done() }()
			o := d.attempt(ctx, c)
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := d.svc.Record(rctx, c, o); err != nil {
				mu.Lock()
				firstErr = errors.Join(firstErr, err)
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	return len(claimed), firstErr
}

// attempt POSTs one delivery, signed with every secret in force.
func (d *Deliverer) attempt(ctx context.Context, c gormstore.ClaimedWebhookDelivery) service.WebhookOutcome {
	now := d.svc.Now()
	var sigs []string
	for _, secret := range c.Endpoint.SigningSecrets(now) {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			return service.WebhookOutcome{Error: "the signing secret is unreadable", Code: models.WebhookErrorOther}
		}
		sig, err := wh.Sign(c.EventID, now, []byte(c.Payload))
		if err != nil {
			return service.WebhookOutcome{Error: "could not sign", Code: models.WebhookErrorOther}
		}
		sigs = append(sigs, sig)
	}
	actx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.Endpoint.URL, strings.NewReader(c.Payload))
	if err != nil {
		return service.WebhookOutcome{Error: "the URL cannot be requested", Code: models.WebhookErrorOther}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ContactGate-Webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, c.EventID)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, strings.Join(sigs, " "))
	start := time.Now()
	res, err := d.client.Do(req)
	if err != nil {
		code, msg := describe(err)
		return service.WebhookOutcome{Latency: time.Since(start), Error: msg, Code: code}
	}
	defer res.Body.Close()
	code := res.StatusCode
	o := service.WebhookOutcome{ResponseCode: &code}
	// Read at most a few KiB: a huge answer is a failure, not a reason to
	// hold the worker.
	n, rerr := io.Copy(io.Discard, io.LimitReader(res.Body, d.opts.MaxResponseBytes+1))
	o.Latency = time.Since(start)
	switch {
	case code >= 300 && code < 400:
		o.Error, o.Code = fmt.Sprintf("the receiver redirected (HTTP %d); redirects are not followed", code), models.WebhookErrorRedirect
	case code < 200 || code >= 300:
		o.Error, o.Code = fmt.Sprintf("the receiver answered HTTP %d", code), models.WebhookErrorHTTPStatus
	case n > d.opts.MaxResponseBytes || res.ContentLength > d.opts.MaxResponseBytes:
		o.Error, o.Code = fmt.Sprintf("the receiver's answer is larger than %d bytes", d.opts.MaxResponseBytes), models.WebhookErrorBodyTooLarge
	case rerr != nil:
		c, msg := describe(rerr)
		o.Error, o.Code = "reading the answer failed: "+msg, c
	default:
		o.OK = true
	}
	return o
}

// describe turns a transport error into a code and a short message for
// the delivery log, without internal detail.
func describe(err error) (string, string) {
	var ne net.Error
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return models.WebhookErrorPrivateAddress, ErrPrivateAddress.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return models.WebhookErrorTimeout, "the receiver did not answer in time"
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return models.WebhookErrorTLS, "the receiver's TLS certificate is not valid"
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return models.WebhookErrorDNS, "the receiver's host name does not resolve"
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return models.WebhookErrorConnect, "could not connect to the receiver"
	}
	return models.WebhookErrorOther, "the request failed"
}
