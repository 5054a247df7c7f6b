package service

// SessionService owns sign-in, sessions and their lifetime.
type SessionService struct {
	deps  Deps
	authz *Authorizer
}

func newSessionService(d Deps, authz *Authorizer) *SessionService {
	return &SessionService{deps: d, authz: authz}
}
