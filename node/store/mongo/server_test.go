package mongo

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// logLines is a logger writing text lines without times, for comparing whole lines.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}}))
}

func (l *logLines) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.buf.String()), "\n")
}

func raw(t *testing.T, d bson.D) bson.Raw {
	t.Helper()
	b, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const standaloneLine = `level=WARN msg="mongo store: standalone server: no retryable writes (a write cut off by a network error fails instead of being retried) and no safe failover (the node stops with the server); run a replica set: one member gives retryable writes, three give failover"`

// TestStartupTopology feeds the startup decision the hello and buildInfo replies of each deployment
// and checks the lines it logs and the update chunking it picks. Replica sets and sharded clusters
// cannot be started on the build machines (there is no mongod), so their replies are recorded ones;
// the standalone FerretDB case is also run for real in TestOpenReportsServer.
func TestStartupTopology(t *testing.T) {
	mongoInfo := bson.D{{Key: "version", Value: "8.0.4"}, {Key: "ok", Value: 1.0}}
	cases := []struct {
		name      string
		hello     bson.D
		buildInfo bson.D
		lines     []string
		chunk     int
	}{
		{"MongoDB standalone", bson.D{{Key: "isWritablePrimary", Value: true}, {Key: "maxWireVersion", Value: 25}}, mongoInfo, []string{
			`level=INFO msg="mongo store: connected" server="MongoDB 8.0.4" topology=standalone replica_set="" read_only=false reads=primary`,
			standaloneLine,
		}, 0},
		{"MongoDB replica set", bson.D{{Key: "isWritablePrimary", Value: true}, {Key: "setName", Value: "rs0"}, {Key: "hosts", Value: bson.A{"a:27017", "b:27017", "c:27017"}}}, mongoInfo, []string{
			`level=INFO msg="mongo store: connected" server="MongoDB 8.0.4" topology="replica set" replica_set=rs0 read_only=false reads=primary`,
		}, 0},
		{"MongoDB sharded cluster (mongos)", bson.D{{Key: "isWritablePrimary", Value: true}, {Key: "msg", Value: "isdbgrid"}}, mongoInfo, []string{
			`level=INFO msg="mongo store: connected" server="MongoDB 8.0.4" topology="sharded cluster" replica_set="" read_only=false reads=primary`,
		}, 0},
		{"FerretDB", bson.D{{Key: "isWritablePrimary", Value: true}}, bson.D{{Key: "version", Value: "7.0.42"}, {Key: "ferretdbVersion", Value: "v1.24.2"}}, []string{
			`level=INFO msg="mongo store: connected" server="FerretDB v1.24.2" topology=standalone replica_set="" read_only=false reads=primary`,
			standaloneLine,
		}, ferretUpdateChunk},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := classify(raw(t, tc.hello), raw(t, tc.buildInfo))
			if err != nil {
				t.Fatal(err)
			}
			var log logLines
			s := &Store{log: log.logger()}
			s.adopt(srv)
			if got := log.lines(); strings.Join(got, "\n") != strings.Join(tc.lines, "\n") {
				t.Errorf("logged\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.lines, "\n"))
			}
			if s.chunk != tc.chunk {
				t.Errorf("update chunk %d, want %d", s.chunk, tc.chunk)
			}
		})
	}
}

// TestReadPreference decides, for each URI and mode, how the store reads, and checks the error a writer
// gets for a URI that reads from secondaries.
func TestReadPreference(t *testing.T) {
	const refused = "mongo store: the URI sets readPreference=secondaryPreferred: a writing node must read from the primary (its reads are not made causally consistent with sessions, so two secondaries could pair a current generation with stale operations and cache a stale state); remove readPreference from the URI or set it to primary, or pin primary reads with --mongodb-read-primary"
	cases := []struct {
		name                  string
		uri                   string
		readOnly, readPrimary bool
		want                  readPlan
		err                   string
	}{
		{"writer, no read preference", "mongodb://a,b,c/?replicaSet=rs0", false, false, readPlan{}, ""},
		{"writer, primary", "mongodb://a/?readPreference=primary", false, false, readPlan{}, ""},
		{"writer, secondaryPreferred", "mongodb://a,b,c/?replicaSet=rs0&readPreference=secondaryPreferred", false, false, readPlan{}, refused},
		{"writer, nearest", "mongodb://a,b,c/?replicaSet=rs0&readPreference=nearest", false, false, readPlan{}, "readPreference=nearest: a writing node must read from the primary"},
		{"writer, secondaryPreferred pinned to primary", "mongodb://a/?readPreference=secondaryPreferred", false, true, readPlan{pinPrimary: true}, ""},
		{"replica, no read preference", "mongodb://a/", true, false, readPlan{}, ""},
		{"replica, secondaryPreferred", "mongodb://a,b,c/?replicaSet=rs0&readPreference=secondaryPreferred", true, false, readPlan{causal: true}, ""},
		{"replica, secondary", "mongodb://a/?readPreference=secondary", true, false, readPlan{causal: true}, ""},
		{"replica, secondaryPreferred pinned to primary", "mongodb://a/?readPreference=secondaryPreferred", true, true, readPlan{pinPrimary: true}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			co := options.Client().ApplyURI(tc.uri)
			plan, err := planReads(co.ReadPreference, tc.readOnly, tc.readPrimary)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrReadPreference)):
				t.Fatalf("error %v, want %q wrapping ErrReadPreference", err, tc.err)
			case tc.err == "" && plan != tc.want:
				t.Fatalf("plan %+v, want %+v", plan, tc.want)
			}
		})
	}
}

// TestOpenReportsServer opens stores on the test server for real: the writer logs the server and the
// standalone warning, a writer URI reading from secondaries is refused before connecting, and a
// read-only store on such a URI reads a generation and the operations in one causally consistent
// session with majority read concern.
func TestOpenReportsServer(t *testing.T) {
	ctx := context.Background()
	var log logLines
	w := openDB(t, ferretURI, Options{Logger: log.logger()})
	got := log.lines()
	if len(got) < 2 || !strings.HasPrefix(got[0], `level=INFO msg="mongo store: connected" server="FerretDB `) ||
		!strings.HasSuffix(got[0], `topology=standalone replica_set="" read_only=false reads=primary`) || got[1] != standaloneLine {
		t.Fatalf("startup log:\n%s", strings.Join(got, "\n"))
	}
	if err := w.PutOperations(ctx, newBatch(1, 8_000_000)); err != nil {
		t.Fatal(err)
	}
	secondaries := ferretURI + sep(ferretURI) + "readPreference=secondaryPreferred"
	if _, err := Open(ctx, Options{URI: secondaries, Database: w.db.Name()}); !errors.Is(err, ErrReadPreference) {
		t.Fatalf("writer on %s: err = %v, want ErrReadPreference", secondaries, err)
	}

	var mu sync.Mutex
	var reads []bson.Raw
	mon := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName == "find" {
			mu.Lock()
			reads = append(reads, e.Command)
			mu.Unlock()
		}
	}}
	var rlog logLines
	r := openDB(t, secondaries, Options{Database: w.db.Name(), ReadOnly: true, Monitor: mon, Logger: rlog.logger()})
	if line := rlog.lines()[0]; !strings.HasSuffix(line, `read_only=true reads="secondaries, causally consistent sessions"`) {
		t.Errorf("replica startup line %s", line)
	}
	suffix := newBatch(1, 8_000_000)[0].DIDSuffix
	ops, gen, err := r.Operations(ctx, suffix)
	if err != nil || len(ops) != 1 || gen != 1 {
		t.Fatalf("replica Operations = %d ops, generation %d, %v", len(ops), gen, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reads) != 2 {
		t.Fatalf("%d find commands, want 2", len(reads))
	}
	var sessions []string
	for _, cmd := range reads {
		lsid, err := cmd.LookupErr("lsid")
		level, _ := cmd.Lookup("readConcern", "level").StringValueOK()
		if err != nil || level != "majority" {
			t.Fatalf("read without a session or majority read concern: %s", cmd)
		}
		sessions = append(sessions, lsid.String())
	}
	if sessions[0] != sessions[1] {
		t.Errorf("the generation and the operations were read in different sessions: %v", sessions)
	}
}

func sep(uri string) string {
	if strings.Contains(uri, "?") {
		return "&"
	}
	return "/?"
}
