package service

// TokenService owns API tokens.
type TokenService struct {
	deps  Deps
	authz *Authorizer
}

func newTokenService(d Deps, authz *Authorizer) *TokenService {
	return &TokenService{deps: d, authz: authz}
}
