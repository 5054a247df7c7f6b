package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postTransport is gqlgen's transport.POST (v0.17.98, http_post.go: the
// same request decoding, content type, status codes and errors) with one
// change: the response is written by writeResponse. gqlgen writes it with
// json.Marshal, which re-parses and re-compacts the whole of the data the
// executor has just written compactly (a tenth of a staff page's CPU);
// writeResponse writes the same bytes without that pass
// (TestWriteResponseMatchesJSONMarshal).
type postTransport struct{}

var _ graphql.Transport = postTransport{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	return r.Method == http.MethodPost && mediaType == "application/json"
}

var (
	contentTypeJSON          = []string{"application/json"}
	contentTypeGraphQLJSON   = []string{"application/graphql-response+json"}
	rawParamsPool            = sync.Pool{New: func() any { return &graphql.RawParams{} }}
	graphQLResponseMediaType = "application/graphql-response+json"
)

// answersPlainJSON tells whether gqlgen's POST transport answers a request
// with this Accept header as application/json (and its status codes),
// rather than application/graphql-response+json: no Accept, or the first
// media type it knows in the list is application/json, application/* or */*.
func answersPlainJSON(accept string) bool {
	if accept == "" {
		return true
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", "application/json":
			return true
		case graphQLResponseMediaType:
			return false
		}
	}
	return false
}

func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	plain := answersPlainJSON(r.Header.Get("Accept"))
	if plain {
		w.Header()["Content-Type"] = contentTypeJSON
	} else {
		w.Header()["Content-Type"] = contentTypeGraphQLJSON
	}
	params := rawParamsPool.Get().(*graphql.RawParams)
	defer func() {
		*params = graphql.RawParams{}
		rawParamsPool.Put(params)
	}()
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		gqlErr := gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, string(body))
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlErr}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if !plain {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// writeResponse writes resp as json.Marshal(resp) does. The executor's data
// is already compact JSON; json.Marshal would only escape <, >, & and the
// line and paragraph separators in it for embedding in HTML, which
// writeHTMLEscaped does in one pass, writing the unescaped runs straight
// from the data. A response with incremental-delivery
// fields or extensions is left to json.Marshal.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil {
		_, _ = w.Write([]byte("null"))
		return
	}
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil || len(resp.Extensions) > 0 {
		b, err := json.Marshal(resp)
		if err != nil {
			panic(fmt.Errorf("unable to marshal %s: %w", string(resp.Data), err))
		}
		_, _ = w.Write(b)
		return
	}
	var head [16]byte
	buf := append(head[:0], '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			panic(fmt.Errorf("unable to marshal errors: %w", err))
		}
		buf = append(buf, `"errors":`...)
		buf = append(append(buf, errs...), ',')
	}
	buf = append(buf, `"data":`...)
	if resp.Data == nil {
		_, _ = w.Write(append(buf, "null}"...))
		return
	}
	_, _ = w.Write(buf)
	writeHTMLEscaped(w, resp.Data)
	_, _ = w.Write([]byte{'}'})
}

// writeHTMLEscaped writes src with encoding/json's HTML escaping, the
// unescaped runs straight from src. It walks bytes, not runes: the bytes
// it looks for ('<', '>', '&' and 0xE2, the lead byte of U+2028 and
// U+2029) are never a continuation byte of UTF-8, so a byte-by-byte walk
// finds exactly what a rune-by-rune one finds, at a table lookup a byte.
func writeHTMLEscaped(w io.Writer, src []byte) {
	const hex = "0123456789abcdef"
	var esc [6]byte
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !htmlSpecial[c] {
			continue
		}
		var e []byte
		n := 1
		switch {
		case c != 0xE2:
			e = append(esc[:0], '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			e, n = append(esc[:0], '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF]), 3
		default:
			continue
		}
		if start < i {
			_, _ = w.Write(src[start:i])
		}
		_, _ = w.Write(e)
		i += n - 1
		start = i + 1
	}
	if start < len(src) {
		_, _ = w.Write(src[start:])
	}
}

// htmlSpecial marks the bytes writeHTMLEscaped stops at.
var htmlSpecial = [256]bool{'<': true, '>': true, '&': true, 0xE2: true}
