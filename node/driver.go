package node

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
)

// The Universal Resolver driver API (GET /1.0/identifiers/{did}) answers W3C DID Resolution results, or
// only the document, by content negotiation; a DID URL with a fragment is dereferenced to the verification
// method or service it names.
const (
	mediaResolution   = `application/ld+json;profile="https://w3id.org/did-resolution"`
	mediaDIDLDJSON    = "application/did+ld+json"
	mediaDIDJSON      = "application/did+json"
	mediaJSON         = "application/json"
	resolutionContext = "https://w3id.org/did-resolution/v1"
)

// MethodResolver resolves DIDs of any method (*resolver.Dispatcher).
type MethodResolver interface {
	Resolve(ctx context.Context, did string) (*resolver.Result, error)
}

// Driver serves the Universal Resolver driver API: did:ion through Resolver (ION's own resolution, so
// its metadata stays ION's), every other method through Methods when set.
type Driver struct {
	Resolver DIDResolver
	Methods  MethodResolver // optional: did:web, did:key, did:jwk, ...
	Metrics  *Metrics
}

// Register adds GET /1.0/identifiers/{did} to r.
func (d *Driver) Register(r *mux.Router) {
	r.HandleFunc("/1.0/identifiers/{did}", d.handle).Methods(http.MethodGet)
}

func (d *Driver) handle(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	did, fragment, _ := strings.Cut(driverDID(r), "#")
	media := negotiate(r.Header.Get("Accept"))
	if media == "" {
		writeDriverError(w, resolver.CodeRepresentationNotSupported, "supported: "+mediaResolution+", "+mediaDIDLDJSON+", "+mediaDIDJSON+", "+mediaJSON)
		return
	}
	if name, err := resolver.MethodName(did); err == nil && name != "ion" && d.Methods != nil {
		d.handleMethod(w, r, start, did, fragment, media)
		return
	}
	res, err := d.Resolver.Resolve(r.Context(), did)
	if err != nil {
		writeDriverError(w, resolver.CodeInternal, "the node could not read its store")
		return
	}
	d.Metrics.observeResolution("universal", res.Status, time.Since(start))
	cacheDriverResolution(w, res)
	switch code := resolver.IONCode(res.Status); code {
	case "":
	case resolver.CodeNotFound:
		writeDriverError(w, code, "DID not found")
		return
	default:
		msg, _ := res.Body.Field("message").Str()
		writeDriverError(w, code, msg)
		return
	}
	document := res.Body.Field("didDocument")
	metadata := res.Body.Field("didDocumentMetadata")
	status := http.StatusOK
	if res.Status == http.StatusGone {
		status = http.StatusGone // deactivated: the document is returned with deactivated metadata
	}
	d.write(w, status, did, document, metadata, fragment, media)
}

// handleMethod resolves a DID of another method than ion through Methods.
func (d *Driver) handleMethod(w http.ResponseWriter, r *http.Request, start time.Time, did, fragment, media string) {
	res, err := d.Methods.Resolve(r.Context(), did)
	status := resolver.HTTPStatusOf(err)
	d.Metrics.observeResolution("universal", status, time.Since(start))
	var rerr *resolver.Error
	switch {
	case err == nil:
	case errors.Is(err, resolver.ErrDeactivated) && res != nil && res.Document != nil:
		// deactivated: the document is returned, with the status of the error
	case errors.As(err, &rerr):
		writeDriverError(w, rerr.Code, rerr.Message)
		return
	default:
		writeDriverError(w, resolver.CodeInternal, err.Error())
		return
	}
	document, perr := sidetree.ParseJSON(res.Document.Raw)
	metadata := sidetree.Object()
	if perr == nil && len(res.Metadata.Raw) > 0 {
		metadata, perr = sidetree.ParseJSON(res.Metadata.Raw)
	} else if res.Metadata.Deactivated {
		metadata.Set("deactivated", sidetree.Bool(true))
	}
	if perr != nil {
		writeDriverError(w, resolver.CodeInternal, "unreadable DID document")
		return
	}
	d.write(w, status, did, document, metadata, fragment, media)
}

// write answers a resolved document in the negotiated representation, or the part a fragment names.
func (d *Driver) write(w http.ResponseWriter, status int, did string, document, metadata sidetree.Value, fragment, media string) {
	if fragment != "" {
		d.dereference(w, did, document, fragment, media)
		return
	}
	switch media {
	case mediaDIDLDJSON, mediaDIDJSON:
		writeMedia(w, status, media, document.Stringify())
	default:
		body := sidetree.Object(
			sidetree.Member{Key: "@context", Value: sidetree.String(resolutionContext)},
			sidetree.Member{Key: "didDocument", Value: document},
			sidetree.Member{Key: "didResolutionMetadata", Value: sidetree.Object(sidetree.Member{Key: "contentType", Value: sidetree.String(mediaDIDLDJSON)})},
			sidetree.Member{Key: "didDocumentMetadata", Value: metadata},
		)
		writeMedia(w, status, contentTypeFor(media), body.Stringify())
	}
}

// driverDID reads the DID (URL) from the request path. Clients either escape it
// (did%3Aweb%3Aexample.com%253A8443 as encodeURIComponent writes it, did:web:example.com%253A8443 as
// Go's url.PathEscape does), or put it in the path as it is (did:web:example.com%3A8443), where its
// percent-encoding belongs to the DID and only a fragment's "#" is escaped. The escaped path tells
// them apart (an escaped "%" or ":"); the decoded one cannot.
func driverDID(r *http.Request) string { return pathDID(r, "/1.0/identifiers/") }

// pathDID is driverDID for a route whose DID follows prefix.
func pathDID(r *http.Request, prefix string) string {
	raw, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !ok {
		raw = mux.Vars(r)["did"]
	}
	if strings.HasPrefix(raw, "did:") && !strings.Contains(raw, "%25") {
		return strings.ReplaceAll(raw, "%23", "#")
	}
	if decoded, err := url.PathUnescape(raw); err == nil {
		return decoded
	}
	return raw
}

// dereference returns the verification method or service whose id is #fragment (relative, as ION
// writes ids, or absolute, as did:web documents usually do).
func (d *Driver) dereference(w http.ResponseWriter, did string, document sidetree.Value, fragment, media string) {
	want := "#" + fragment
	for _, list := range []string{"verificationMethod", "service"} {
		for _, item := range document.Field(list).Elems() {
			if id, _ := item.Field("id").Str(); id == want || id == did+want {
				ct := mediaJSON
				if media == mediaDIDLDJSON || media == mediaResolution {
					ct = mediaDIDLDJSON
				}
				writeMedia(w, http.StatusOK, ct, item.Stringify())
				return
			}
		}
	}
	writeDriverError(w, resolver.CodeNotFound, "the DID document has no verification method or service "+want)
}

// negotiate picks the representation from an Accept header; "" when none is acceptable.
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaResolution
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/ld+json":
			if strings.Contains(params["profile"], "https://w3id.org/did-resolution") {
				return mediaResolution
			}
			return mediaDIDLDJSON
		case mediaDIDLDJSON, mediaDIDJSON, mediaJSON:
			return mt
		case "application/did-resolution", "*/*", "application/*":
			return mediaResolution
		}
	}
	return ""
}

func contentTypeFor(media string) string {
	if media == mediaJSON {
		return mediaJSON
	}
	return mediaResolution
}

func writeMedia(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeDriverError answers a DID Resolution result with only error metadata, with the code's status.
func writeDriverError(w http.ResponseWriter, code resolver.Code, message string) {
	meta := sidetree.Object(sidetree.Member{Key: "error", Value: sidetree.String(string(code))})
	if message != "" {
		meta.Set("errorMessage", sidetree.String(message))
	}
	body := sidetree.Object(
		sidetree.Member{Key: "@context", Value: sidetree.String(resolutionContext)},
		sidetree.Member{Key: "didDocument", Value: sidetree.Null()},
		sidetree.Member{Key: "didResolutionMetadata", Value: meta},
		sidetree.Member{Key: "didDocumentMetadata", Value: sidetree.Object()},
	)
	writeMedia(w, code.HTTPStatus(), mediaResolution, body.Stringify())
}
