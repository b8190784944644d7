package node

import (
	"bytes"
	_ "embed"
	"net/http"

	"github.com/gorilla/mux"
)

// openAPIDocument describes every route the node serves (OpenAPI 3.1). TestOpenAPIMatchesRoutes walks
// the router and fails when a route is missing from it or it lists one the node does not have.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the node's OpenAPI document.
func OpenAPIDocument() []byte { return bytes.Clone(openAPIDocument) }

func registerOpenAPI(r *mux.Router) {
	r.HandleFunc("/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		writeJSON(w, http.StatusOK, openAPIDocument)
	}).Methods(http.MethodGet)
}
