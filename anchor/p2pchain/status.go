package p2pchain

import "sort"

// Status is what /status shows of the P2P chain source.
type Status struct {
	Peers        []PeerStatus `json:"peers"`
	HeaderHeight int64        `json:"headerHeight"`
	HeaderHash   string       `json:"headerHash"`
	// BlockHeight is the highest best-chain block fetched and verified; Lag is how far it is behind
	// the headers.
	BlockHeight int64       `json:"blockHeight"`
	Lag         int64       `json:"lag"`
	Banned      []PeerEvent `json:"recentBans,omitempty"`
}

// PeerStatus is one connected peer.
type PeerStatus struct {
	Addr         string `json:"addr"`
	UserAgent    string `json:"userAgent"`
	Height       int64  `json:"height"`
	BlocksServed int64  `json:"blocksServed"`
	NotFound     int64  `json:"notFound"`
}

// Status reports the peers, the header and block heights and the lag.
func (s *Source) Status() Status {
	tip := s.headers.Tip()
	s.mu.Lock()
	st := Status{HeaderHeight: tip.Height, HeaderHash: tip.Hash.String(), BlockHeight: s.served, Banned: append([]PeerEvent(nil), s.events...)}
	peers := make([]*peerConn, 0, len(s.peers))
	for _, pc := range s.peers {
		peers = append(peers, pc)
	}
	s.mu.Unlock()
	// After a reorganization to a shorter branch with more work, blocks above the new tip are gone.
	st.BlockHeight = min(st.BlockHeight, st.HeaderHeight)
	st.Lag = st.HeaderHeight - st.BlockHeight
	for _, pc := range peers {
		pc.mu.Lock()
		st.Peers = append(st.Peers, PeerStatus{
			Addr: pc.addr, UserAgent: pc.p.UserAgent(), Height: pc.bestHeight, BlocksServed: pc.served, NotFound: pc.failed,
		})
		pc.mu.Unlock()
	}
	sort.Slice(st.Peers, func(i, j int) bool { return st.Peers[i].Addr < st.Peers[j].Addr })
	return st
}
