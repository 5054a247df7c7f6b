package service

// NotificationService routes notifications to contacts and queues their mails.
type NotificationService struct {
	deps  Deps
	authz *Authorizer
}

func newNotificationService(d Deps, authz *Authorizer) *NotificationService {
	return &NotificationService{deps: d, authz: authz}
}
