package models

import (
	"errors"
	"fmt"
)

// ErrorCode is what clients see in a GraphQL error's extensions.code.
type ErrorCode string

const (
	EUnauthenticated     ErrorCode = "UNAUTHENTICATED"
	EForbidden           ErrorCode = "FORBIDDEN"
	ENotFound            ErrorCode = "NOT_FOUND"
	EValidation          ErrorCode = "VALIDATION_FAILED"
	EConflict            ErrorCode = "CONFLICT"
	EContactInfoRequired ErrorCode = "CONTACT_INFO_REQUIRED"
	// EContactUnverified: a launch needs a VERIFIED address in every
	// required field; Unverified lists the fields that have none.
	EContactUnverified ErrorCode = "CONTACT_UNVERIFIED"
	ERateLimited       ErrorCode = "RATE_LIMITED"
	EQueryTooComplex   ErrorCode = "QUERY_TOO_COMPLEX"
	EInternal          ErrorCode = "INTERNAL"
)

// FieldError is one problem with one input, addressed by its path in the
// input, e.g. "technicalEmergency[1].email".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Code is a stable, machine-readable UPPER_SNAKE name of the problem
	// (see the Field* constants), for clients that show their own,
	// translated message instead of Message.
	Code string `json:"code,omitempty"`
}

// Error is a refusal the client may see. Any other error is internal and is
// answered only with INTERNAL and a request id.
type Error struct {
	Code    ErrorCode
	Message string
	// Fields lists every problem of a VALIDATION_FAILED error.
	Fields []FieldError
	// Missing lists the empty fields of a CONTACT_INFO_REQUIRED error.
	Missing []ContactField
	// Unverified lists the fields without a VERIFIED address of a
	// CONTACT_UNVERIFIED error.
	Unverified []ContactField
	// RetryAfterSeconds is set on RATE_LIMITED.
	RetryAfterSeconds int
	// Reason is a stable, machine-readable name of why a CONFLICT or
	// FORBIDDEN was refused (see the Reason* constants), shown as
	// extensions.reason.
	Reason string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Code)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or
// EInternal when there is none.
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Validation collects field problems so that all of them are reported at once.
type Validation struct{ fields []FieldError }

// Add records a problem with the input at path, with the generic code
// FieldInvalid. Prefer AddCode.
func (v *Validation) Add(path, format string, args ...any) {
	v.AddCode(path, FieldInvalid, format, args...)
}

// AddCode records a problem with the input at path, with a machine-readable
// code (one of the Field* constants).
func (v *Validation) AddCode(path, code, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: path, Message: fmt.Sprintf(format, args...), Code: code})
}

// FieldErr returns a VALIDATION_FAILED error with message msg and a single
// field problem.
func FieldErr(msg, path, code, fieldMsg string) *Error {
	return &Error{Code: EValidation, Message: msg, Fields: []FieldError{{Field: path, Message: fieldMsg, Code: code}}}
}

// ErrorWithReason returns an Error with a machine-readable reason and a
// formatted message.
func ErrorWithReason(code ErrorCode, reason, format string, args ...any) *Error {
	e := Errorf(code, format, args...)
	e.Reason = reason
	return e
}

// Err returns a VALIDATION_FAILED error listing every problem, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EValidation, Message: "some fields are not valid", Fields: v.fields}
}

// Fields returns the problems recorded so far.
func (v *Validation) Fields() []FieldError { return v.fields }
