package models

// ValidateEmail checks one email address with the same rules as a contact's
// email and returns it normalised; used for sign-in, invitations and
// account creation.
func ValidateEmail(v *Validation, path, raw string) (string, bool) {
	return validateEmail(v, path, raw)
}
