package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// maxRequestBodyBytes bounds a --body file: request bodies are a few KB.
const maxRequestBodyBytes = 1 << 20

// readRequestBody reads --body: a Request Service API body as JSON, from a file or "-" for standard
// input. It is sent as written, so every field of the API (and ionode's extensions) is reachable from the
// CLI; the flags that would build a body are refused beside it rather than silently ignored.
func readRequestBody(cmd *cobra.Command, path string, bodyFlags []string) (json.RawMessage, error) {
	var set []string
	for _, name := range bodyFlags {
		if cmd.Flags().Changed(name) {
			set = append(set, "--"+name)
		}
	}
	if len(set) > 0 {
		return nil, fail(exitInvalidInput, "--body is the whole request: leave out %s", strings.Join(set, ", "))
	}
	var r io.Reader = cmd.InOrStdin()
	name := "standard input"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fail(exitInvalidInput, "--body: %v", err)
		}
		defer f.Close()
		r, name = f, path
	}
	b, err := io.ReadAll(io.LimitReader(r, maxRequestBodyBytes+1))
	if err != nil {
		return nil, fail(exitInvalidInput, "--body %s: %v", name, err)
	}
	if len(b) > maxRequestBodyBytes {
		return nil, fail(exitInvalidInput, "--body %s: more than %d bytes", name, maxRequestBodyBytes)
	}
	b = bytes.TrimSpace(b)
	if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
		return nil, fail(exitInvalidInput, "--body %s: not a JSON object", name)
	}
	return json.RawMessage(b), nil
}

// bodyPin is the PIN an issuance body sets, to be told to the holder apart from the QR code.
func bodyPin(body json.RawMessage) string {
	var b struct {
		Pin *struct {
			Value string `json:"value"`
		} `json:"pin"`
	}
	if json.Unmarshal(body, &b) != nil || b.Pin == nil {
		return ""
	}
	return b.Pin.Value
}

// bodyFlagHelp is --body's help text.
func bodyFlagHelp(route string) string {
	return fmt.Sprintf(`the whole %s body as JSON, from a file or "-" for standard input (instead of the flags that build one)`, route)
}
