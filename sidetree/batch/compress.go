package batch

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"sync"

	// Reading uses klauspost's inflater: the same format and checks as compress/gzip's, in about three
	// quarters of the CPU time (BenchmarkInflate10k). Writing stays with compress/gzip, whose output at
	// the default level is what the CIDs of built batches were computed from.
	kpgzip "github.com/klauspost/compress/gzip"

	"github.com/ionode/ionode/sidetree"
)

// decompressionMultiplier is the reference's Compressor.estimatedDecompressionMultiplier: a file may
// decompress to at most this many times its size limit.
const decompressionMultiplier = 3

// compress gzips data as the reference's Compressor.compress (zlib's default level). The header carries
// no name or time, so the same input always yields the same bytes, and so the same CID.
func compress(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// gzipReaders keeps gzip readers for the next file: Reset reuses a reader's 32 KB window and Huffman
// tables (flate.Resetter), which a new reader allocates again for every file.
var gzipReaders = sync.Pool{New: func() any { return new(kpgzip.Reader) }}

// decompress gunzips data as Node's zlib gunzip does, reading at most max+1 bytes of output, into dst's
// memory (from its start) when it fits. Like Node, it reads gzip members one after another, and stops
// without error where the input left after a member is empty or starts with a zero byte (padding); any
// other byte must start a valid member. zlib also refuses a header with reserved flag bits set (so does
// klauspost's reader; checked here first for the message). A failure carries the file's code, as the
// reference wraps decompression errors; an output over the limit carries oversize.
func decompress(dst, data []byte, max int, failure, oversize sidetree.Code) ([]byte, error) {
	in := bytes.NewReader(data)
	zr := gzipReaders.Get().(*kpgzip.Reader)
	defer gzipReaders.Put(zr)
	out := dst[:0]
	if hint := sizeHint(data, max); cap(out) < hint {
		out = make([]byte, 0, hint)
	}
	for member := 0; ; member++ {
		rest := data[len(data)-in.Len():]
		if member > 0 && (len(rest) == 0 || rest[0] == 0) {
			return out, nil
		}
		if len(rest) >= 4 && rest[0] == 0x1f && rest[1] == 0x8b && rest[3]&0xe0 != 0 {
			return nil, sidetree.Errorf(failure, "gzip header has unknown flags set")
		}
		// A bytes.Reader is an io.ByteReader, so gzip reads exactly one member and no further.
		if err := zr.Reset(in); err != nil {
			return nil, sidetree.Errorf(failure, "not gzip data: %v", err)
		}
		zr.Multistream(false)
		for {
			if len(out) > max {
				return nil, sidetree.Errorf(oversize, "decompressed data exceeds %d bytes", max)
			}
			if len(out) == cap(out) {
				out = append(make([]byte, 0, min(2*cap(out)+bytes.MinRead, max+1)), out...)
			}
			// Never more than max+1 bytes in all: one past the limit is enough to refuse the file.
			n, err := zr.Read(out[len(out):min(cap(out), max+1)])
			out = out[:len(out)+n]
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, sidetree.Errorf(failure, "gzip data is corrupt or truncated: %v", err)
			}
		}
		if len(out) > max {
			return nil, sidetree.Errorf(oversize, "decompressed data exceeds %d bytes", max)
		}
	}
}

// maxDeflateRatio is the most that deflate can expand (a 258-byte match in under two bits, ~1032:1).
const maxDeflateRatio = 1032

// sizeHint is the decompressed size of a one-member file, from the gzip trailer (ISIZE, the size modulo
// 2^32), so that the output is allocated once instead of grown by doubling. It is only a hint: bounded by
// what the input can expand to and by the limit, and wrong for several members, which then grow as usual.
func sizeHint(data []byte, max int) int {
	if len(data) < 18 {
		return 0
	}
	isize := int(binary.LittleEndian.Uint32(data[len(data)-4:]))
	// MinRead spare bytes, so that the read that sees the end does not find the buffer full first.
	return min(isize+bytes.MinRead, max+1, len(data)*maxDeflateRatio)
}

// codeChunkFileDecompressionFailure is ours: the reference lets zlib's own error through for a chunk file.
const codeChunkFileDecompressionFailure sidetree.Code = "chunk_file_decompression_failure"

// parseFile decompresses and parses a file's JSON.
func parseFile(data []byte, sizeLimit int, decompressFailure, notJSON sidetree.Code) (sidetree.Value, error) {
	raw, err := decompressFile(nil, data, sizeLimit, decompressFailure)
	if err != nil {
		return sidetree.Value{}, err
	}
	return parseJSONFile(raw, notJSON)
}

// readIndexFile decompresses an index file and reads it one reference at a time (stream), when it is of
// the plain shape (sidetree.WalkYieldable) and passes every check as it is read, instead of first
// making a whole-file tree; any other file is read whole, as the reference reads it, so that its meaning
// and its error are the reference's. See decompressFile for dst.
func readIndexFile[F any](dst *[]byte, data []byte, sizeLimit int, failure sidetree.Code, stream func([]byte) (F, bool), whole func([]byte) (F, error)) (F, error) {
	raw, err := decompressFile(dst, data, sizeLimit, failure)
	if err != nil {
		var none F
		return none, err
	}
	if f, ok := stream(raw); ok {
		return f, nil
	}
	return whole(raw)
}

// decompressFile decompresses a file within its size limit times the reference's multiplier. With dst
// not nil it decompresses into *dst's memory when it fits and leaves there the memory the file went into
// (the caller's to reuse once nothing holds the file's text); nil: fresh memory.
func decompressFile(dst *[]byte, data []byte, sizeLimit int, decompressFailure sidetree.Code) ([]byte, error) {
	oversize := decompressFailure
	if decompressFailure == codeChunkFileDecompressionFailure {
		oversize = sidetree.CodeCompressorMaxAllowedDecompressedDataSizeExceeded
	}
	var into []byte
	if dst != nil {
		into = *dst
	}
	raw, err := decompress(into, data, sizeLimit*decompressionMultiplier, decompressFailure, oversize)
	if err == nil && dst != nil {
		*dst = raw
	}
	return raw, err
}

// parseJSONFile parses a decompressed file's JSON.
func parseJSONFile(raw []byte, notJSON sidetree.Code) (sidetree.Value, error) {
	v, err := parseJS(raw)
	if err != nil {
		return sidetree.Value{}, sidetree.Errorf(notJSON, "file is not JSON: %v", err)
	}
	return v, nil
}

// onlyProperties is the reference's for-in check of allowed properties.
func onlyProperties(v sidetree.Value, allowed []string, code sidetree.Code, what string) error {
	if k, found := v.ForInKeyNotIn(allowed...); found {
		return sidetree.Errorf(code, "unexpected property %q in %s", truncate(k), what)
	}
	return nil
}

// casURI is InputValidator.validateCasFileUri: a string of at most maxCasUriLength UTF-16 units. Whether
// it is a valid CID is the CAS's to say when the file is fetched.
func casURI(v sidetree.Value, p sidetree.Parameters, what string) (string, error) {
	s, ok := v.Str()
	if !ok {
		return "", sidetree.Errorf(sidetree.CodeInputValidatorCasFileUriNotString, "%s must be a string", what)
	}
	if sidetree.UTF16Len(s) > p.MaxCasURILength {
		return "", sidetree.Errorf(sidetree.CodeInputValidatorCasFileUriExceedsMaxLength, "%s is longer than %d characters", what, p.MaxCasURILength)
	}
	return s, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// arrayOf returns the elements of v if it is an array (Array.isArray).
func arrayOf(v sidetree.Value) ([]sidetree.Value, bool) {
	if v.Kind() != sidetree.KindArray {
		return nil, false
	}
	return v.Elems(), true
}

// addAll adds the DID of each of list to set (sized by the caller: a 10,000-operation batch would
// otherwise grow it a dozen times), reporting false at the first that is there already: the check that a
// batch names each DID once.
func addAll[T any](set map[string]struct{}, list []T, did func(T) string) bool {
	for _, e := range list {
		s := did(e)
		if _, ok := set[s]; ok {
			return false
		}
		set[s] = struct{}{}
	}
	return true
}

// addReferences is addAll of the references' DIDs.
func addReferences(set map[string]struct{}, refs []Reference) bool {
	return addAll(set, refs, func(r Reference) string { return r.DIDSuffix })
}

func itself(s string) string { return s }
