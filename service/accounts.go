package service

// AccountService creates accounts and answers the staff listing and export.
type AccountService struct {
	deps  Deps
	authz *Authorizer
}

func newAccountService(d Deps, authz *Authorizer) *AccountService {
	return &AccountService{deps: d, authz: authz}
}
