package exchange

import "net/http"

// Handler reports the handler and pattern that would serve r, as http.ServeMux.Handler does: the node's
// OpenAPI test checks its document against the routes mounted here.
func (m *Mux) Handler(r *http.Request) (http.Handler, string) { return m.mux.Handler(r) }
