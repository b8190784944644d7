package resolver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// Method resolves the DIDs of one method.
type Method interface {
	Resolve(ctx context.Context, did string) (*Result, error)
}

// Dispatcher resolves a DID with the Method registered for its method name ("ion", "web", "key", "jwk").
type Dispatcher struct {
	Methods map[string]Method
	Logger  *slog.Logger // optional
}

// MethodName returns the method of a DID ("did:web:example.com" → "web"), checking DID syntax far
// enough to route it: the "did:" scheme and a method name of lowercase letters and digits.
func MethodName(did string) (string, error) {
	rest, ok := strings.CutPrefix(did, "did:")
	if !ok {
		return "", Errorf(CodeInvalidDID, "%q is not a DID", truncate(did))
	}
	name, id, ok := strings.Cut(rest, ":")
	if !ok || name == "" || id == "" {
		return "", Errorf(CodeInvalidDID, "%q has no method-specific id", truncate(did))
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return "", Errorf(CodeInvalidDID, "invalid method name in %q", truncate(did))
		}
	}
	return name, nil
}

func truncate(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

// Resolve resolves a DID (not a DID URL: strip any fragment first, see SplitDIDURL).
func (d *Dispatcher) Resolve(ctx context.Context, did string) (*Result, error) {
	name, err := MethodName(did)
	if err != nil {
		return nil, err
	}
	m, ok := d.Methods[name]
	if !ok {
		return nil, Errorf(CodeMethodNotSupported, "method %q is not supported", name)
	}
	res, err := m.Resolve(ctx, did)
	if err != nil && d.Logger != nil {
		d.Logger.DebugContext(ctx, "DID resolution failed", "did", truncate(did), "err", err)
	}
	return res, err
}

// SplitDIDURL splits a DID URL into the DID and the rest (path, query and fragment, with their leading
// delimiter).
func SplitDIDURL(didURL string) (did, rest string) {
	if i := strings.IndexAny(didURL, "/?#"); i >= 0 {
		return didURL[:i], didURL[i:]
	}
	return didURL, ""
}

// IONResolver is what the dispatcher needs of the did:ion resolver (*ion.Resolver).
type IONResolver interface {
	Resolve(ctx context.Context, did string) (sidetree.Resolution, error)
}

// ION adapts a did:ion resolver to Method, mapping ION's statuses to resolution errors: 404 → notFound,
// 400 → invalidDid, 410 → the document with deactivated set and ErrDeactivated.
func ION(r IONResolver) Method { return ionMethod{r} }

type ionMethod struct{ r IONResolver }

func (m ionMethod) Resolve(ctx context.Context, did string) (*Result, error) {
	res, err := m.r.Resolve(ctx, did)
	if err != nil {
		return nil, &Error{Code: CodeInternal, Message: "did:ion resolution failed", Err: err}
	}
	switch IONCode(res.Status) {
	case "":
	case CodeNotFound:
		return nil, Errorf(CodeNotFound, "%s not found", truncate(did))
	case CodeInvalidDID:
		return nil, Errorf(CodeInvalidDID, "%s", res.Body.Stringify())
	default:
		return nil, Errorf(CodeInternal, "did:ion resolution status %d", res.Status)
	}
	// The two members are serialized apart: the whole body serialized and parsed again only to split
	// it would double the JSON work of every did:ion verification.
	doc, err := ParseDocument(res.Body.Field("didDocument").Stringify())
	if err != nil {
		return nil, Errorf(CodeInternal, "did:ion document: %w", err)
	}
	out := &Result{Document: doc}
	if meta := res.Body.Field("didDocumentMetadata"); !meta.IsUndefined() {
		raw := json.RawMessage(meta.Stringify())
		if err := json.Unmarshal(raw, &out.Metadata); err != nil {
			return nil, Errorf(CodeInternal, "did:ion document metadata: %w", err)
		}
		out.Metadata.Raw = raw
	}
	if res.Status == 410 || out.Metadata.Deactivated {
		out.Metadata.Deactivated = true
		return out, Errorf(CodeDeactivated, "%s is deactivated", truncate(did))
	}
	return out, nil
}

// IONCode is the resolution error code of an ION resolution status: "" for 200 and 410 (both carry a
// document), notFound for 404, invalidDid for 400, internalError for any other.
func IONCode(status int) Code {
	switch status {
	case http.StatusOK, http.StatusGone:
		return ""
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusBadRequest:
		return CodeInvalidDID
	}
	return CodeInternal
}

// ResultJSON is a W3C DID Resolution result body for a Result or an error, as resolution endpoints write
// it.
func ResultJSON(res *Result, err error) []byte {
	type body struct {
		Context             string          `json:"@context"`
		DIDDocument         json.RawMessage `json:"didDocument"`
		DIDResolutionMeta   map[string]any  `json:"didResolutionMetadata"`
		DIDDocumentMetadata json.RawMessage `json:"didDocumentMetadata"`
	}
	b := body{Context: "https://w3id.org/did-resolution/v1", DIDDocument: json.RawMessage("null"),
		DIDResolutionMeta: map[string]any{"contentType": "application/did+ld+json"}, DIDDocumentMetadata: json.RawMessage("{}")}
	if res != nil && res.Document != nil {
		b.DIDDocument = res.Document.Raw
		if len(res.Metadata.Raw) > 0 {
			b.DIDDocumentMetadata = res.Metadata.Raw
		} else if res.Metadata.Deactivated {
			b.DIDDocumentMetadata = json.RawMessage(`{"deactivated":true}`)
		}
	}
	if err != nil {
		b.DIDResolutionMeta = map[string]any{"error": string(CodeOf(err)), "errorMessage": err.Error()}
	}
	out, mErr := json.Marshal(b)
	if mErr != nil { // a Document built by hand with invalid Raw
		return fmt.Appendf(nil, `{"@context":"https://w3id.org/did-resolution/v1","didDocument":null,`+
			`"didResolutionMetadata":{"error":"internalError"},"didDocumentMetadata":{}}`)
	}
	return out
}
