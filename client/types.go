package client

import "time"

// The answers of the node's explorer routes, declared here rather than taken from package node so that
// a program using the client does not link the node (its IPFS and Bitcoin stacks). A test decodes the
// node's own types into these, so they cannot drift apart.

// History is the body of GET /identifiers/{did}/operations (node.HistoryReport).
type History struct {
	DID             string             `json:"did"`
	DIDSuffix       string             `json:"didSuffix"`
	Operations      []HistoryOperation `json:"operations"`
	Total           int                `json:"total"`
	Truncated       bool               `json:"truncated"`
	ResolutionError string             `json:"resolutionError,omitempty"`
}

// HistoryOperation is one anchored operation and what became of it (node.HistoryOperation).
type HistoryOperation struct {
	Type              string `json:"type"`
	TransactionNumber string `json:"transactionNumber"`
	BlockHeight       uint64 `json:"blockHeight"`
	OperationIndex    uint32 `json:"operationIndex"`
	Applied           *bool  `json:"applied"`
	// Outcome is a stable code: applied, superseded_by_deactivation, superseded_by_recovery,
	// duplicate_create, commitment_used, commitment_reused, invalid, unknown_commitment, key_replaced,
	// unknown. Reason says it in words.
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// Status is the body of GET /status (node.StatusReport).
type Status struct {
	Name              string      `json:"name"`
	Version           string      `json:"version"`
	Network           string      `json:"network"`
	DIDMethod         string      `json:"didMethod"`
	ProtocolVersion   string      `json:"protocolVersion"`
	AcceptsOperations bool        `json:"acceptsOperations"`
	Sync              *SyncStatus `json:"sync"`
	Queue             *struct {
		Depth int `json:"depth"`
	} `json:"queue"`
	Connectivity struct {
		CAS     *Check `json:"cas"`
		Bitcoin *Check `json:"bitcoin"`
	} `json:"connectivity"`
	Time time.Time `json:"time"`
}

// SyncStatus is the node's position on the chain (node.SyncStatus).
type SyncStatus struct {
	Height              uint64  `json:"height"`
	Tip                 uint64  `json:"tip"`
	BlocksBehind        uint64  `json:"blocksBehind"`
	Progress            float64 `json:"progress"`
	OperationsPerSecond float64 `json:"operationsPerSecond"`
	BlocksPerSecond     float64 `json:"blocksPerSecond"`
	Ready               bool    `json:"ready"`
	NotReadyReason      string  `json:"notReadyReason,omitempty"`
}

// Check is the outcome of one connectivity probe.
type Check struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}
