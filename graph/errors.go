package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/gormstore"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id used in logs and in
// INTERNAL errors.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// ErrorPresenter maps errors to what clients see: domain errors keep their
// code and details; errors gqlgen raises about the request itself (syntax,
// unknown fields, bad argument values) are the caller's; anything else is
// logged and answered as INTERNAL with only the request id.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var domain *models.Error
		if errors.As(err, &domain) {
			gqlErr := graphql.DefaultErrorPresenter(ctx, err)
			gqlErr.Message = domain.Message
			if gqlErr.Message == "" {
				gqlErr.Message = string(domain.Code)
			}
			ext := map[string]any{"code": string(domain.Code)}
			if len(domain.Fields) > 0 {
				ext["fields"] = domain.Fields
			}
			if domain.Reason != "" {
				ext["reason"] = domain.Reason
			}
			if domain.Missing != nil {
				ext["missing"] = domain.Missing
			}
			if domain.Unverified != nil {
				ext["unverified"] = domain.Unverified
			}
			if domain.RetryAfterSeconds > 0 {
				ext["retryAfter"] = domain.RetryAfterSeconds
			}
			gqlErr.Extensions = ext
			return gqlErr
		}
		// PostgreSQL refusing a NUL that no rule checked (in an id or a
		// filter): nothing stored could match it, the caller's mistake.
		if gormstore.TextRefused(err) {
			return &gqlerror.Error{Message: gormstore.ErrTextRefused.Message, Path: graphql.GetPath(ctx),
				Extensions: map[string]any{"code": string(models.EValidation)}}
		}
		// An argument's value that its scalar refuses (a Time that is not
		// RFC 3339) fails while gqlgen decodes the arguments, on the
		// argument's path below the field's: the caller's mistake, told as
		// the scalar tells it.
		if field, msg, ok := argumentError(ctx, err); ok {
			return &gqlerror.Error{Message: "invalid argument value", Path: graphql.GetPath(ctx),
				Extensions: map[string]any{"code": string(models.EValidation),
					"fields": []models.FieldError{{Field: field, Message: msg, Code: models.FieldInvalid}}}}
		}
		// gqlgen's own complaints about the request (parse, validation,
		// variable coercion) carry no Go error; a resolver failure arrives
		// wrapped around one and must not be shown.
		if gqlErr, ok := err.(*gqlerror.Error); ok && gqlErr.Err == nil {
			out := graphql.DefaultErrorPresenter(ctx, err)
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			// The transport's words for a body it cannot decode name Go
			// types and echo the body back.
			if strings.HasPrefix(out.Message, "json request body could not be decoded") ||
				strings.HasPrefix(out.Message, "could not read request body") {
				out.Message = `the request body is not a GraphQL request: send a JSON object {"query": string, "operationName": string, "variables": object, "extensions": object}`
			}
			// gqlgen's parse and validation codes become the contract's
			// VALIDATION_FAILED; the original stays as the reason.
			c, _ := out.Extensions["code"].(string)
			if c == "COMPLEXITY_LIMIT_EXCEEDED" {
				out.Extensions["code"] = string(models.EQueryTooComplex)
			} else if strings.HasPrefix(c, "GRAPHQL_") {
				out.Extensions["reason"] = c
				out.Extensions["code"] = string(models.EValidation)
			}
			if _, ok := out.Extensions["code"]; !ok {
				out.Extensions["code"] = string(models.EValidation)
				if len(out.Path) > 0 {
					out.Extensions["fields"] = []models.FieldError{{Field: out.Path.String(), Message: out.Message, Code: models.FieldInvalid}}
				}
			}
			return out
		}
		id := RequestID(ctx)
		if errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled) {
			// The client went away; every pending field fails the same way
			// (a statement cancelled on the server fails with its own
			// error, which does not wrap the context's).
			log.DebugContext(ctx, "request cancelled", "request_id", id, "error", err)
		} else {
			log.ErrorContext(ctx, "internal error", "request_id", id, "error", err)
		}
		return &gqlerror.Error{
			Message:    fmt.Sprintf("internal error (request %s)", id),
			Path:       graphql.GetPath(ctx),
			Extensions: map[string]any{"code": string(models.EInternal), "requestId": id},
		}
	}
}

// argumentError recognises an error raised while decoding a field's
// arguments: gqlgen puts it on the argument's path, which extends the
// field's own (a resolver's error is on the field's path). It returns the
// argument's path below the field ("input.expiresAt") and the scalar's
// words.
func argumentError(ctx context.Context, err error) (field, msg string, ok bool) {
	gqlErr, isGQL := err.(*gqlerror.Error)
	if !isGQL || gqlErr.Err == nil {
		return "", "", false
	}
	var domain *models.Error
	if errors.As(gqlErr.Err, &domain) {
		return "", "", false
	}
	fieldPath := graphql.GetPath(ctx)
	if len(gqlErr.Path) <= len(fieldPath) {
		return "", "", false
	}
	for i := range fieldPath {
		if fmt.Sprint(gqlErr.Path[i]) != fmt.Sprint(fieldPath[i]) {
			return "", "", false
		}
	}
	below := make([]string, 0, len(gqlErr.Path)-len(fieldPath))
	for _, p := range gqlErr.Path[len(fieldPath):] {
		if i, isIndex := p.(ast.PathIndex); isIndex {
			below = append(below, strconv.Itoa(int(i)))
			continue
		}
		below = append(below, fmt.Sprint(p))
	}
	return strings.Join(below, "."), gqlErr.Err.Error(), true
}

// Recover turns a panic in a resolver into an INTERNAL error, and logs it
// with its stack (the client sees only the request id).
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "request_id", RequestID(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return fmt.Errorf("panic: %v", p)
	}
}
