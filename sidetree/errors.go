package sidetree

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable reason for rejecting input. The values are the error codes the ION
// reference node returns in its `{code, message}` bodies, so clients that match ION's codes match ours.
type Code string

// Error is a protocol rejection: a Code callers match with errors.As, and a message for humans.
type Error struct {
	Code    Code
	Message string
	Err     error // optional cause
}

func (e *Error) Error() string {
	if e.Message == "" || e.Message == string(e.Code) {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: c}) match any Error with code c.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.Message == ""
}

func newError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of a protocol error, or "" when err is not one.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Codes of our own, for rejections the reference reports without a code (a JavaScript exception).
const (
	// CodeInvalidJSON: the input is not JSON, or a value has a type the reference would throw on.
	CodeInvalidJSON Code = "invalid_json"
	// CodeJwsUnsupportedKey: a signing key is not a valid point or key of its curve.
	CodeJwsUnsupportedKey Code = "jws_unsupported_key"
)

// ION's error codes (lib/core/versions/latest/ErrorCode.ts and lib/core/ErrorCode.ts of the reference).
const (
	CodeAnchoredDataIncorrectFormat                                                    Code = "anchored_data_incorrect_format"
	CodeAnchoredDataNumberOfOperationsGreaterThanMax                                   Code = "anchored_data_number_of_operations_greater_than_max"
	CodeAnchoredDataNumberOfOperationsNotPositiveInteger                               Code = "anchored_data_number_of_operations_not_positive_integer"
	CodeBatchWriterAlreadyHasOperationForDid                                           Code = "batch_writer_already_has_operation_for_did"
	CodeCanonicalizedObjectHashMismatch                                                Code = "canonicalized_object_hash_mismatch"
	CodeCasFileNotAFile                                                                Code = "cas_file_not_a_file"
	CodeCasFileNotFound                                                                Code = "cas_file_not_found"
	CodeCasFileTooLarge                                                                Code = "cas_file_too_large"
	CodeCasFileUriNotValid                                                             Code = "cas_file_uri_not_valid"
	CodeCasNotReachable                                                                Code = "cas_not_reachable"
	CodeChunkFileDeltaCountIncorrect                                                   Code = "chunk_file_delta_count_incorrect"
	CodeChunkFileDeltasNotArrayOfObjects                                               Code = "chunk_file_deltas_not_array_of_objects"
	CodeChunkFileDeltasPropertyNotArray                                                Code = "chunk_file_deltas_property_not_array"
	CodeChunkFileUnexpectedProperty                                                    Code = "chunk_file_unexpected_property"
	CodeCompressorMaxAllowedDecompressedDataSizeExceeded                               Code = "compressor_max_allowed_decompressed_data_size_exceeded"
	CodeCoreIndexFileCoreProofFileUriNotAllowed                                        Code = "core_index_file_core_proof_file_uri_not_allowed"
	CodeCoreIndexFileCreatePropertyNotArray                                            Code = "core_index_file_create_property_not_array"
	CodeCoreIndexFileDeactivatePropertyNotArray                                        Code = "core_index_file_deactivate_property_not_array"
	CodeCoreIndexFileDecompressionFailure                                              Code = "core_index_file_decompression_failure"
	CodeCoreIndexFileHasUnknownProperty                                                Code = "core_index_file_has_unknown_property"
	CodeCoreIndexFileMultipleOperationsForTheSameDid                                   Code = "core_index_file_multiple_operations_for_the_same_did"
	CodeCoreIndexFileNotJson                                                           Code = "core_index_file_not_json"
	CodeCoreIndexFileOperationCountExceededPaidLimit                                   Code = "core_index_file_operation_count_exceeded_paid_limit"
	CodeCoreIndexFileProvisionalIndexFileUriMissing                                    Code = "core_index_file_provisional_index_file_uri_missing"
	CodeCoreIndexFileRecoverPropertyNotArray                                           Code = "core_index_file_recover_property_not_array"
	CodeCoreIndexFileUnexpectedPropertyInOperations                                    Code = "core_index_file_unexpected_property_in_operations"
	CodeCoreIndexFileWriterLockIdExceededMaxSize                                       Code = "core_index_file_writer_lock_id_exceeded_max_size"
	CodeCoreIndexFileWriterLockIdPropertyNotString                                     Code = "core_index_file_writer_lock_id_property_not_string"
	CodeCoreProofFileDeactivatePropertyNotAnArray                                      Code = "core_proof_file_deactivate_property_not_an_array"
	CodeCoreProofFileDecompressionFailure                                              Code = "core_proof_file_decompression_failure"
	CodeCoreProofFileHasNoProofs                                                       Code = "core_proof_file_has_no_proofs"
	CodeCoreProofFileNotJson                                                           Code = "core_proof_file_not_json"
	CodeCoreProofFileOperationsNotFound                                                Code = "core_proof_file_operations_not_found"
	CodeCoreProofFileProofCountNotTheSameAsOperationCountInCoreIndexFile               Code = "core_proof_file_proof_count_not_the_same_as_operation_count_in_core_index_file"
	CodeCoreProofFileRecoverPropertyNotAnArray                                         Code = "core_proof_file_recover_property_not_an_array"
	CodeCreateOperationMissingOrUnknownProperty                                        Code = "create_operation_missing_or_unknown_property"
	CodeCreateOperationTypeIncorrect                                                   Code = "create_operation_type_incorrect"
	CodeDeactivateOperationMissingOrInvalidDidUniqueSuffix                             Code = "deactivate_operation_missing_or_invalid_did_unique_suffix"
	CodeDeactivateOperationSignedDataMissingOrUnknownProperty                          Code = "deactivate_operation_signed_data_missing_or_unknown_property"
	CodeDeactivateOperationSignedDidUniqueSuffixMismatch                               Code = "deactivate_operation_signed_did_unique_suffix_mismatch"
	CodeDeactivateOperationTypeIncorrect                                               Code = "deactivate_operation_type_incorrect"
	CodeDeltaExceedsMaximumSize                                                        Code = "delta_exceeds_maximum_size"
	CodeDeltaIsNullOrUndefined                                                         Code = "delta_is_null_or_undefined"
	CodeDidIncorrectPrefix                                                             Code = "did_incorrect_prefix"
	CodeDidInitialStateJcsIsNotJcs                                                     Code = "did_initial_state_jcs_is_not_jcs"
	CodeDidInitialStateJcsIsNotJson                                                    Code = "did_initial_state_jcs_is_not_json"
	CodeDidNoUniqueSuffix                                                              Code = "did_no_unique_suffix"
	CodeDidNotFound                                                                    Code = "did_not_found"
	CodeDidUniqueSuffixFromInitialStateMismatch                                        Code = "did_unique_suffix_from_initial_state_mismatch"
	CodeDocumentComposerApplyPatchUnknownAction                                        Code = "document_composer_apply_patch_unknown_action"
	CodeDocumentComposerDocumentMissing                                                Code = "document_composer_document_missing"
	CodeDocumentComposerIdNotString                                                    Code = "document_composer_id_not_string"
	CodeDocumentComposerIdNotUsingBase64UrlCharacterSet                                Code = "document_composer_id_not_using_base64_url_character_set"
	CodeDocumentComposerIdTooLong                                                      Code = "document_composer_id_too_long"
	CodeDocumentComposerPatchMissingOrUnknownAction                                    Code = "document_composer_patch_missing_or_unknown_action"
	CodeDocumentComposerPatchMissingOrUnknownProperty                                  Code = "document_composer_patch_missing_or_unknown_property"
	CodeDocumentComposerPatchPublicKeyIdsNotArray                                      Code = "document_composer_patch_public_key_ids_not_array"
	CodeDocumentComposerPatchServiceEndpointCannotBeAnArray                            Code = "document_composer_patch_service_endpoint_cannot_be_an_array"
	CodeDocumentComposerPatchServiceEndpointMustBeStringOrNonArrayObject               Code = "document_composer_patch_service_endpoint_must_be_string_or_non_array_object"
	CodeDocumentComposerPatchServiceEndpointStringNotValidUri                          Code = "document_composer_patch_service_endpoint_string_not_valid_uri"
	CodeDocumentComposerPatchServiceIdNotUnique                                        Code = "document_composer_patch_service_id_not_unique"
	CodeDocumentComposerPatchServiceIdsNotArray                                        Code = "document_composer_patch_service_ids_not_array"
	CodeDocumentComposerPatchServiceTypeNotString                                      Code = "document_composer_patch_service_type_not_string"
	CodeDocumentComposerPatchServiceTypeTooLong                                        Code = "document_composer_patch_service_type_too_long"
	CodeDocumentComposerPatchServicesNotArray                                          Code = "document_composer_patch_services_not_array"
	CodeDocumentComposerPublicKeyIdDuplicated                                          Code = "document_composer_public_key_id_duplicated"
	CodeDocumentComposerPublicKeyInvalidPurpose                                        Code = "document_composer_public_key_invalid_purpose"
	CodeDocumentComposerPublicKeyPurposesDuplicated                                    Code = "document_composer_public_key_purposes_duplicated"
	CodeDocumentComposerPublicKeyPurposesIncorrectType                                 Code = "document_composer_public_key_purposes_incorrect_type"
	CodeDocumentComposerPublicKeyTypeMissingOrIncorrectType                            Code = "document_composer_public_key_type_missing_or_incorrect_type"
	CodeDocumentComposerPublicKeyUnknownProperty                                       Code = "document_composer_public_key_unknown_property"
	CodeDocumentComposerPublicKeysNotArray                                             Code = "document_composer_public_keys_not_array"
	CodeDocumentComposerServiceHasMissingOrUnknownProperty                             Code = "document_composer_service_has_missing_or_unknown_property"
	CodeDocumentComposerUnknownPropertyInDocument                                      Code = "document_composer_unknown_property_in_document"
	CodeDocumentComposerUnknownPropertyInRemovePublicKeysPatch                         Code = "document_composer_unknown_property_in_remove_public_keys_patch"
	CodeDocumentComposerUnknownPropertyInRemoveServicesPatch                           Code = "document_composer_unknown_property_in_remove_services_patch"
	CodeDocumentComposerUpdateOperationDocumentPatchesNotArray                         Code = "document_composer_update_operation_document_patches_not_array"
	CodeEncodedMultihashMustBeAString                                                  Code = "encoded_multihash_must_be_a_string"
	CodeEncoderValidateBase64UrlStringInputNotBase64UrlString                          Code = "encoder_validate_base64_url_string_input_not_base64_url_string"
	CodeEncoderValidateBase64UrlStringInputNotString                                   Code = "encoder_validate_base64_url_string_input_not_string"
	CodeInputValidatorCasFileUriExceedsMaxLength                                       Code = "input_validator_cas_file_uri_exceeds_max_length"
	CodeInputValidatorCasFileUriNotString                                              Code = "input_validator_cas_file_uri_not_string"
	CodeInputValidatorInputCannotBeAnArray                                             Code = "input_validator_input_cannot_be_an_array"
	CodeInputValidatorInputContainsNowAllowedProperty                                  Code = "input_validator_input_contains_now_allowed_property"
	CodeInputValidatorInputIsNotAnObject                                               Code = "input_validator_input_is_not_an_object"
	CodeJwkEs256kHasIncorrectLengthOfX                                                 Code = "jwk_es256k_has_incorrect_length_of_x"
	CodeJwkEs256kHasIncorrectLengthOfY                                                 Code = "jwk_es256k_has_incorrect_length_of_y"
	CodeJwkEs256kHasUnknownProperty                                                    Code = "jwk_es256k_has_unknown_property"
	CodeJwkEs256kMissingOrInvalidCrv                                                   Code = "jwk_es256k_missing_or_invalid_crv"
	CodeJwkEs256kMissingOrInvalidKty                                                   Code = "jwk_es256k_missing_or_invalid_kty"
	CodeJwkEs256kMissingOrInvalidTypeX                                                 Code = "jwk_es256k_missing_or_invalid_type_x"
	CodeJwkEs256kMissingOrInvalidTypeY                                                 Code = "jwk_es256k_missing_or_invalid_type_y"
	CodeJwkEs256kUndefined                                                             Code = "jwk_es256k_undefined"
	CodeJwsCompactJwsInvalid                                                           Code = "jws_compact_jws_invalid"
	CodeJwsCompactJwsNotString                                                         Code = "jws_compact_jws_not_string"
	CodeJwsFailedSignatureValidation                                                   Code = "jws_failed_signature_validation"
	CodeJwsPayloadNotBase64UrlString                                                   Code = "jws_payload_not_base64_url_string"
	CodeJwsProtectedHeaderMissingOrIncorrectAlg                                        Code = "jws_protected_header_missing_or_incorrect_alg"
	CodeJwsProtectedHeaderMissingOrUnknownProperty                                     Code = "jws_protected_header_missing_or_unknown_property"
	CodeJwsSignatureNotBase64UrlString                                                 Code = "jws_signature_not_base64_url_string"
	CodeMultihashNotSupported                                                          Code = "multihash_not_supported"
	CodeMultihashStringNotAMultihash                                                   Code = "multihash_string_not_a_multihash"
	CodeMultihashUnsupportedHashAlgorithm                                              Code = "multihash_unsupported_hash_algorithm"
	CodeOperationCountLessThanZero                                                     Code = "operation_count_less_than_zero"
	CodeOperationProcessorCreateOperationDoesNotHaveRevealValue                        Code = "operation_processor_create_operation_does_not_have_reveal_value"
	CodeOperationProcessorUnknownOperationType                                         Code = "operation_processor_unknown_operation_type"
	CodeOperationTypeUnknownOrMissing                                                  Code = "operation_type_unknown_or_missing"
	CodeProvisionalIndexFileChunkHasMissingOrUnknownProperty                           Code = "provisional_index_file_chunk_has_missing_or_unknown_property"
	CodeProvisionalIndexFileChunksPropertyDoesNotHaveExactlyOneElement                 Code = "provisional_index_file_chunks_property_does_not_have_exactly_one_element"
	CodeProvisionalIndexFileChunksPropertyMissingOrIncorrectType                       Code = "provisional_index_file_chunks_property_missing_or_incorrect_type"
	CodeProvisionalIndexFileDecompressionFailure                                       Code = "provisional_index_file_decompression_failure"
	CodeProvisionalIndexFileDidReferenceDuplicatedWithCoreIndexFile                    Code = "provisional_index_file_did_reference_duplicated_with_core_index_file"
	CodeProvisionalIndexFileHasUnknownProperty                                         Code = "provisional_index_file_has_unknown_property"
	CodeProvisionalIndexFileMultipleOperationsForTheSameDid                            Code = "provisional_index_file_multiple_operations_for_the_same_did"
	CodeProvisionalIndexFileNotJson                                                    Code = "provisional_index_file_not_json"
	CodeProvisionalIndexFileProvisionalProofFileUriNotAllowed                          Code = "provisional_index_file_provisional_proof_file_uri_not_allowed"
	CodeProvisionalIndexFileUpdateOperationCountGreaterThanMaxPaidCount                Code = "provisional_index_file_update_operation_count_greater_than_max_paid_count"
	CodeProvisionalIndexFileUpdateOperationsNotArray                                   Code = "provisional_index_file_update_operations_not_array"
	CodeProvisionalProofFileDecompressionFailure                                       Code = "provisional_proof_file_decompression_failure"
	CodeProvisionalProofFileHasNoProofs                                                Code = "provisional_proof_file_has_no_proofs"
	CodeProvisionalProofFileNotJson                                                    Code = "provisional_proof_file_not_json"
	CodeProvisionalProofFileOperationsNotFound                                         Code = "provisional_proof_file_operations_not_found"
	CodeProvisionalProofFileProofCountNotTheSameAsOperationCountInProvisionalIndexFile Code = "provisional_proof_file_proof_count_not_the_same_as_operation_count_in_provisional_index_file"
	CodeProvisionalProofFileUpdatePropertyNotAnArray                                   Code = "provisional_proof_file_update_property_not_an_array"
	CodeQueueingMultipleOperationsPerDidNotAllowed                                     Code = "queueing_multiple_operations_per_did_not_allowed"
	CodeRecoverOperationMissingOrInvalidDidUniqueSuffix                                Code = "recover_operation_missing_or_invalid_did_unique_suffix"
	CodeRecoverOperationSignedDataMissingOrUnknownProperty                             Code = "recover_operation_signed_data_missing_or_unknown_property"
	CodeRecoverOperationTypeIncorrect                                                  Code = "recover_operation_type_incorrect"
	CodeRequestHandlerUnknownOperationType                                             Code = "request_handler_unknown_operation_type"
	CodeSuffixDataTypeInvalidCharacter                                                 Code = "suffix_data_type_invalid_character"
	CodeSuffixDataTypeIsNotString                                                      Code = "suffix_data_type_is_not_string"
	CodeSuffixDataTypeLengthGreaterThanFour                                            Code = "suffix_data_type_length_greater_than_four"
	CodeTransactionFeePaidInvalid                                                      Code = "transaction_fee_paid_invalid"
	CodeTransactionFeePaidLessThanNormalizedFee                                        Code = "transaction_fee_paid_less_than_normalized_fee"
	CodeTransactionProcessorPaidOperationCountExceedsLimit                             Code = "transaction_processor_paid_operation_count_exceeds_limit"
	CodeTransactionsNotInSameBlock                                                     Code = "transactions_not_in_same_block"
	CodeUpdateOperationMissingDidUniqueSuffix                                          Code = "update_operation_missing_did_unique_suffix"
	CodeUpdateOperationSignedDataHasMissingOrUnknownProperty                           Code = "update_operation_signed_data_has_missing_or_unknown_property"
	CodeUpdateOperationTypeIncorrect                                                   Code = "update_operation_type_incorrect"
	CodeValueTimeLockVerifierInvalidNumberOfOperations                                 Code = "value_time_lock_verifier_invalid_number_of_operations"
	CodeValueTimeLockVerifierTransactionTimeOutsideLockRange                           Code = "value_time_lock_verifier_transaction_time_outside_lock_range"
	CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch                        Code = "value_time_lock_verifier_transaction_writer_lock_owner_mismatch"
)

// Errorf returns a protocol error with the given code, for packages that extend the protocol core.
func Errorf(code Code, format string, args ...any) *Error { return newError(code, format, args...) }
