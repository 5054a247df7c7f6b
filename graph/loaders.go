package graph

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/contactgate/contactgate/service"
	"github.com/vikstrous/dataloadgen"
)

// loaders batch the per-object lookups of one request, so that a page of N
// accounts costs a constant number of statements, not N times some.
type loaders struct {
	users        *dataloadgen.Loader[string, *models.User]
	accounts     *dataloadgen.Loader[string, *models.Account]
	contactInfos *dataloadgen.Loader[string, *models.ContactInfo]
	gates        *dataloadgen.Loader[string, models.GateState]
	members      *dataloadgen.Loader[string, []*models.Member]
	invitations  *dataloadgen.Loader[string, []*models.Invitation]
	// reach is each account's addresses' reachability, by normalized email.
	reach *dataloadgen.Loader[string, map[string]*models.Reachability]
	// preloaded are the accounts whose every selected field the listing
	// loaded (preload.go): their fields resolve inline (marshal.go).
	preloadedMu sync.RWMutex
	preloaded   map[string]bool
}

type loadersKey struct{}

func newLoaders(db *gormstore.DB) *loaders {
	wait := dataloadgen.WithWait(time.Millisecond)
	return &loaders{
		users: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*models.User, error) {
			users, err := db.UserProfilesByIDs(ctx, ids)
			out := make(map[string]*models.User, len(users))
			for _, u := range users {
				out[u.ID] = u
			}
			return out, err
		}, wait),
		accounts: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*models.Account, error) {
			accs, err := db.AccountsByIDs(ctx, ids)
			out := make(map[string]*models.Account, len(accs))
			for _, a := range accs {
				out[a.ID] = a
			}
			return out, err
		}, wait),
		contactInfos: dataloadgen.NewMappedLoader(db.ContactInfosByAccountIDs, wait),
		gates:        dataloadgen.NewMappedLoader(db.GatesByAccountIDs, wait),
		members: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*models.Member, error) {
			m, err := db.MembersByAccountIDs(ctx, ids)
			return fillEmpty(ids, m), err
		}, wait),
		invitations: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]*models.Invitation, error) {
			m, err := db.InvitationsByAccountIDs(ctx, ids)
			return fillEmpty(ids, m), err
		}, wait),
		reach: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]map[string]*models.Reachability, error) {
			rows, err := db.ReachabilityByAccountIDs(ctx, ids)
			return reachByEmail(ids, rows), err
		}, wait),
	}
}

// reachByEmail indexes each account's reachability rows by address.
func reachByEmail(ids []string, rows map[string][]*models.Reachability) map[string]map[string]*models.Reachability {
	out := make(map[string]map[string]*models.Reachability, len(ids))
	for _, id := range ids {
		m := make(map[string]*models.Reachability, len(rows[id]))
		for _, r := range rows[id] {
			m[r.Email] = r
		}
		out[id] = m
	}
	return out
}

func (l *loaders) markPreloaded(ids []string) {
	l.preloadedMu.Lock()
	defer l.preloadedMu.Unlock()
	if l.preloaded == nil {
		l.preloaded = make(map[string]bool, len(ids))
	}
	for _, id := range ids {
		l.preloaded[id] = true
	}
}

func (l *loaders) isPreloaded(id string) bool {
	l.preloadedMu.RLock()
	defer l.preloadedMu.RUnlock()
	return l.preloaded[id]
}

func fillEmpty[V any](ids []string, m map[string][]V) map[string][]V {
	if m == nil {
		m = map[string][]V{}
	}
	for _, id := range ids {
		if m[id] == nil {
			m[id] = []V{}
		}
	}
	return m
}

// lazyLoaders are a request's loaders, made on first use: most requests
// (accessGate, the portal's most frequent) use none, and six loaders are
// about thirty allocations.
type lazyLoaders struct {
	once sync.Once
	db   *gormstore.DB
	l    *loaders
	// rendered counts the bytes rendered directly (direct.go) for the
	// operation's response, so that its buffer is made that large at once
	// (responseBuffer).
	rendered atomic.Int64
	// buffers were taken from bufferPool (buffers.go) for the request.
	buffersMu sync.Mutex
	buffers   []*bytes.Buffer
}

// responseBuffer is the operation's response buffer: after a direct
// render, a reused one (buffers.go) as large as what was rendered plus
// room for the rest; otherwise a new one that grows as needed.
// internal/gqlgenseq makes the generated Exec call it.
func responseBuffer(ctx context.Context) *bytes.Buffer {
	ll, _ := ctx.Value(loadersKey{}).(*lazyLoaders)
	if ll == nil {
		return new(bytes.Buffer)
	}
	if n := ll.rendered.Load(); n > 0 {
		return takeBuffer(ctx, int(n)+1024)
	}
	return new(bytes.Buffer)
}

// WithFreshLoaders returns ctx with new loaders and an empty memo of the
// Authorizer's answers: each operation of a long-lived websocket gets its
// own, as an HTTP request does, so that nothing read before is reused.
func WithFreshLoaders(ctx context.Context, db *gormstore.DB) context.Context {
	return service.WithMemo(context.WithValue(ctx, loadersKey{}, &lazyLoaders{db: db}))
}

func loadersFrom(ctx context.Context) *loaders {
	ll, _ := ctx.Value(loadersKey{}).(*lazyLoaders)
	if ll == nil {
		panic("graph: request without loaders; give its context WithFreshLoaders (httpapi does, for each request and each websocket operation)")
	}
	ll.once.Do(func() { ll.l = newLoaders(ll.db) })
	return ll.l
}

// notFoundAs turns a loader's "no such key" into a NOT_FOUND domain error.
func notFoundAs(err error, what string) error {
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return models.Errorf(models.ENotFound, "%s not found", what)
	}
	return err
}
