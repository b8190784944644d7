package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// answer is what the open loop keeps of a response: its status, and whether the server closes the
// connection after it.
type answer struct {
	status int
	close  bool
}

// maxHeaderBytes bounds an answer's status line and header.
const maxHeaderBytes = 64 << 10

// answerReader tells when the answer arriving on a connection is whole, reading each byte a bounded
// number of times however the answer is split: the header terminator is searched for only in what is
// new, the header is parsed once (by net/http), and the body is then only counted. The body's length
// must be known from Content-Length or from the server closing the connection: the node's answers
// always carry Content-Length, and a chunked body would have to be parsed again as it grows, so it is
// refused.
type answerReader struct {
	scanned    int // bytes of the buffer searched for the header's end
	headerLen  int // 0 until the header is parsed
	bodyLen    int64
	untilClose bool
	a          answer
	work       int // bytes examined, for the test that reading is linear
}

var headerEnd = []byte("\r\n\r\n")

// read looks at buf, the whole answer received so far (eof: and the connection's end), and reports
// the answer once it is whole. Bytes after it are an error: one request is in flight per connection.
func (r *answerReader) read(buf []byte, eof bool) (answer, bool, error) {
	if r.headerLen == 0 {
		from := max(r.scanned-len(headerEnd)+1, 0)
		i := bytes.Index(buf[from:], headerEnd)
		r.work += len(buf) - from
		if i < 0 {
			r.scanned = len(buf)
			switch {
			case len(buf) > maxHeaderBytes:
				return answer{}, false, fmt.Errorf("answer header over %d bytes", maxHeaderBytes)
			case eof:
				return answer{}, false, errors.New("connection closed before the answer's header ended")
			}
			return answer{}, false, nil
		}
		if err := r.header(buf[:from+i+len(headerEnd)]); err != nil {
			return answer{}, false, err
		}
	}
	body := int64(len(buf) - r.headerLen)
	switch {
	case r.untilClose:
		return r.a, eof, nil
	case body > r.bodyLen:
		return answer{}, false, errors.New("bytes after the answer")
	case body == r.bodyLen:
		return r.a, true, nil
	case eof:
		return answer{}, false, errors.New("connection closed before the answer's body ended")
	}
	return answer{}, false, nil
}

// header parses the status line and header fields (header ends with the blank line).
func (r *answerReader) header(header []byte) error {
	r.work += len(header)
	resp, err := http.ReadResponse(bufio.NewReaderSize(bytes.NewReader(header), len(header)), nil)
	if err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if resp.StatusCode < 100 {
		return fmt.Errorf("answer: status %d", resp.StatusCode)
	}
	if slices.Contains(resp.TransferEncoding, "chunked") {
		return errors.New("a chunked answer (the open loop reads answers with a Content-Length)")
	}
	r.headerLen = len(header)
	r.bodyLen = resp.ContentLength
	r.untilClose = resp.ContentLength < 0
	r.a = answer{status: resp.StatusCode, close: resp.Close || r.untilClose}
	return nil
}
