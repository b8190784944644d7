package cas

import "errors"

// Sentinel errors returned by every Store. Match them with errors.Is: the
// returned errors wrap them with the CID and the underlying cause.
//
// They mirror the fetch result codes of the ION reference (FetchResultCode in
// lib/common/enums, produced by lib/ipfs/Ipfs.ts) and the way its
// TransactionProcessor reacts to them: not found and CAS not reachable are
// retried later, the others make the referencing batch invalid for good.
var (
	// ErrNotFound: the content could not be fetched before the deadline (or
	// the CAS answered that it does not have it). ION retries such
	// transactions later.
	ErrNotFound = errors.New("cas: content not found")

	// ErrTooLarge: the content is larger than the maximum size asked for.
	// At most maxSize+1 bytes were read to find out.
	ErrTooLarge = errors.New("cas: content exceeds maximum allowed size")

	// ErrInvalidCID: the string is not a CID, or is a CID this store refuses
	// to fetch (an insecure or unknown hash function, a codec that can never
	// hold a UnixFS file).
	ErrInvalidCID = errors.New("cas: invalid content identifier")

	// ErrNotAFile: the CID names a UnixFS directory, a symlink or data that is
	// not a UnixFS file.
	ErrNotAFile = errors.New("cas: content is not a file")

	// ErrUnreachable: the CAS itself could not be reached (an external Kubo
	// node refusing connections). ION retries such transactions later.
	ErrUnreachable = errors.New("cas: content store not reachable")
)

// Permanent reports whether err says the content behind a CID can never be
// used, so that the batch referencing it is invalid (ION's TransactionProcessor
// discards it), rather than that it may become available later. Any error that
// is not one of the permanent sentinels, including unexpected ones, is treated
// as temporary, as the reference does.
func Permanent(err error) bool {
	return errors.Is(err, ErrInvalidCID) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotAFile)
}
