package cas_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/ionode/ionode/cas"
)

func Example() {
	dir, err := os.MkdirTemp("", "cas-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	node, err := cas.OpenNode(ctx, cas.NodeConfig{
		DataDir: dir, // blocks and peer identity persist here
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	defer node.Close()

	// The same CID `ipfs add` prints for this file.
	id, err := node.Put(ctx, []byte("hello world\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(id)

	data, err := node.Get(ctx, id, 1_000_000) // ION's core index file limit
	fmt.Printf("%q %v\n", data, err)

	_, err = node.Get(ctx, id, 5)
	fmt.Println(err != nil, cas.Permanent(err))
	// Output:
	// QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o
	// "hello world\n" <nil>
	// true true
}
