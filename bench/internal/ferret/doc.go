// Package ferret runs an embedded FerretDB v1 (SQLite backend) as the MongoDB-wire server a benchmark's
// node stores into when no MongoDB is at hand (-store=ferretdb). It is a test server: FerretDB is far
// slower than MongoDB, so its figures say how the MongoDB store behaves, not how fast MongoDB is.
package ferret
