package ionrules

import "github.com/ionode/ionode/sidetree"

// ION's bitcoin-service error codes (lib/bitcoin/ErrorCode.ts of the reference) for the lock and fee rules.
// The core-service codes these rules return (fee, lock verifier, selector) are the sidetree.Code… constants.
const (
	// CodeLockIdentifierIncorrectFormat: a lock identifier does not decode to exactly "<txid>.<script hex>".
	CodeLockIdentifierIncorrectFormat sidetree.Code = "lock_identifier_incorrect_format"
	// CodeLockResolverRedeemScriptIsInvalid: the redeem script cannot be parsed as a script at all.
	CodeLockResolverRedeemScriptIsInvalid sidetree.Code = "lock_resolver_redeem_script_is_invalid"
	// CodeLockResolverRedeemScriptIsNotLock: the redeem script is not ION's freeze script.
	CodeLockResolverRedeemScriptIsNotLock sidetree.Code = "lock_resolver_redeem_script_is_not_lock"
	// CodeLockResolverTransactionNotFound: the lock transaction does not exist (or its id is not a txid).
	CodeLockResolverTransactionNotFound sidetree.Code = "lock_resolver_transaction_not_found"
	// CodeLockResolverTransactionIsNotPayingToScript: output 0 of the lock transaction does not pay to the
	// P2SH of the redeem script.
	CodeLockResolverTransactionIsNotPayingToScript sidetree.Code = "lock_resolver_transaction_is_not_paying_to_script"
	// CodeLockResolverTransactionNotConfirmed: the lock transaction is not in a block of the active chain.
	CodeLockResolverTransactionNotConfirmed sidetree.Code = "lock_resolver_transaction_not_confirmed"
	// CodeLockResolverDurationIsInvalid: the script's lock duration is not the network's duration at the
	// block the lock confirmed in.
	CodeLockResolverDurationIsInvalid sidetree.Code = "lock_resolver_duration_is_invalid"
	// CodeNormalizedFeeCalculatorBlockNotFound: no normalized fee is known for the block (before genesis or
	// not yet processed).
	CodeNormalizedFeeCalculatorBlockNotFound sidetree.Code = "normalized_fee_calculator_block_not_found"
	// CodeVersionManagerVersionStringNotFound: the height is before the network's first protocol version.
	CodeVersionManagerVersionStringNotFound sidetree.Code = "version_manager_version_string_not_found"
)

// CodeBlockchainGetLockResponseNotOk is the core's code (lib/core/ErrorCode.ts) for a lock lookup that the
// bitcoin service answers with neither 200 nor 404: a writerLockId that does not route to /locks/{id}
// ([LockRouteIdentifier]). It is not a retryable error: the core discards the whole transaction.
const CodeBlockchainGetLockResponseNotOk sidetree.Code = "blockchain_get_lock_response_not_ok"

// Codes of our own, for failures the reference reports with a plain JavaScript exception.
const (
	// CodeLockResolverDurationUnreadable: the first item of a freeze-shaped script is not 1 to 6 bytes of
	// hex (the reference's Buffer.readIntLE throws a RangeError; the lock does not resolve).
	CodeLockResolverDurationUnreadable sidetree.Code = "lock_resolver_duration_unreadable"
	// CodeFeeWindowIncomplete: the blocks handed to the normalized fee calculation are not exactly the
	// look-back window before the block.
	CodeFeeWindowIncomplete sidetree.Code = "fee_window_incomplete"
)
