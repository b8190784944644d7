package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// The ion-sdk vector DID (tests/IonDid.spec.ts) and the values its resolution must carry.
const vectorLongForm = "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg:eyJkZWx0YSI6eyJwYXRjaGVzIjpbeyJhY3Rpb24iOiJyZXBsYWNlIiwiZG9jdW1lbnQiOnsicHVibGljS2V5cyI6W3siaWQiOiJwdWJsaWNLZXlNb2RlbDFJZCIsInB1YmxpY0tleUp3ayI6eyJjcnYiOiJzZWNwMjU2azEiLCJrdHkiOiJFQyIsIngiOiJ0WFNLQl9ydWJYUzdzQ2pYcXVwVkpFelRjVzNNc2ptRXZxMVlwWG45NlpnIiwieSI6ImRPaWNYcWJqRnhvR0otSzAtR0oxa0hZSnFpY19EX09NdVV3a1E3T2w2bmsifSwicHVycG9zZXMiOlsiYXV0aGVudGljYXRpb24iLCJrZXlBZ3JlZW1lbnQiXSwidHlwZSI6IkVjZHNhU2VjcDI1NmsxVmVyaWZpY2F0aW9uS2V5MjAxOSJ9XSwic2VydmljZXMiOlt7ImlkIjoic2VydmljZTFJZCIsInNlcnZpY2VFbmRwb2ludCI6Imh0dHA6Ly93d3cuc2VydmljZTEuY29tIiwidHlwZSI6InNlcnZpY2UxVHlwZSJ9XX19XSwidXBkYXRlQ29tbWl0bWVudCI6IkVpREtJa3dxTzY5SVBHM3BPbEhrZGI4Nm5ZdDBhTnhTSFp1MnItYmhFem5qZEEifSwic3VmZml4RGF0YSI6eyJkZWx0YUhhc2giOiJFaUNmRFdSbllsY0Q5RUdBM2RfNVoxQUh1LWlZcU1iSjluZmlxZHo1UzhWRGJnIiwicmVjb3ZlcnlDb21taXRtZW50IjoiRWlCZk9aZE10VTZPQnc4UGs4NzlRdFotMkotOUZiYmpTWnlvYUFfYnFENHpoQSJ9fQ"

func TestResolveLongForm(t *testing.T) {
	out, errOut, code := runCLI(t, "did", "resolve", vectorLongForm)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		DidDocument struct {
			ID                 string `json:"id"`
			VerificationMethod []struct {
				ID string `json:"id"`
			} `json:"verificationMethod"`
		} `json:"didDocument"`
		Metadata struct {
			Method struct {
				Published bool `json:"published"`
			} `json:"method"`
			EquivalentID []string `json:"equivalentId"`
		} `json:"didDocumentMetadata"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if res.DidDocument.ID != vectorLongForm || res.Metadata.Method.Published || len(res.DidDocument.VerificationMethod) != 1 ||
		res.DidDocument.VerificationMethod[0].ID != "#publicKeyModel1Id" ||
		len(res.Metadata.EquivalentID) != 1 || res.Metadata.EquivalentID[0] != "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg" {
		t.Errorf("unexpected resolution: %s", out)
	}
	if !strings.HasPrefix(out, `{"@context":"https://w3id.org/did-resolution/v1","didDocument":{"id":"did:ion:`) {
		t.Errorf("output does not keep ION's property order: %.80s", out)
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown method", []string{"did", "resolve", "did:foo:bar"}, exitInvalidInput, "methodNotSupported"},
		{"did:web on loopback", []string{"did", "resolve", "did:web:localhost%3A1"}, exitNotFound, "notFound"},
		{"malformed did:key", []string{"did", "resolve", "did:key:zNotAKey"}, exitInvalidInput, "cannot resolve"},
		{"tampered initial state", []string{"did", "resolve", vectorLongForm[:len(vectorLongForm)-4] + "AAAA"}, exitInvalidInput, "invalid DID"},
		{"suffix mismatch", []string{"did", "resolve", "did:ion:EiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + vectorLongForm[strings.LastIndex(vectorLongForm, ":"):]}, exitInvalidInput, "did_unique_suffix_from_initial_state_mismatch"},
		{"short form offline", []string{"did", "resolve", "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg"}, exitNotFound, "needs a node"},
		{"no argument", []string{"did", "resolve"}, 1, "accepts 1 arg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (%s)", code, tc.code, errOut)
			}
			if strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr should be one line containing %q, got %q", tc.msg, errOut)
			}
		})
	}
}

func TestCreateThenResolve(t *testing.T) {
	for _, tc := range []struct{ network, keyType, prefix string }{
		{"mainnet", "secp256k1", "did:ion:"},
		{"testnet", "Ed25519", "did:ion:test:"},
	} {
		t.Run(tc.network+"/"+tc.keyType, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code := runCLI(t, "did", "create", "--json", "--network", tc.network, "--key-type", tc.keyType,
				"--out", dir, "--service", "dwn,DecentralizedWebNode,https://dwn.example.com")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var created struct {
				DID      string          `json:"did"`
				Short    string          `json:"shortFormDid"`
				KeyFiles []string        `json:"keyFiles"`
				Request  json.RawMessage `json:"request"`
			}
			if err := json.Unmarshal([]byte(out), &created); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(created.DID, tc.prefix) || !strings.HasPrefix(created.DID, created.Short+":") {
				t.Fatalf("DID %s / %s", created.DID, created.Short)
			}
			if len(created.KeyFiles) != 3 {
				t.Fatalf("key files %v", created.KeyFiles)
			}
			for _, f := range created.KeyFiles {
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
				}
			}
			if strings.Contains(out, `"d"`) {
				t.Error("a private key was printed")
			}
			res, errOut, code := runCLI(t, "did", "resolve", created.DID)
			if code != 0 || !strings.Contains(res, "#dwn") || !strings.Contains(res, "#key-1") {
				t.Fatalf("resolve of created DID: exit %d %s %s", code, errOut, res)
			}
			// A second create into the same directory must not overwrite the keys.
			_, errOut, code = runCLI(t, "did", "create", "--out", dir)
			if code != exitInvalidInput || !strings.Contains(errOut, "refusing to overwrite") {
				t.Errorf("second create: exit %d %s", code, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "recovery.jwk")); err != nil {
				t.Fatal(err)
			}
		})
	}
}
