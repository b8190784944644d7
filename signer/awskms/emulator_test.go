package awskms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	localkms "github.com/nsmithuk/local-kms/src"
	localkmsconfig "github.com/nsmithuk/local-kms/src/config"
	"github.com/nsmithuk/local-kms/src/data"

	"github.com/ionode/ionode/signer/awskms"
)

// emulator is Local KMS (github.com/nsmithuk/local-kms), an open-source AWS KMS emulator that keeps
// real keys in LevelDB and signs with them, served on a loopback httptest server. It is hosted in the
// test process rather than run as its own binary because its binary listens on every interface, and
// the tests talk to loopback only. before, when set, sees each request first and may answer it
// itself (a throttle, an outage).
type emulator struct {
	url    string
	before atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
	signs  atomic.Int64
}

func startEmulator(t testing.TB) *emulator {
	t.Helper()
	// Local KMS keeps its account and region in package variables; main sets them, so the test does.
	localkmsconfig.AWSRegion, localkmsconfig.AWSAccountId = "eu-west-2", "111122223333"
	db := data.NewDatabase(t.TempDir())
	t.Cleanup(db.Close)
	e := &emulator{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".Sign") {
			e.signs.Add(1)
		}
		if f := e.before.Load(); f != nil && (*f)(w, r) {
			return
		}
		localkms.HandleRequest(w, r, db)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *emulator) options() awskms.Options {
	return awskms.Options{Endpoint: e.url, Region: "eu-west-2",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
}

// client is an SDK client of the emulator, for the test's own CreateKey calls.
func (e *emulator) client() *kms.Client {
	return kms.New(kms.Options{Region: "eu-west-2", BaseEndpoint: aws.String(e.url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")})
}

// createKey makes a key in the emulator and returns its awskms: URI (by ARN).
func (e *emulator) createKey(t testing.TB, spec types.KeySpec, usage types.KeyUsageType) string {
	t.Helper()
	out, err := e.client().CreateKey(context.Background(), &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
	if err != nil {
		t.Fatal(err)
	}
	return "awskms:///" + *out.KeyMetadata.Arn
}
