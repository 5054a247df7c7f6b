package models

// Machine-readable codes of field problems (FieldError.Code). They are part
// of the API contract: never rename one; add new ones instead. Limits a
// message mentions (e.g. "at most 10 contacts") are not repeated: they are
// the documented limits of the field.
const (
	FieldInvalid                = "INVALID" // generic; also gqlgen's argument coercion
	FieldRequired               = "REQUIRED"
	FieldTooLong                = "TOO_LONG"
	FieldInvalidUTF8            = "INVALID_UTF8"
	FieldControlCharacters      = "CONTROL_CHARACTERS"
	FieldInvisibleCharacters    = "INVISIBLE_CHARACTERS"
	FieldEmailInvalid           = "EMAIL_INVALID"
	FieldEmailTooLong           = "EMAIL_TOO_LONG"
	FieldEmailLocalTooLong      = "EMAIL_LOCAL_PART_TOO_LONG"
	FieldEmailAddressOnly       = "EMAIL_ADDRESS_ONLY"
	FieldEmailDomainInvalid     = "EMAIL_DOMAIN_INVALID"
	FieldDuplicateEmail         = "DUPLICATE_EMAIL"
	FieldNameTooLong            = "NAME_TOO_LONG"
	FieldPhoneCharacters        = "PHONE_CHARACTERS"
	FieldPhoneNeedsCountryCode  = "PHONE_NEEDS_COUNTRY_CODE"
	FieldPhoneInvalid           = "PHONE_INVALID"
	FieldTooMany                = "TOO_MANY"
	FieldWindowsWithAlwaysOpen  = "WINDOWS_WITH_ALWAYS_OPEN"
	FieldWindowEmpty            = "WINDOW_EMPTY"
	FieldNoDays                 = "NO_DAYS"
	FieldDayUnknown             = "DAY_UNKNOWN"
	FieldDuplicateDay           = "DUPLICATE_DAY"
	FieldTimeInvalid            = "TIME_INVALID"
	FieldSameOpenClose          = "SAME_OPEN_CLOSE"
	FieldTimeZoneUnknown        = "TIME_ZONE_UNKNOWN"
	FieldEnvironmentInvalid     = "ENVIRONMENT_INVALID"
	FieldVersionNegative        = "VERSION_NEGATIVE"
	FieldMerchantUnavailable    = "MERCHANT_UNAVAILABLE"
	FieldAlertProductionOnly    = "ALERT_CONTACTS_PRODUCTION_ONLY"
	FieldDuplicateMember        = "DUPLICATE_MEMBER"
	FieldNotAMember             = "NOT_A_MEMBER"
	FieldPasswordTooShort       = "PASSWORD_TOO_SHORT"
	FieldPasswordTooLong        = "PASSWORD_TOO_LONG"
	FieldPasswordBlank          = "PASSWORD_BLANK"  // only spaces
	FieldPasswordCommon         = "PASSWORD_COMMON" // on the list of common passwords
	FieldRoleInvalid            = "ROLE_INVALID"
	FieldAlreadyMember          = "ALREADY_MEMBER"
	FieldStaffNotInvitable      = "STAFF_NOT_INVITABLE" // platform staff already read every account
	FieldUnknownIntegrationType = "UNKNOWN_INTEGRATION_TYPE"
	FieldDuplicateIntegration   = "DUPLICATE_INTEGRATION_TYPE"
	FieldLanguageUnsupported    = "LANGUAGE_UNSUPPORTED"
	FieldCursorInvalid          = "CURSOR_INVALID"
)

// Machine-readable reasons of refusals that are not about one field
// (Error.Reason, shown as extensions.reason).
const (
	ReasonLastAdministrator = "LAST_ADMINISTRATOR"
	ReasonOnlyAlertContact  = "ONLY_ALERT_CONTACT"
	ReasonOwnRole           = "OWN_ROLE"
	// Accepting an invitation for an email that already has a user.
	ReasonSignInRequired        = "SIGN_IN_REQUIRED"
	ReasonWrongPassword         = "WRONG_PASSWORD"
	ReasonSignedInAsAnotherUser = "SIGNED_IN_AS_ANOTHER_USER"
	// ReasonLinkInvalid: a verification or test link that is unknown,
	// used, expired, tampered with, or for an address removed since (one
	// answer for all, NOT_FOUND).
	ReasonLinkInvalid = "LINK_INVALID"
	// ReasonAlreadyVerified: a verification resent to a VERIFIED address
	// (CONFLICT).
	ReasonAlreadyVerified = "ALREADY_VERIFIED"
	// ReasonContactMailQuota: the account's mails to its contact
	// addresses (verifications and tests) of the last 24 hours are used
	// up (RATE_LIMITED, with retryAfter).
	ReasonContactMailQuota = "CONTACT_MAIL_QUOTA"
)

// Reasons of requests refused for how they reach the API.
const (
	// ReasonIntrospectionDisabled: __schema or __type while introspection
	// is off.
	ReasonIntrospectionDisabled = "INTROSPECTION_DISABLED"
	// ReasonSubscriptionsOnly: a query or mutation over the websocket,
	// which carries subscriptions only.
	ReasonSubscriptionsOnly = "WEBSOCKET_SUBSCRIPTIONS_ONLY"
	// ReasonWebsocketOnly: a subscription over POST.
	ReasonWebsocketOnly = "SUBSCRIPTION_NEEDS_WEBSOCKET"
)
