package kubo

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
)

// Seeds beside these live in testdata/fuzz/<target>/.

// FuzzAddedHash parses arbitrary add answers: a Hash or an error, no panic.
func FuzzAddedHash(f *testing.F) {
	f.Add([]byte(`{"Name":"file","Hash":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","Size":"20"}` + "\n"))
	f.Add([]byte(`{"Name":"file","Bytes":262144}` + "\n" + `{"Name":"file","Hash":"QmZRZYEtyYsJWDc4bCne5vmXzndMefW6W7Gx1zLmw67QuT","Size":"262171"}` + "\n"))
	f.Add([]byte(`{"Message":"unexpected EOF","Code":0,"Type":"error"}`))
	f.Add([]byte("{\"Hash\":1}"))
	f.Fuzz(func(t *testing.T, answer []byte) {
		hash, err := addedHash(bytes.NewReader(answer))
		if err == nil && hash == "" {
			t.Fatal("no error and no hash")
		}
	})
}

// FuzzCatAnswer serves arbitrary cat answers (status, body, stream error
// trailer) to Get: it returns the body only when the answer was a complete
// success within the limit, and otherwise one of the sentinels.
func FuzzCatAnswer(f *testing.F) {
	f.Add(200, []byte("hello world\n"), "", int64(12))
	f.Add(200, []byte("hello world\n"), "", int64(11))
	f.Add(200, []byte("hello"), "context canceled", int64(100))
	f.Add(500, []byte(`{"Message":"this dag node is a directory","Code":0,"Type":"error"}`), "", int64(10))
	f.Add(500, []byte(`{"Message":"this dag node is not a regular file","Code":0,"Type":"error"}`), "", int64(10))
	f.Add(500, []byte(`{"Message":"block was not found locally (offline)","Code":0,"Type":"error"}`), "", int64(10))
	f.Add(400, []byte(`not json`), "", int64(10))
	f.Add(404, []byte{}, "", int64(0))

	f.Fuzz(func(t *testing.T, status int, body []byte, streamErr string, maxSize int64) {
		if status < 200 || status > 599 || status == http.StatusSwitchingProtocols || maxSize < 0 || maxSize > 1<<20 {
			return
		}
		if strings.ContainsAny(streamErr, "\r\n\x00") || strings.TrimSpace(streamErr) != streamErr {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v0/pin/add" {
				return
			}
			if got := r.URL.Query().Get("length"); got != strconv.FormatInt(maxSize+1, 10) {
				t.Errorf("length=%s for max %d", got, maxSize)
			}
			w.Header().Set("Trailer", "X-Stream-Error")
			w.WriteHeader(status)
			w.Write(body)
			if streamErr != "" {
				w.Header().Set("X-Stream-Error", streamErr)
			}
		}))
		defer srv.Close()
		c, err := New(srv.URL, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		data, err := c.Get(ctx, goldens[0].cid, maxSize)
		ok := status == http.StatusOK && streamErr == "" && int64(len(body)) <= maxSize
		switch {
		case ok && (err != nil || !bytes.Equal(data, body)):
			t.Fatalf("complete answer of %d bytes, max %d: got %d bytes, %v", len(body), maxSize, len(data), err)
		case !ok && err == nil:
			t.Fatalf("status %d, %d bytes, stream error %q, max %d: accepted", status, len(body), streamErr, maxSize)
		case !ok && !errors.Is(err, cas.ErrNotFound) && !errors.Is(err, cas.ErrNotAFile) && !errors.Is(err, cas.ErrTooLarge):
			t.Fatalf("status %d: error %v matches no sentinel", status, err)
		}
	})
}
