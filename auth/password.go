package auth

import (
	"context"
	"fmt"
	"runtime"

	"github.com/alexedwards/argon2id"
)

// Hasher hashes and checks passwords with argon2id. Each hash takes tens of
// MiB, so a semaphore caps how many run at once: a sign-in flood waits
// instead of exhausting memory.
type Hasher struct {
	params *argon2id.Params
	slots  chan struct{}
	dummy  string
}

// NewHasher returns a Hasher with OWASP's argon2id parameters (19 MiB, 2
// passes). cheap picks tiny parameters for tests.
func NewHasher(cheap bool) *Hasher {
	p := &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	if cheap {
		p = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	}
	h := &Hasher{params: p, slots: make(chan struct{}, max(2, runtime.NumCPU()))}
	d, err := argon2id.CreateHash("not a password anyone has", p)
	if err != nil {
		panic(err) // only fails if crypto/rand fails
	}
	h.dummy = d
	return h
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the encoded argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	s, err := argon2id.CreateHash(password, h.params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return s, nil
}

// Check reports whether password matches hash. With an empty hash (an
// unknown email, or a user who never set a password) it still does the same
// work against a dummy hash, so that timing does not tell which emails exist.
func (h *Hasher) Check(ctx context.Context, password, hash string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	return ok, nil
}
