package mongo

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FuzzClassify feeds the startup decision arbitrary hello and buildInfo replies: it returns a server or
// an error, never panics, and a mongos reply is always a sharded cluster.
func FuzzClassify(f *testing.F) {
	for _, d := range []bson.D{
		{{Key: "isWritablePrimary", Value: true}},
		{{Key: "setName", Value: "rs0"}},
		{{Key: "msg", Value: "isdbgrid"}},
		{{Key: "version", Value: "7.0.42"}, {Key: "ferretdbVersion", Value: "v1.24.2"}},
	} {
		b, err := bson.Marshal(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, b)
	}
	f.Fuzz(func(t *testing.T, hello, buildInfo []byte) {
		srv, err := classify(hello, buildInfo)
		if err != nil {
			return
		}
		var h helloReply
		if bson.Unmarshal(hello, &h) == nil && h.Msg == "isdbgrid" && srv.topology != sharded {
			t.Fatalf("mongos reply classified as %s", srv.topology)
		}
	})
}
