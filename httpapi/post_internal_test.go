package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseMatchesJSONMarshal: the POST transport writes a
// response as gqlgen's own transport (json.Marshal) does, byte for byte.
func TestWriteResponseMatchesJSONMarshal(t *testing.T) {
	yes := true
	for _, resp := range []*graphql.Response{
		nil,
		{Data: json.RawMessage(`{"a":"plain","b":[1,2,{"c":null}],"d":true}`)},
		{Data: json.RawMessage(`{"name":"Caffè \"Luna\" \\ <b>&</b> ☕\t\u0001` + "\u2028\u2029" + `x"}`)},
		{Data: json.RawMessage("{\"bad\":\"\xff\xfe<\xe2\x80\"}")},
		{Data: json.RawMessage(`{"s":"` + "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa" + `"}`)},
		{Data: nil, Errors: gqlerror.List{{Message: "no <access> & more", Path: ast.Path{ast.PathName("a"), ast.PathIndex(1)},
			Extensions: map[string]any{"code": "FORBIDDEN", "fields": []map[string]any{{"field": "x<y"}}}}}},
		{Data: json.RawMessage(`null`), Errors: gqlerror.List{{Message: "one"}, {Message: "two"}}},
		{Data: json.RawMessage(`{}`), Extensions: map[string]any{"x": 1}},
		{Data: json.RawMessage(`{}`), HasNext: &yes, Label: "l"},
	} {
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		writeResponse(&got, resp)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("writeResponse:\n got  %s\n want %s", got.Bytes(), want)
		}
	}
}

// TestAnswersPlainJSON follows gqlgen's choice of response content type.
func TestAnswersPlainJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"": true, "*/*": true, "application/json": true, "application/*": true, "text/html, application/json": true,
		"application/graphql-response+json": false, "application/graphql-response+json, application/json": false,
		"text/html": false, "garbage;;": false,
	} {
		if got := answersPlainJSON(accept); got != want {
			t.Errorf("answersPlainJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

// FuzzWriteHTMLEscaped holds writeHTMLEscaped to encoding/json's own
// HTML escaping, for any bytes (valid UTF-8 or not).
func FuzzWriteHTMLEscaped(f *testing.F) {
	for _, s := range []string{"", "plain", "<b>&amp;</b>", "\u2028\u2029\u202a", "\xe2\x80", "\xe2", "x\xe2\x80\xa8", "\xff<\xe2\x80\xa9>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var want, got bytes.Buffer
		json.HTMLEscape(&want, src)
		writeHTMLEscaped(&got, src)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("writeHTMLEscaped(%q) = %q, json.HTMLEscape %q", src, got.Bytes(), want.Bytes())
		}
	})
}
