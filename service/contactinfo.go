package service

// ContactInfoService owns contact info, its history and the access gate.
type ContactInfoService struct {
	deps  Deps
	authz *Authorizer
}

func newContactInfoService(d Deps, authz *Authorizer) *ContactInfoService {
	return &ContactInfoService{deps: d, authz: authz}
}
