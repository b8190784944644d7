package mongo

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// topology is how the server the store talks to is deployed.
type topology string

const (
	standalone topology = "standalone"
	replicaSet topology = "replica set"
	sharded    topology = "sharded cluster"
)

// server is what Open learns of the server from its hello and buildInfo replies.
type server struct {
	topology topology
	setName  string // replica set name
	version  string // MongoDB's version, or the version FerretDB claims to be
	ferretDB string // FerretDB's own version; "" on MongoDB
}

func (s server) String() string {
	if s.ferretDB != "" {
		return "FerretDB " + s.ferretDB
	}
	return "MongoDB " + s.version
}

// helloReply is the part of a hello reply that tells the topology.
type helloReply struct {
	Msg     string `bson:"msg"`     // "isdbgrid" from a mongos router
	SetName string `bson:"setName"` // present on replica set members
}

// buildInfoReply is the part of a buildInfo reply the store reads.
type buildInfoReply struct {
	Version  string `bson:"version"`
	FerretDB string `bson:"ferretdbVersion"` // only FerretDB adds it
}

// classify decides the server's kind from its replies, raw so that tests feed it recorded replies of
// the deployments that cannot be started here (replica sets, sharded clusters).
func classify(hello, buildInfo bson.Raw) (server, error) {
	var h helloReply
	if err := bson.Unmarshal(hello, &h); err != nil {
		return server{}, fmt.Errorf("decode hello reply: %w", err)
	}
	var b buildInfoReply
	if err := bson.Unmarshal(buildInfo, &b); err != nil {
		return server{}, fmt.Errorf("decode buildInfo reply: %w", err)
	}
	srv := server{topology: standalone, version: b.Version, ferretDB: b.FerretDB, setName: h.SetName}
	switch {
	case h.Msg == "isdbgrid":
		srv.topology = sharded
	case h.SetName != "":
		srv.topology = replicaSet
	}
	return srv, nil
}

// probe asks the server for its hello and buildInfo replies and classifies them.
func (s *Store) probe(ctx context.Context) (server, error) {
	hello, err := s.db.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Raw()
	if err != nil {
		return server{}, fmt.Errorf("mongo store: hello: %w", err)
	}
	info, err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return server{}, fmt.Errorf("mongo store: buildInfo: %w", err)
	}
	srv, err := classify(hello, info)
	if err != nil {
		return server{}, fmt.Errorf("mongo store: %w", err)
	}
	return srv, nil
}

// ErrReadPreference is returned by Open for a writing store whose URI reads from secondaries.
var ErrReadPreference = errors.New("a writing node must read from the primary")

// readPlan is how the store reads, decided at Open.
type readPlan struct {
	// pinPrimary overrides the URI's read preference with primary.
	pinPrimary bool
	// causal runs each multi-read call (a generation, then what it guards) in a causally consistent
	// session with majority read concern, so the second read never sees an older point than the first.
	causal bool
}

// planReads decides how the store reads from the URI's read preference (nil: none given) and the
// options: a writer reads from the primary only; a read-only replica may read from secondaries through
// causally consistent sessions, or be pinned to the primary.
func planReads(rp *readpref.ReadPref, readOnly, readPrimary bool) (readPlan, error) {
	if readPrimary {
		return readPlan{pinPrimary: true}, nil
	}
	if rp == nil || rp.Mode() == readpref.PrimaryMode {
		return readPlan{}, nil
	}
	if !readOnly {
		return readPlan{}, fmt.Errorf("mongo store: the URI sets readPreference=%s: %w (its reads are not made causally consistent with sessions, so two secondaries could pair a current generation with stale operations and cache a stale state); remove readPreference from the URI or set it to primary, or pin primary reads with --mongodb-read-primary", rp.Mode(), ErrReadPreference)
	}
	return readPlan{causal: true}, nil
}

// standaloneWarning is logged once when the server is a standalone server.
const standaloneWarning = "mongo store: standalone server: no retryable writes (a write cut off by a network error fails instead of being retried) and no safe failover (the node stops with the server); run a replica set: one member gives retryable writes, three give failover"

// adopt sets the store up for the server Open found: FerretDB gets its update chunking. It logs what it
// found, once, and warns about what a standalone server lacks.
func (s *Store) adopt(srv server) {
	s.server = srv
	if srv.ferretDB != "" {
		s.chunk = ferretUpdateChunk
	}
	reads := "primary"
	switch {
	case s.reads.pinPrimary:
		reads = "primary (pinned)"
	case s.reads.causal:
		reads = "secondaries, causally consistent sessions"
	}
	s.log.Info("mongo store: connected", "server", s.server.String(), "topology", string(s.server.topology),
		"replica_set", s.server.setName, "read_only", s.readOnly, "reads", reads)
	if s.server.topology == standalone {
		s.log.Warn(standaloneWarning)
	}
}

// consistent runs fn, whose reads must see one point in time or later ones (a generation, then the
// operations or state it guards), in a causally consistent session when the store reads from
// secondaries: each read then waits until its member has caught up with the one before.
func (s *Store) consistent(ctx context.Context, fn func(context.Context) error) error {
	if !s.reads.causal {
		return fn(ctx)
	}
	return s.client.UseSessionWithOptions(ctx, options.Session().SetCausalConsistency(true), fn)
}
