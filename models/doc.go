// Package models holds ContactGate's domain: the types every other package
// speaks in, the error codes clients see, and the pure rules (validation,
// the access gate, support hours) that need no storage.
//
// It imports nothing from the rest of the module and nothing that talks to
// the network or a database.
package models
