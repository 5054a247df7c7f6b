package mail

import "time"

// ReviewReminderData fills the reminder that an account's contact info is
// due for review, sent to its administrators and editors.
type ReviewReminderData struct {
	// To is the member's address.
	To          string
	AccountName string
	// Passed: the due date has passed (otherwise it is ahead).
	Passed bool
	// DueAt is the review's due date; LocksAt when the portal starts to
	// block on it (nil: never).
	DueAt   time.Time
	LocksAt *time.Time
	// Link opens the account's contact info (PUBLIC_URL/...).
	Link string
}

type reviewReminderView struct {
	ReviewReminderData
	pageData
	Due, Locks string
}

func (v *reviewReminderView) setPage(p pageData) { v.pageData = p }

// ReviewReminderMail renders a review reminder in locale.
func ReviewReminderMail(locale string, d ReviewReminderData) Message {
	loc := NormalizeLocale(locale)
	v := &reviewReminderView{ReviewReminderData: d, Due: formatTime(loc, d.DueAt)}
	if d.LocksAt != nil {
		v.Locks = formatTime(loc, *d.LocksAt)
	}
	return render(loc, "review_reminder", d.To, v)
}

// FormerMemberData fills the mail telling an account's administrators
// that contact fields still name someone who left the account.
type FormerMemberData struct {
	To          string
	AccountName string
	// Email is the former member's address.
	Email string
	// Fields are the API names of the fields that list Email
	// (technicalEmergency, operationalForUsers, ...).
	Fields []string
	Link   string
}

type formerMemberView struct {
	FormerMemberData
	pageData
	FieldLabels []string
}

func (v *formerMemberView) setPage(p pageData) { v.pageData = p }

// FormerMemberMail renders the former-member notice in locale.
func FormerMemberMail(locale string, d FormerMemberData) Message {
	loc := NormalizeLocale(locale)
	v := &formerMemberView{FormerMemberData: d}
	for _, f := range d.Fields {
		v.FieldLabels = append(v.FieldLabels, label(fieldLabels, loc, f))
	}
	return render(loc, "former_member", d.To, v)
}
