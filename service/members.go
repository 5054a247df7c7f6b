package service

// MemberService owns members and invitations and their guards.
type MemberService struct {
	deps  Deps
	authz *Authorizer
}

func newMemberService(d Deps, authz *Authorizer) *MemberService {
	return &MemberService{deps: d, authz: authz}
}
