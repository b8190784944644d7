package kubo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
)

// rpcServer answers the three RPC commands the client uses the way Kubo's
// RPC API documents and Kubo 0.43 (core/commands/add.go, cat.go) answers
// them: POST only, newline-delimited JSON from add, raw bytes from cat
// (at most `length`), errors as HTTP 500 with {"Message","Code","Type"}, and
// a failure after the headers went out as the X-Stream-Error trailer. It runs
// in CI, where no Kubo binary exists; TestKuboDaemon checks the same client
// against a real daemon when one does.
type rpcServer struct {
	t        *testing.T
	mu       sync.Mutex
	files    map[string][]byte
	requests atomic.Int64
	pins     atomic.Int64
	// addHash, when set, replaces the CID add answers (a node whose Import
	// settings differ from the defaults).
	addHash string
	// broken is a CID whose stream breaks half-way.
	broken string
}

const (
	missingCID = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH" // "block not found" right away
)

func newRPCServer(t *testing.T) (*rpcServer, *Client) {
	s := &rpcServer{t: t, files: map[string][]byte{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func apiError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "{\"Message\":%q,\"Code\":0,\"Type\":\"error\"}\n", msg)
}

func (s *rpcServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	switch r.URL.Path {
	case "/api/v0/add":
		for k, want := range map[string]string{"cid-version": "0", "chunker": "size-262144", "raw-leaves": "false", "pin": "true"} {
			if got := q.Get(k); got != want {
				apiError(w, fmt.Sprintf("test server: %s=%q, want %q", k, got, want))
				return
			}
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			apiError(w, err.Error())
			return
		}
		data, _ := io.ReadAll(f)
		id, err := cas.ComputeCID(data)
		if err != nil {
			apiError(w, err.Error())
			return
		}
		s.mu.Lock()
		s.files[id] = data
		if s.addHash != "" {
			id = s.addHash
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"Name\":\"file\",\"Hash\":%q,\"Size\":\"%d\"}\n", id, len(data))
	case "/api/v0/cat":
		id := q.Get("arg")
		length, err := strconv.ParseInt(q.Get("length"), 10, 64)
		if err != nil || length <= 0 {
			apiError(w, "test server: want a positive length")
			return
		}
		switch id {
		case emptyDirCID:
			apiError(w, "this dag node is a directory")
			return
		case missingCID:
			apiError(w, "block was not found locally (offline): ipld: could not find "+id)
			return
		}
		s.mu.Lock()
		data, ok := s.files[id]
		s.mu.Unlock()
		if !ok {
			<-r.Context().Done() // Kubo keeps asking the network until the client gives up
			return
		}
		data = data[:min(int64(len(data)), length)]
		w.Header().Set("Trailer", "X-Stream-Error")
		w.Header().Set("X-Stream-Output", "1")
		w.Header().Set("X-Content-Length", strconv.Itoa(len(data)))
		w.Header().Set("Content-Type", "text/plain")
		s.mu.Lock()
		broken := id == s.broken
		s.mu.Unlock()
		if broken {
			w.Write(data[:len(data)/2])
			w.Header().Set("X-Stream-Error", "context deadline exceeded")
			return
		}
		w.Write(data)
	case "/api/v0/pin/add":
		s.pins.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"Pins\":[%q]}\n", q.Get("arg"))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func TestClientAgainstRPC(t *testing.T) {
	s, c := newRPCServer(t)
	ctx := context.Background()
	for _, g := range goldens {
		got, err := c.Put(ctx, g.data)
		if err != nil || got != g.cid {
			t.Fatalf("%s: Put = %s, %v; want %s", g.name, got, err, g.cid)
		}
		data, err := c.Get(ctx, g.cid, int64(len(g.data)))
		if err != nil || !bytes.Equal(data, g.data) {
			t.Fatalf("%s: Get = %d bytes, %v", g.name, len(data), err)
		}
	}
	if got := s.pins.Load(); got != int64(len(goldens)) {
		t.Errorf("%d pins after %d reads", got, len(goldens))
	}

	big := goldens[len(goldens)-1]
	for _, tt := range []struct {
		name    string
		cid     string
		maxSize int64
		want    error
	}{
		{"too large", big.cid, int64(len(big.data)) - 1, cas.ErrTooLarge},
		{"zero max", big.cid, 0, cas.ErrTooLarge},
		{"directory", emptyDirCID, 100, cas.ErrNotAFile},
		{"not found answer", missingCID, 100, cas.ErrNotFound},
		{"not found before deadline", unknownCID, 100, cas.ErrNotFound},
		{"stream broke", "", 100, cas.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cid == "" {
				id, err := c.Put(ctx, []byte("this stream breaks half-way"))
				if err != nil {
					t.Fatal(err)
				}
				s.mu.Lock()
				s.broken = id
				s.mu.Unlock()
				tt.cid = id
			}
			timeout := 10 * time.Second // answered at once by the test server
			if tt.cid == unknownCID {
				timeout = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			data, err := c.Get(ctx, tt.cid, tt.maxSize)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get(%s, %d) = %d bytes, %v; want %v", tt.cid, tt.maxSize, len(data), err, tt.want)
			}
		})
	}

	t.Run("invalid CID makes no request", func(t *testing.T) {
		before := s.requests.Load()
		for _, bad := range []string{"", "Qm", "not a cid", "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"} {
			if _, err := c.Get(ctx, bad, 100); !errors.Is(err, cas.ErrInvalidCID) {
				t.Errorf("Get(%q): %v, want ErrInvalidCID", bad, err)
			}
		}
		if s.requests.Load() != before {
			t.Error("invalid CIDs reached the node")
		}
	})

	t.Run("node with other import settings", func(t *testing.T) {
		s.mu.Lock()
		s.addHash = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.addHash = ""; s.mu.Unlock() }()
		if id, err := c.Put(ctx, []byte("hello world\n")); err == nil {
			t.Fatalf("Put accepted %s from a node that does not import as ipfs add defaults", id)
		}
	})
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:5001", "ftp://x", "http://", "://"} {
		if _, err := New(u, nil); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
}
