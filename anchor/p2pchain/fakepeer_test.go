package p2pchain

import (
	"net"
	"sync"
	"testing"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"
)

// The adversary: a peer built on btcd's peer package that serves real headers (a copy of a btcd node's
// chain) and misbehaves when asked for blocks. Honest behaviour is always a real btcd node.
type misbehaviour int

const (
	tamper   misbehaviour = iota // a block whose transactions do not match its header's Merkle root
	stall                        // getdata is never answered
	withhold                     // notfound for blocks whose headers it sent
	badPoW                       // headers whose last one's hash misses its target
)

type fakePeer struct {
	ln     net.Listener
	mode   misbehaviour
	blocks []*wire.MsgBlock // by height, from genesis

	mu       sync.Mutex
	requests int
	peers    []*peer.Peer
}

func startFakePeer(t *testing.T, blocks []*wire.MsgBlock, mode misbehaviour) *fakePeer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakePeer{ln: ln, mode: mode, blocks: blocks}
	go f.accept()
	t.Cleanup(func() {
		ln.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, p := range f.peers {
			p.Disconnect()
		}
	})
	return f
}

func (f *fakePeer) addr() string { return f.ln.Addr().String() }

func (f *fakePeer) requested() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *fakePeer) accept() {
	for {
		conn, err := f.ln.Accept()
		if err != nil {
			return
		}
		tip := f.blocks[len(f.blocks)-1].BlockHash()
		p := peer.NewInboundPeer(&peer.Config{
			UserAgentName: "adversary", UserAgentVersion: "1", ChainParams: testParams(),
			// Both ends run in this process: btcd would take the shared version nonce for a self-connection.
			AllowSelfConns: true,
			Services:       wire.SFNodeNetwork | wire.SFNodeWitness,
			NewestBlock: func() (*chainhash.Hash, int32, error) {
				return &tip, int32(len(f.blocks) - 1), nil
			},
			Listeners: peer.MessageListeners{OnGetHeaders: f.onGetHeaders, OnGetData: f.onGetData, OnVerAck: f.onVerAck},
		})
		f.mu.Lock()
		f.peers = append(f.peers, p)
		f.mu.Unlock()
		p.AssociateConnection(conn)
	}
}

// onVerAck makes the withholding and the bad-proof-of-work peers announce their whole chain as soon as
// they are connected, as a node announcing blocks with their headers does. Their getheaders answer alone
// would not do: when the honest peer's headers arrive first, that answer is empty and the adversary never
// shows what it misbehaves with. The announcement is queued before any getheaders answer (the source's
// verack comes before its getheaders), so it is always processed before the source counts this peer as
// synced.
func (f *fakePeer) onVerAck(p *peer.Peer, _ *wire.MsgVerAck) {
	if f.mode != withhold && f.mode != badPoW {
		return
	}
	p.QueueMessage(f.headersFrom(1), nil)
}

func (f *fakePeer) onGetHeaders(p *peer.Peer, msg *wire.MsgGetHeaders) {
	start := 1
locate:
	for _, h := range msg.BlockLocatorHashes {
		for i, b := range f.blocks {
			if b.BlockHash() == *h {
				start = i + 1
				break locate
			}
		}
	}
	p.QueueMessage(f.headersFrom(start), nil)
}

// headersFrom is the headers message from height start on; a bad-proof-of-work peer's last header has
// its nonce changed until its hash misses its target.
func (f *fakePeer) headersFrom(start int) *wire.MsgHeaders {
	out := wire.NewMsgHeaders()
	for i := start; i < len(f.blocks) && len(out.Headers) < wire.MaxBlockHeadersPerMsg; i++ {
		h := f.blocks[i].Header
		_ = out.AddBlockHeader(&h)
	}
	if f.mode == badPoW && len(out.Headers) > 0 {
		last := out.Headers[len(out.Headers)-1]
		for {
			last.Nonce++
			hash := last.BlockHash()
			if blockchain.HashToBig(&hash).Cmp(blockchain.CompactToBig(last.Bits)) > 0 {
				break
			}
		}
	}
	return out
}

func (f *fakePeer) onGetData(p *peer.Peer, msg *wire.MsgGetData) {
	f.mu.Lock()
	f.requests += len(msg.InvList)
	f.mu.Unlock()
	for _, iv := range msg.InvList {
		switch f.mode {
		case stall:
		case withhold:
			nf := wire.NewMsgNotFound()
			_ = nf.AddInvVect(iv)
			p.QueueMessage(nf, nil)
		case tamper:
			for _, b := range f.blocks {
				if b.BlockHash() != iv.Hash {
					continue
				}
				// Same header, one more satoshi to the coinbase: the Merkle root no longer matches.
				bad := b.Copy()
				bad.Transactions[0].TxOut[0].Value++
				p.QueueMessage(bad, nil)
			}
		}
	}
}
