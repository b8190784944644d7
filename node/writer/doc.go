// Package writer is the node's batch writer: it takes the operations accepted by POST /operations from
// the durable queue, builds ION's batch files (sidetree/batch), stores them in the CAS and anchors the
// core index file's CID on Bitcoin through the node's wallet (anchor), following the reference
// BatchWriter's policy: batch size bounded by the writer's value time lock, the minimum fee ION's fee
// rule demands, one batch at a time, the next only after the previous has enough confirmations.
//
// Operations stay in the store until their anchor transaction confirms, so a crash at any point loses
// nothing: on restart the in-flight batch is rebuilt (batch building is deterministic), its transaction
// looked up by anchor string, and the batch completed, anchored or returned to the queue.
//
// A completed batch is still kept (Writer.Kept, a file in the daemon's data directory) until its
// transaction is DefaultKeepDepth blocks deep: a reorganization deeper than the confirmations a batch
// waits for can drop the transaction or have it mined after another of the writer's anchors in one block
// (ION counts only a writer's first), and then the batch's operations go back to the queue. A restarted
// writer puts the kept batches' files again, once: until other nodes fetch them, the writer's node may
// be their only copy.
package writer
