// Package store is the node's persistence: the anchored-operation log that is the truth of every DID's
// state, the processed transactions and the chain watcher's resume cursor, unresolvable transactions
// waiting for a retry, the queue of operations waiting to be batched, the materialized DID state cache
// and the batch writer's wallet records.
//
// Two implementations satisfy [Store]: package pebble (embedded, the zero-setup default: one data
// directory, nothing to run) and package mongo (MongoDB, for production and for read-only resolver
// replicas). Package storetest holds the one conformance suite both must pass.
//
// Every write is idempotent, so that after a crash the observer can re-process from its last stored
// position and store the same records again. The per-DID generation number returned with a DID's
// operations changes with every write or rollback touching that DID; the state cache is keyed on it so a
// resolver never serves a state computed from an operation log that has since changed.
//
// The package holds no global state; the consumers (node.Observer, node.API, resolver/ion.Resolver and the
// anchor writer) declare the interfaces they need and cmd/ionode wires a Store into them.
package store
