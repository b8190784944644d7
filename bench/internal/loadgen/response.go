package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The open loop reads its answers with this reader instead of net/http's ReadResponse, which builds a
// header map, a Response and a body reader per answer: the generator shares the cores with the node it
// measures, so every microsecond it spends per request is a microsecond the node may wait for a CPU.
// It reads only what a load generator needs (the status, whether the connection stays open, where the
// body ends), reads every body to its end, allocates nothing, and refuses what it does not understand
// instead of guessing (net/http is more lenient: bare LF line ends, folded headers, other encodings).

// ErrMalformed is returned for an answer that is not a well-formed HTTP/1.x response.
var ErrMalformed = errors.New("malformed HTTP response")

const (
	// maxHeaderBytes bounds the status line, headers and chunked trailers of one answer together.
	maxHeaderBytes = 64 << 10
	// maxInterim bounds the 1xx answers before the final one.
	maxInterim = 8
	// maxSizeDigits bounds a Content-Length (decimal) or chunk size (hex) so that it cannot overflow.
	maxSizeDigits = 15
)

// answer is what readAnswer learned of one response.
type answer struct {
	status int
	close  bool  // the server closes the connection after this answer
	body   int64 // body bytes read (after removing the chunked framing)
}

// readAnswer reads one HTTP/1.x response to a GET (status line, headers, the whole body) from br, which
// must be sized for the longest line (net/http's 4 KiB default suffices for its servers). A malformed
// answer is an error wrapping ErrMalformed; the connection is then unusable.
func readAnswer(br *bufio.Reader) (answer, error) {
	budget := maxHeaderBytes
	for range maxInterim + 1 {
		a, framing, length, err := readHead(br, &budget)
		if err != nil {
			return a, err
		}
		if a.status >= 100 && a.status < 200 {
			if a.status == 101 {
				return a, fmt.Errorf("%w: 101 Switching Protocols", ErrMalformed)
			}
			continue // interim answer (100 Continue, 103 Early Hints): the final one follows
		}
		switch {
		case a.status == 204 || a.status == 304:
			if framing == framedChunked || length > 0 {
				return a, fmt.Errorf("%w: a %d answer with a body", ErrMalformed, a.status)
			}
		case framing == framedChunked:
			a.body, err = discardChunked(br, &budget)
		case framing == framedLength:
			a.body, err = discard(br, length)
		default: // neither: the body runs to the end of the connection
			a.close = true
			a.body, err = io.Copy(io.Discard, br)
		}
		return a, err
	}
	return answer{}, fmt.Errorf("%w: more than %d interim answers", ErrMalformed, maxInterim)
}

type framing int

const (
	framedUntilClose framing = iota
	framedLength
	framedChunked
)

// readHead reads a status line and headers, charging their bytes to budget.
func readHead(br *bufio.Reader, budget *int) (a answer, f framing, length int64, err error) {
	line, err := readLine(br, budget)
	if err != nil {
		return a, f, 0, err
	}
	var http10 bool
	switch {
	case bytes.HasPrefix(line, []byte("HTTP/1.1 ")):
	case bytes.HasPrefix(line, []byte("HTTP/1.0 ")):
		http10 = true
	default:
		return a, f, 0, fmt.Errorf("%w: status line %q", ErrMalformed, clip(line))
	}
	code := line[len("HTTP/1.1 "):]
	if len(code) < 3 || (len(code) > 3 && code[3] != ' ') || !digits(code[:3]) || code[0] == '0' {
		return a, f, 0, fmt.Errorf("%w: status line %q", ErrMalformed, clip(line))
	}
	a.status = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	keepAlive := false
	length = -1
	for {
		line, err := readLine(br, budget)
		if err != nil {
			return a, f, 0, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !token(name) {
			return a, f, 0, fmt.Errorf("%w: header line %q", ErrMalformed, clip(line))
		}
		value = bytes.Trim(value, " \t")
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, ok := parseSize(value, 10)
			if !ok || (length >= 0 && n != length) {
				return a, f, 0, fmt.Errorf("%w: Content-Length %q", ErrMalformed, clip(value))
			}
			length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) || f == framedChunked {
				return a, f, 0, fmt.Errorf("%w: Transfer-Encoding %q", ErrMalformed, clip(value))
			}
			f = framedChunked
		case bytes.EqualFold(name, []byte("Connection")):
			for opt := range bytes.SplitSeq(value, []byte(",")) {
				opt = bytes.Trim(opt, " \t")
				a.close = a.close || bytes.EqualFold(opt, []byte("close"))
				keepAlive = keepAlive || bytes.EqualFold(opt, []byte("keep-alive"))
			}
		}
	}
	if http10 && f == framedChunked { // HTTP/1.0 has no chunked coding (RFC 9112 §6.1): a faulty server
		return a, f, 0, fmt.Errorf("%w: Transfer-Encoding in an HTTP/1.0 answer", ErrMalformed)
	}
	if http10 && !keepAlive {
		a.close = true
	}
	if length >= 0 {
		if f == framedChunked { // both: a sign of request smuggling, never sent by a sound server
			return a, f, 0, fmt.Errorf("%w: both Content-Length and chunked", ErrMalformed)
		}
		f = framedLength
	}
	return a, f, length, nil
}

// discardChunked reads a chunked body and its trailers, returning the data bytes.
func discardChunked(br *bufio.Reader, budget *int) (int64, error) {
	var total int64
	for {
		line, err := readLine(br, budget)
		if err != nil {
			return total, err
		}
		size, _, _ := bytes.Cut(line, []byte(";")) // chunk extensions are ignored
		n, ok := parseSize(bytes.TrimRight(size, " \t"), 16)
		if !ok {
			return total, fmt.Errorf("%w: chunk size %q", ErrMalformed, clip(line))
		}
		if n == 0 {
			break
		}
		if _, err := discard(br, n); err != nil {
			return total, err
		}
		total += n
		if end, err := readLine(br, budget); err != nil || len(end) != 0 {
			if err == nil {
				err = fmt.Errorf("%w: chunk not followed by CRLF", ErrMalformed)
			}
			return total, err
		}
	}
	for { // trailers, up to the empty line
		line, err := readLine(br, budget)
		if err != nil {
			return total, err
		}
		if len(line) == 0 {
			return total, nil
		}
		if name, _, ok := bytes.Cut(line, []byte(":")); !ok || !token(name) {
			return total, fmt.Errorf("%w: trailer line %q", ErrMalformed, clip(line))
		}
	}
}

// discard reads and drops exactly n bytes.
func discard(br *bufio.Reader, n int64) (int64, error) {
	var done int64
	for done < n {
		k, err := br.Discard(int(min(n-done, 1<<30)))
		done += int64(k)
		if err != nil {
			return done, unexpected(err)
		}
	}
	return done, nil
}

// readLine returns one CRLF-terminated line without its CRLF; it stays valid until the next read.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: a line longer than %d bytes", ErrMalformed, br.Size())
		}
		return nil, unexpected(err)
	}
	if *budget -= len(line); *budget < 0 {
		return nil, fmt.Errorf("%w: head longer than %d bytes", ErrMalformed, maxHeaderBytes)
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("%w: line %q not ended by CRLF", ErrMalformed, clip(line))
	}
	line = line[:len(line)-2]
	for _, c := range line {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return nil, fmt.Errorf("%w: control character in %q", ErrMalformed, clip(line))
		}
	}
	return line, nil
}

// unexpected turns an end of input inside an answer into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseSize parses a non-negative size of at most maxSizeDigits digits in base 10 or 16.
func parseSize(b []byte, base int64) (int64, bool) {
	if len(b) == 0 || len(b) > maxSizeDigits {
		return 0, false
	}
	var n int64
	for _, c := range b {
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		n = n*base + d
	}
	return n, true
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// token reports whether b is an RFC 9110 token (a header field name).
func token(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// clip shortens what an error quotes.
func clip(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}
