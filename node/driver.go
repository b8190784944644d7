package node

import (
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"
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

// Driver serves the Universal Resolver driver API over a DIDResolver.
type Driver struct {
	Resolver DIDResolver
	Metrics  *Metrics
}

// Register adds GET /1.0/identifiers/{did} to r.
func (d *Driver) Register(r *mux.Router) {
	r.HandleFunc("/1.0/identifiers/{did}", d.handle).Methods(http.MethodGet)
}

func (d *Driver) handle(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	raw := mux.Vars(r)["did"]
	if decoded, err := url.PathUnescape(raw); err == nil {
		raw = decoded
	}
	did, fragment, _ := strings.Cut(raw, "#")
	media := negotiate(r.Header.Get("Accept"))
	if media == "" {
		writeDriverError(w, http.StatusNotAcceptable, "representationNotSupported", "supported: "+mediaResolution+", "+mediaDIDLDJSON+", "+mediaDIDJSON+", "+mediaJSON)
		return
	}
	res, err := d.Resolver.Resolve(r.Context(), did)
	if err != nil {
		writeDriverError(w, http.StatusInternalServerError, "internalError", "the node could not read its store")
		return
	}
	d.Metrics.observeResolution("universal", res.Status, time.Since(start))
	switch res.Status {
	case http.StatusOK, http.StatusGone:
	case http.StatusNotFound:
		writeDriverError(w, http.StatusNotFound, "notFound", "DID not found")
		return
	default:
		msg, _ := res.Body.Field("message").Str()
		writeDriverError(w, http.StatusBadRequest, "invalidDid", msg)
		return
	}
	document := res.Body.Field("didDocument")
	metadata := res.Body.Field("didDocumentMetadata")
	if fragment != "" {
		d.dereference(w, document, fragment, media)
		return
	}
	status := http.StatusOK
	if res.Status == http.StatusGone {
		status = http.StatusGone // deactivated: the document is returned with deactivated metadata
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

// dereference returns the verification method or service whose relative id is #fragment.
func (d *Driver) dereference(w http.ResponseWriter, document sidetree.Value, fragment, media string) {
	want := "#" + fragment
	for _, list := range []string{"verificationMethod", "service"} {
		for _, item := range document.Field(list).Elems() {
			if id, _ := item.Field("id").Str(); id == want {
				ct := mediaJSON
				if media == mediaDIDLDJSON || media == mediaResolution {
					ct = mediaDIDLDJSON
				}
				writeMedia(w, http.StatusOK, ct, item.Stringify())
				return
			}
		}
	}
	writeDriverError(w, http.StatusNotFound, "notFound", "the DID document has no verification method or service "+want)
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

// writeDriverError answers a DID Resolution result with only error metadata.
func writeDriverError(w http.ResponseWriter, status int, code, message string) {
	meta := sidetree.Object(sidetree.Member{Key: "error", Value: sidetree.String(code)})
	if message != "" {
		meta.Set("errorMessage", sidetree.String(message))
	}
	body := sidetree.Object(
		sidetree.Member{Key: "@context", Value: sidetree.String(resolutionContext)},
		sidetree.Member{Key: "didDocument", Value: sidetree.Null()},
		sidetree.Member{Key: "didResolutionMetadata", Value: meta},
		sidetree.Member{Key: "didDocumentMetadata", Value: sidetree.Object()},
	)
	writeMedia(w, status, mediaResolution, body.Stringify())
}
