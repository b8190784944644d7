package loadgen

import (
	"bytes"
	"strings"
	"testing"
)

// feed gives r the answer in pieces of step bytes (the whole so far each time, as the event loop
// does), then the connection's end if eof, and returns what the last read said.
func feed(r *answerReader, text []byte, step int, eof bool) (answer, bool, error) {
	for n := min(step, len(text)); ; n = min(n+step, len(text)) {
		a, done, err := r.read(text[:n], eof && n == len(text))
		if done || err != nil || n == len(text) {
			return a, done, err
		}
	}
}

func TestAnswerReader(t *testing.T) {
	const ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
	tests := []struct {
		name       string
		text       string
		eof        bool
		wantDone   bool
		wantStatus int
		wantClose  bool
		wantErr    string
		oneRead    bool // bytes after the answer are only seen when they come with it
	}{
		{"content length", ok, false, true, 200, false, "", false},
		{"empty body", "HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n", false, true, 418, false, "", false},
		{"connection close", "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false, true, 202, true, "", false},
		{"body short", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", false, false, 0, false, "", false},
		{"body short at the end", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", true, false, 0, false, "body ended", false},
		{"header short", "HTTP/1.1 200 OK\r\nContent-Len", false, false, 0, false, "", false},
		{"header short at the end", "HTTP/1.1 200 OK\r\nContent-Len", true, false, 0, false, "header ended", false},
		{"until close, open", "HTTP/1.1 200 OK\r\n\r\nsome body", false, false, 0, false, "", false},
		{"until close, closed", "HTTP/1.1 200 OK\r\n\r\nsome body", true, true, 200, true, "", false},
		{"bytes after", ok + "HTTP/1.1", false, false, 0, false, "bytes after", true},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", false, false, 0, false, "chunked", false},
		{"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", false, false, 0, false, "answer", false},
		{"header too long", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", maxHeaderBytes), false, false, 0, false, "over", false},
	}
	for _, tc := range tests {
		for _, step := range []int{1, 7, len(tc.text)} {
			if tc.oneRead && step != len(tc.text) {
				continue
			}
			var r answerReader
			a, done, err := feed(&r, []byte(tc.text), step, tc.eof)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("%s, step %d: err %v, want one saying %q", tc.name, step, err, tc.wantErr)
				}
				continue
			}
			if err != nil || done != tc.wantDone || (done && (a.status != tc.wantStatus || a.close != tc.wantClose)) {
				t.Errorf("%s, step %d: %+v done %v err %v; want status %d close %v done %v", tc.name, step, a, done, err, tc.wantStatus, tc.wantClose, tc.wantDone)
			}
		}
	}
}

// TestAnswerReaderLinear: an answer arriving a byte at a time is examined a bounded number of times per
// byte, so twice the answer is twice the work (a header trickled in used to be searched from its start
// on every arrival).
func TestAnswerReaderLinear(t *testing.T) {
	work := func(n int) int {
		t.Helper()
		text := []byte("HTTP/1.1 200 OK\r\nX-Pad: " + strings.Repeat("a", n) + "\r\nContent-Length: " + "3\r\n\r\nabc")
		var r answerReader
		if _, done, err := feed(&r, text, 1, false); !done || err != nil {
			t.Fatalf("n=%d: done %v err %v", n, done, err)
		}
		return r.work
	}
	small, large := work(4_000), work(8_000)
	if ratio := float64(large) / float64(small); ratio > 2.2 {
		t.Fatalf("work %d for a 4,000-byte header, %d for 8,000: ratio %.2f, want ≈ 2", small, large, ratio)
	}
}

// FuzzAnswerReader: however an answer is split, reading it never panics, and an answer read whole in
// one piece is read whole, the same, in pieces.
func FuzzAnswerReader(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), uint8(3), false)
	f.Add([]byte("HTTP/1.1 200 OK\r\n\r\nuntil close"), uint8(1), true)
	f.Add([]byte("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"), uint8(10), false)
	f.Fuzz(func(t *testing.T, text []byte, step uint8, eof bool) {
		if len(text) > 1<<16 {
			return
		}
		var whole, split answerReader
		a1, d1, e1 := whole.read(text, eof)
		a2, d2, e2 := feed(&split, text, int(step)+1, eof)
		if d1 && (!d2 || e2 != nil || a1 != a2) {
			t.Fatalf("whole: %+v %v %v; split by %d: %+v %v %v", a1, d1, e1, int(step)+1, a2, d2, e2)
		}
		if d1 && (a1.status < 100 || a1.status > 999) {
			t.Fatalf("status %d", a1.status)
		}
		if bytes.Count(text, headerEnd) == 0 && d1 {
			t.Fatal("done without a header")
		}
	})
}
