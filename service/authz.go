package service

// Authorizer the one place that decides who may do what, for GraphQL, the CSV export and subscriptions alike.
type Authorizer struct {
	deps Deps
}

func newAuthorizer(d Deps) *Authorizer { return &Authorizer{deps: d} }
