// Command partner is a small partner script against the ContactGate API:
// it reads the access gate of an account, then adds a technical
// non-emergency contact with optimistic locking (expectedVersion),
// re-reading and re-applying its change when someone else saved first
// (CONFLICT). It uses nothing but net/http and encoding/json.
//
//	CONTACTGATE_URL=http://localhost:8080 CONTACTGATE_TOKEN=cg_… ACCOUNT_ID=… \
//	  go run ./examples/partner ops-oncall@partner.example
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: partner EMAIL (with CONTACTGATE_URL, CONTACTGATE_TOKEN, ACCOUNT_ID set)")
		os.Exit(2)
	}
	c := &Client{URL: os.Getenv("CONTACTGATE_URL"), Token: os.Getenv("CONTACTGATE_TOKEN"), HTTP: &http.Client{Timeout: 30 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := Run(ctx, c, os.Getenv("ACCOUNT_ID"), os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "partner:", err)
		os.Exit(1)
	}
}

// Client calls the GraphQL API with an API token.
type Client struct {
	URL, Token string
	HTTP       *http.Client
}

// GraphQLError is one error of an answer; Code is extensions.code
// (CONFLICT, VALIDATION_FAILED, …).
type GraphQLError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (e *GraphQLError) Error() string { return e.Extensions.Code + ": " + e.Message }

// Do sends one operation and decodes its data into out.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.URL, "/")+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return err
	}
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []*GraphQLError `json:"errors"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("HTTP %d: %s", res.StatusCode, raw)
	}
	if len(answer.Errors) > 0 {
		return answer.Errors[0]
	}
	return json.Unmarshal(answer.Data, out)
}

// Contact is a contact as the API gives and takes it.
type Contact struct {
	Name  *string `json:"name"`
	Email string  `json:"email"`
	Phone *string `json:"phone"`
}

const readQuery = `query Read($account: ID!) {
  accessGate(accountId: $account, environment: SANDBOX) { locked missing }
  account(id: $account) { contactInfo { version technicalNonEmergency { name email phone } } }
}`

const saveMutation = `mutation Save($account: ID!, $version: Int!, $contacts: [ContactInput!]!) {
  updateContactInfo(input: {accountId: $account, environment: SANDBOX, expectedVersion: $version,
                            technicalNonEmergency: $contacts}) {
    account { contactInfo { version } }
  }
}`

// Run prints the gate of the account and makes sure email is among its
// technical non-emergency contacts. A CONFLICT (someone saved between our
// read and our save) re-reads and re-applies the change, up to 5 times.
func Run(ctx context.Context, c *Client, accountID, email string, out io.Writer) error {
	for attempt := 1; attempt <= 5; attempt++ {
		var read struct {
			AccessGate struct {
				Locked  bool
				Missing []string
			}
			Account struct {
				ContactInfo struct {
					Version               int
					TechnicalNonEmergency []Contact
				}
			}
		}
		if err := c.Do(ctx, readQuery, map[string]any{"account": accountID}, &read); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		fmt.Fprintf(out, "sandbox gate: locked=%v missing=%v\n", read.AccessGate.Locked, read.AccessGate.Missing)
		info := read.Account.ContactInfo
		if slices.ContainsFunc(info.TechnicalNonEmergency, func(c Contact) bool { return strings.EqualFold(c.Email, email) }) {
			fmt.Fprintf(out, "%s is already a technical contact (version %d)\n", email, info.Version)
			return nil
		}
		contacts := append(slices.Clone(info.TechnicalNonEmergency), Contact{Email: email})
		var saved struct {
			UpdateContactInfo struct {
				Account struct{ ContactInfo struct{ Version int } }
			}
		}
		err := c.Do(ctx, saveMutation, map[string]any{"account": accountID, "version": info.Version, "contacts": contacts}, &saved)
		var gqlErr *GraphQLError
		if errors.As(err, &gqlErr) && gqlErr.Extensions.Code == "CONFLICT" {
			fmt.Fprintf(out, "version %d was changed by someone else; reading again\n", info.Version)
			continue
		}
		if err != nil {
			return fmt.Errorf("save: %w", err)
		}
		fmt.Fprintf(out, "added %s (version %d)\n", email, saved.UpdateContactInfo.Account.ContactInfo.Version)
		return nil
	}
	return errors.New("gave up after 5 conflicts in a row")
}
