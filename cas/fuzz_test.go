package cas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/ipld/merkledag"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	mh "github.com/multiformats/go-multihash"
)

// Seeds beside these live in testdata/fuzz/<target>/.

func FuzzParseCID(f *testing.F) {
	for _, s := range []string{
		"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
		"bafybeicg6xtlnz4yvwdebd5cpmuhnsvtghsz3zk7u6d7foucwrlptbazfy",
		"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
		"bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
		"Qm", "", "zQmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCID(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidCID) {
				t.Fatalf("ParseCID(%q) error %v does not wrap ErrInvalidCID", s, err)
			}
			return
		}
		if c.Type() != cid.DagProtobuf && c.Type() != cid.Raw {
			t.Fatalf("ParseCID(%q) accepted codec 0x%x", s, c.Type())
		}
		// What we accept we can print and parse back to the same CID.
		again, err := ParseCID(c.String())
		if err != nil || !again.Equals(c) {
			t.Fatalf("ParseCID(%q) = %s, which parses back as %v, %v", s, c, again, err)
		}
	})
}

// FuzzReadAtMost: content within the limit comes back whole; larger content
// is refused after at most max+1 bytes, in a buffer never larger than max+1.
// (Sizes are 32-bit here: the engine stalls on int64 values near the limits;
// those are covered by TestReadAtMostExtremes.)
func FuzzReadAtMost(f *testing.F) {
	f.Add([]byte("hello world\n"), uint32(12), int32(-1), uint8(3))
	f.Add([]byte("hello world\n"), uint32(11), int32(12), uint8(1))
	f.Add([]byte{}, uint32(0), int32(0), uint8(0))
	f.Add(bytes.Repeat([]byte{7}, 5000), uint32(4999), int32(1<<30), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, max32 uint32, hint32 int32, step uint8) {
		maxSize, hint := int64(max32), int64(hint32)
		r := &countingReader{data: data, step: int(step) + 1}
		got, err := ReadAtMost(r, maxSize, hint)
		if int64(len(data)) > maxSize {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%d bytes, max %d: %v", len(data), maxSize, err)
			}
			if int64(r.read) > maxSize+1 {
				t.Fatalf("read %d bytes to find %d > max %d", r.read, len(data), maxSize)
			}
			return
		}
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes, max %d: got %d bytes, %v", len(data), maxSize, len(got), err)
		}
		if int64(cap(got)) > maxSize+1 {
			t.Fatalf("buffer capacity %d beyond max+1 (max %d)", cap(got), maxSize)
		}
	})
}

// countingReader hands out data step bytes at a time and counts them.
type countingReader struct {
	data []byte
	step int
	read int
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read == len(r.data) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.data[r.read:])
	r.read += n
	return n, nil
}

// FuzzReadUnixFS feeds arbitrary bytes, as a peer could send them, to the
// UnixFS reader as the root block of a file (dag-pb, then raw) and as one of
// its children. Whatever the bytes, the read ends in content within the
// limit or in an error, never a panic or a hang.
func FuzzReadUnixFS(f *testing.F) {
	dag := merkledag.NewDAGService(blockservice.New(blockstore.NewBlockstore(dssync.MutexWrap(ds.NewMapDatastore())), nil))
	for _, data := range [][]byte{nil, []byte("hello world\n"), pattern(ChunkSize + 3)} {
		root, err := importUnixFS(dag, data)
		if err != nil {
			f.Fatal(err)
		}
		nd, err := dag.Get(context.Background(), root)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(nd.RawData(), int64(len(data)))
	}
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01}, int64(10)) // a directory
	f.Fuzz(func(t *testing.T, block []byte, maxSize int64) {
		if maxSize < 0 || maxSize > 1<<20 {
			return
		}
		bstore := blockstore.NewBlockstore(dssync.MutexWrap(ds.NewMapDatastore()))
		bserv := blockservice.New(bstore, nil)
		dag := merkledag.NewDAGService(bserv)
		for _, codec := range []uint64{cid.DagProtobuf, cid.Raw} {
			h, err := mh.Sum(block, mh.SHA2_256, -1)
			if err != nil {
				t.Fatal(err)
			}
			blk, err := blocks.NewBlockWithCid(block, cid.NewCidV1(codec, h))
			if err != nil {
				t.Fatal(err)
			}
			if err := bstore.Put(context.Background(), blk); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			data, err := readUnixFS(ctx, bserv, dag, blk.Cid(), maxSize)
			cancel()
			if err == nil && int64(len(data)) > maxSize {
				t.Fatalf("returned %d bytes, max %d", len(data), maxSize)
			}
			if codec == cid.Raw && (err != nil) != (int64(len(block)) > maxSize) {
				t.Fatalf("raw block of %d bytes, max %d: %v", len(block), maxSize, err)
			}
		}
	})
}

// FuzzGateway sends arbitrary paths and If-None-Match headers to the gateway
// of a real node: answers stay within the documented statuses, and a 200
// carries exactly the bytes the CID names.
func FuzzGateway(f *testing.F) {
	// Each fuzzing process opens its own node; f.Cleanup closes it and
	// removes its directory when fuzzing ends.
	node, err := OpenNode(context.Background(), NodeConfig{DataDir: f.TempDir(), GatewayTimeout: time.Millisecond, GatewayMaxSize: 1000, Logger: discardLogger()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { node.Close() })
	for _, data := range [][]byte{[]byte("hello world\n"), pattern(2000), nil} {
		if _, err := node.Put(context.Background(), data); err != nil {
			f.Fatal(err)
		}
	}
	h := node.Handler()
	f.Add("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "")
	f.Add("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", `W/"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "x"`)
	f.Add("/ipfs/bafybeiduiecxoeiqs3gyc6r7v3lymmhserldnpw62qjnhmqsulqjxjmtzi", "*")
	f.Add("/ipfs/", "")
	f.Add("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/a", "")
	f.Fuzz(func(t *testing.T, path, inm string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " ?#\x00\r\n") {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return // no HTTP server would hand the handler this path
		}
		req := httptest.NewRequest(http.MethodGet, "http://gw"+path, nil)
		if inm != "" && !strings.ContainsAny(inm, "\r\n\x00") {
			req.Header.Set("If-None-Match", inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			c, _ := gatewayCID(req.URL.Path)
			id, err := ParseCID(c)
			if err != nil {
				t.Fatalf("200 for %q whose CID does not parse: %v", path, err)
			}
			if !bodyMatchesCID(t, rec.Body.Bytes(), id) {
				t.Fatalf("200 for %q with %d bytes that are not its content", path, rec.Body.Len())
			}
		case http.StatusNotModified, http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", rec.Code, path)
		}
	})
}

// bodyMatchesCID checks content against the CID it was served for: a raw
// block hashes to it, a dag-pb file re-imports to it.
func bodyMatchesCID(t *testing.T, body []byte, id cid.Cid) bool {
	t.Helper()
	if id.Type() == cid.Raw {
		again, err := id.Prefix().Sum(body)
		return err == nil && again.Equals(id)
	}
	again, err := ComputeCID(body)
	return err == nil && again == cid.NewCidV0(id.Hash()).String()
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
