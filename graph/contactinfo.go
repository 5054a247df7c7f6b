package graph

import "github.com/contactgate/contactgate/models"

// Encoding helpers of the contact info and notification resolvers.

// contactPointers is a list of contacts as GraphQL lists them.
func contactPointers(contacts []models.Contact) []*models.Contact {
	out := make([]*models.Contact, len(contacts))
	for i := range contacts {
		out[i] = &contacts[i]
	}
	return out
}
