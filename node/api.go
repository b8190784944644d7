package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// maxOperationRequestBytes bounds POST /operations bodies. An ION request is a few kilobytes at most (the
// delta is limited to 1,000 canonical bytes); anything far larger is refused before parsing.
const maxOperationRequestBytes = 64 << 10

// ErrAlreadyQueued is returned by an OperationQueue when the DID already has an operation waiting.
var ErrAlreadyQueued = errors.New("an operation for this DID is already queued")

// OperationQueue is where accepted operations wait for the batch writer.
type OperationQueue interface {
	Enqueue(ctx context.Context, didSuffix string, t sidetree.OperationType, request []byte) error
}

// DIDResolver resolves did:ion DIDs to ION's resolution bodies.
type DIDResolver interface {
	Resolve(ctx context.Context, did string) (sidetree.Resolution, error)
}

// Answerer is a DIDResolver that also serves answers serialized, and may keep them between requests
// (ion.Answers does); GET /identifiers/{did} then sends its answer's bytes as they are.
type Answerer interface {
	Answer(ctx context.Context, did string) (*ion.Answer, error)
}

// HeldAnswerer is an Answerer that can tell which of its answers are current without waiting on
// anything (ion.Answers over the embedded store): GET /identifiers serves those without a request
// deadline. AnswerHeld reads did only during the call and keeps no reference to it: FastResolution
// passes a view of the request's buffer, which the connection's next request overwrites.
type HeldAnswerer interface {
	AnswerHeld(did string) (*ion.Answer, bool)
}

// API serves ION's HTTP API: GET /identifiers/{did}, POST /operations, GET /version.
type API struct {
	Network  sidetree.Network
	Resolver DIDResolver
	Queue    OperationQueue // nil: the node accepts no operations (read-only resolver)
	Version  string
	Logger   *slog.Logger
	Metrics  *Metrics // optional
	// Guard protects POST /operations (tokens, rate limits); nil: open.
	Guard *WriteGuard
	// MaxQueueDepth refuses new operations (503) while this many wait to be batched; 0: no cap. It needs
	// a Queue that can report its depth.
	MaxQueueDepth int
	// Log is the anchored operations (optional): a create for a DID already anchored is refused (400
	// did_already_anchored), since it can change nothing and would cost a fee.
	Log OperationReader

	// enqueue makes the queue-depth check and the enqueue one step, so concurrent requests cannot all
	// pass a check of the same depth.
	enqueue sync.Mutex
}

// queueDepther is a queue that can say how many operations wait.
type queueDepther interface {
	QueueDepth(ctx context.Context) (int, error)
}

// Register adds the routes to r; POST /operations refuses every cross-site page (Routes passes its
// CORS origins through register).
func (a *API) Register(r *mux.Router) { a.register(r, nil) }

// register adds the routes; pages of the origins listed may post operations.
func (a *API) register(r *mux.Router, origins []string) {
	r.HandleFunc("/identifiers/{did}", a.handleResolve).Methods(http.MethodGet)
	var post http.Handler = http.HandlerFunc(a.handleOperation)
	if a.Guard != nil {
		post = a.Guard.Wrap(post)
	}
	r.Handle("/operations", writeOrigin(origins, requireJSON(post))).Methods(http.MethodPost)
	r.HandleFunc("/version", a.handleVersion).Methods(http.MethodGet)
}

func (a *API) handleResolve(w http.ResponseWriter, r *http.Request) {
	// did:ion as ION's router decodes it (one decodeURIComponent); any other method with its own
	// percent-encoding kept (did:web:host%3A8443), as the driver API reads it.
	did := mux.Vars(r)["did"]
	if !strings.HasPrefix(did, "did:ion:") {
		did = pathDID(r, "/identifiers/")
	}
	a.resolve(w, r, did)
}

// resolve answers GET /identifiers/{did} for did (from the router or resolveRoute).
func (a *API) resolve(w http.ResponseWriter, r *http.Request, did string) {
	start := time.Now()
	ans, err := a.answer(r.Context(), did)
	if err != nil {
		a.logger().Error("resolution failed", "did", did, "err", err)
		writeError(w, http.StatusInternalServerError, "internal_error", "the node could not read its store")
		return
	}
	a.serveAnswer(w, r, ans, start)
}

// resolveHeld answers GET /identifiers/{did} when the resolver has the answer at hand (HeldAnswerer),
// and reports whether it did.
func (a *API) resolveHeld(w http.ResponseWriter, r *http.Request, did string) bool {
	held, ok := a.Resolver.(HeldAnswerer)
	if !ok {
		return false
	}
	start := time.Now()
	ans, ok := held.AnswerHeld(did)
	if ok {
		a.serveAnswer(w, r, ans, start)
	}
	return ok
}

// serveAnswer writes a resolution's answer (or 304 to a matching conditional request), resolved since
// start.
func (a *API) serveAnswer(w http.ResponseWriter, r *http.Request, ans *ion.Answer, start time.Time) {
	// Once written (net/http copies what it is given and keeps no slice of it), the answer's memory
	// serves the next request.
	defer ans.Release()
	a.Metrics.observeResolution("ion", ans.Status, time.Since(start))
	if cacheResolution(w, r, ans) {
		return
	}
	writeJSON(w, ans.Status, ans.Body)
}

// answer resolves did through the Answerer when the resolver is one.
func (a *API) answer(ctx context.Context, did string) (*ion.Answer, error) {
	if ar, ok := a.Resolver.(Answerer); ok {
		return ar.Answer(ctx, did)
	}
	res, err := a.Resolver.Resolve(ctx, did)
	if err != nil {
		return nil, err
	}
	return ion.NewAnswer(res), nil
}

func (a *API) handleOperation(w http.ResponseWriter, r *http.Request) {
	if a.Queue == nil {
		writeError(w, http.StatusServiceUnavailable, "read_only", "this node does not accept operations")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxOperationRequestBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "request_too_large", fmt.Sprintf("operation requests are limited to %d bytes", maxOperationRequestBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "request_unreadable", "the request body could not be read")
		return
	}
	p := a.Network.Latest()
	op, err := sidetree.ValidateRequest(body, p)
	if err != nil {
		a.Metrics.observeOperation("unknown", "rejected")
		writeJSON(w, http.StatusBadRequest, sidetree.ErrorBody(err).Stringify())
		return
	}
	var created []byte // a create is answered with the DID's resolution result, as the reference answers it
	if op.Type == sidetree.OpCreate {
		state := sidetree.ApplyParsed(op, 0, nil)
		if state == nil {
			writeError(w, http.StatusBadRequest, "invalid_create_operation", "Invalid create operation.")
			return
		}
		did := &sidetree.DID{Method: a.Network.Method, Suffix: op.DIDSuffix, ShortForm: "did:" + a.Network.Method + ":" + op.DIDSuffix}
		created = sidetree.AppendResolutionResult(nil, state, did, false)
		anchored, err := a.anchoredCreate(r.Context(), op.DIDSuffix)
		if err != nil {
			a.logger().Error("reading a DID's operations failed", "suffix", op.DIDSuffix, "err", err)
			writeError(w, http.StatusInternalServerError, "internal_error", "the node could not read its store")
			return
		}
		if anchored {
			a.Metrics.observeOperation(string(op.Type), "rejected")
			writeError(w, http.StatusBadRequest, "did_already_anchored", fmt.Sprintf("DID '%s' is already anchored; another create can change nothing.", op.DIDSuffix))
			return
		}
	}
	full, err := a.enqueueBelowCap(r.Context(), op, body)
	if full {
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusServiceUnavailable, "queue_full", "the node's operation queue is full; retry later")
		return
	}
	if err != nil {
		if errors.Is(err, ErrAlreadyQueued) {
			a.Metrics.observeOperation(string(op.Type), "rejected")
			msg := fmt.Sprintf("An operation request already exists in queue for DID '%s', only one is allowed at a time.", op.DIDSuffix)
			writeError(w, http.StatusBadRequest, string(sidetree.CodeQueueingMultipleOperationsPerDidNotAllowed), msg)
			return
		}
		a.logger().Error("queueing an operation failed", "type", op.Type, "suffix", op.DIDSuffix, "err", err)
		writeError(w, http.StatusInternalServerError, "internal_error", "the operation could not be queued")
		return
	}
	a.Metrics.observeOperation(string(op.Type), "queued")
	a.logger().Info("operation queued", "type", op.Type, "suffix", op.DIDSuffix)
	if op.Type == sidetree.OpCreate {
		writeJSON(w, http.StatusOK, created)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// anchoredCreate reports whether a create for the DID is anchored and applies (the first create wins,
// so a later one is ignored by every resolver).
func (a *API) anchoredCreate(ctx context.Context, suffix string) (bool, error) {
	if a.Log == nil {
		return false, nil
	}
	ops, _, err := a.Log.Operations(ctx, suffix)
	if err != nil {
		return false, err
	}
	for _, op := range ops {
		if op.Type == sidetree.OpCreate && sidetree.Apply(op, nil) != nil {
			return true, nil
		}
	}
	return false, nil
}

// enqueueBelowCap queues the operation unless MaxQueueDepth operations wait (full).
func (a *API) enqueueBelowCap(ctx context.Context, op *sidetree.Operation, body []byte) (full bool, err error) {
	if a.MaxQueueDepth > 0 {
		if q, ok := a.Queue.(queueDepther); ok {
			a.enqueue.Lock()
			defer a.enqueue.Unlock()
			if depth, err := q.QueueDepth(ctx); err == nil && depth >= a.MaxQueueDepth {
				return true, nil
			}
		}
	}
	return false, a.Queue.Enqueue(ctx, op.DIDSuffix, op.Type, body)
}

func (a *API) handleVersion(w http.ResponseWriter, _ *http.Request) {
	body := sidetree.Object(
		sidetree.Member{Key: "name", Value: sidetree.String("ionode")},
		sidetree.Member{Key: "version", Value: sidetree.String(a.Version)},
		sidetree.Member{Key: "network", Value: sidetree.String(a.Network.Name)},
		sidetree.Member{Key: "didMethod", Value: sidetree.String(a.Network.Method)},
		sidetree.Member{Key: "protocolVersion", Value: sidetree.String(a.Network.Latest().Version)},
	)
	writeJSON(w, http.StatusOK, body.Stringify())
}

func (a *API) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError writes ION's error body {code, message}.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody(code, message))
}

func errorBody(code, message string) []byte {
	return sidetree.Object(sidetree.Member{Key: "code", Value: sidetree.String(code)}, sidetree.Member{Key: "message", Value: sidetree.String(message)}).Stringify()
}
