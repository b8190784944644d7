package cas

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	"github.com/ipfs/go-datastore/query"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// DHTMode says whether and how the embedded node joins the IPFS DHT (Amino, kad-dht).
type DHTMode string

const (
	// DHTOff: no content routing; bitswap asks only the peers the node is connected to.
	DHTOff DHTMode = "off"
	// DHTClient queries the DHT (finds providers, announces what the node writes) but answers no queries.
	DHTClient DHTMode = "client"
	// DHTServer also answers queries and keeps other peers' provider records.
	DHTServer DHTMode = "server"
	// DHTAuto is a client until AutoNAT finds the node publicly reachable, then a server (Kubo's default).
	DHTAuto DHTMode = "auto"
)

// ParseDHTMode reads a DHT mode name; "" is DHTOff.
func ParseDHTMode(s string) (DHTMode, error) {
	switch m := DHTMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return DHTOff, nil
	case DHTOff, DHTClient, DHTServer, DHTAuto:
		return m, nil
	}
	return "", fmt.Errorf("cas: DHT mode %q: want off, client, server or auto", s)
}

// ReprovideInterval is how often the node announces the files it wrote again: Amino forgets a provider
// record after 48 hours; Kubo re-announces every 22.
const ReprovideInterval = 22 * time.Hour

// provideKeyPrefix namespaces the roots the node announces in its datastore (beside the blocks), so
// that the reprovider knows them after a restart.
const provideKeyPrefix = "/ionode/provide/"

// startDHT joins the DHT and returns it. On the public DHT, as in Kubo's WAN DHT, private and
// loopback addresses are neither advertised nor dialed.
func (n *Node) startDHT(life context.Context, mode DHTMode, public bool, bootstrap []peer.AddrInfo) (*dht.IpfsDHT, error) {
	// Provider records other peers store with a server go to the node's datastore on disk, not to
	// memory (kad-dht's default), so a peer flooding announcements fills disk slowly instead of the heap;
	// they expire after 48 hours.
	opts := []dht.Option{dht.Datastore(n.ds)}
	switch mode {
	case DHTClient:
		opts = append(opts, dht.Mode(dht.ModeClient))
	case DHTServer:
		opts = append(opts, dht.Mode(dht.ModeServer))
	default:
		opts = append(opts, dht.Mode(dht.ModeAuto))
	}
	if public {
		bootstrap = append(dht.GetDefaultBootstrapPeerAddrInfos(), bootstrap...)
		opts = append(opts,
			dht.QueryFilter(dht.PublicQueryFilter),
			dht.RoutingTableFilter(dht.PublicRoutingTableFilter),
			dht.AddressFilter(func(addrs []ma.Multiaddr) []ma.Multiaddr { return ma.FilterAddrs(addrs, manet.IsPublicAddr) }))
	}
	opts = append(opts, dht.BootstrapPeers(bootstrap...))
	d, err := dht.New(n.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("cas: start DHT: %w", err)
	}
	if err := d.Bootstrap(life); err != nil {
		d.Close()
		return nil, fmt.Errorf("cas: bootstrap DHT: %w", err)
	}
	return d, nil
}

// recordForAnnouncing records root as a file of ours, which the reprovider announces for as long as
// the node runs (Put syncs the record with the file's blocks).
func (n *Node) recordForAnnouncing(ctx context.Context, root cid.Cid) error {
	if n.dht == nil {
		return nil
	}
	if err := n.ds.Put(ctx, datastore.NewKey(provideKeyPrefix+root.String()), nil); err != nil {
		return fmt.Errorf("cas: record %s for announcing: %w", root, err)
	}
	return nil
}

// announce announces a recorded root in the background: the DHT may not have found its first peers
// yet, so a failed announcement is retried a few times, and the reprovider announces every recorded
// root again anyway.
func (n *Node) announce(root cid.Cid) {
	if n.dht != nil {
		n.background.Go(func() { n.provideWithRetry(root) })
	}
}

// provide announces root once; a DHT walk that takes longer than two minutes is given up.
func (n *Node) provide(root cid.Cid) error {
	ctx, cancel := context.WithTimeout(n.life, 2*time.Minute)
	defer cancel()
	return n.dht.Provide(ctx, root, true)
}

func (n *Node) provideWithRetry(root cid.Cid) {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		err := n.provide(root)
		if err == nil {
			n.log.Debug("announced file on the DHT", "cid", root.String())
			return
		}
		if n.life.Err() != nil {
			return
		}
		if attempt == 6 {
			n.log.Warn("could not announce a file on the DHT; the reprovider tries again", "cid", root.String(), "err", err)
			return
		}
		select {
		case <-n.life.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// reprovide announces every recorded root shortly after start and then every ReprovideInterval.
func (n *Node) reprovide() {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		select {
		case <-n.life.Done():
			return
		case <-timer.C:
		}
		roots, err := n.announcedRoots(n.life)
		if err != nil {
			n.log.Warn("reading the files to announce failed", "err", err)
		}
		failed := 0
		for _, root := range roots {
			if err := n.provide(root); err != nil {
				failed++
			}
			if n.life.Err() != nil {
				return
			}
		}
		n.log.Info("announced the node's files on the DHT", "files", len(roots), "failed", failed)
		timer.Reset(ReprovideInterval)
	}
}

// announcedRoots lists the roots recorded by announce.
func (n *Node) announcedRoots(ctx context.Context) ([]cid.Cid, error) {
	res, err := n.ds.Query(ctx, query.Query{Prefix: provideKeyPrefix, KeysOnly: true})
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var roots []cid.Cid
	for r := range res.Next() {
		if r.Error != nil {
			return roots, r.Error
		}
		c, err := cid.Decode(strings.TrimPrefix(r.Key, provideKeyPrefix))
		if err != nil {
			continue // not ours to judge: a key some other version wrote
		}
		roots = append(roots, c)
	}
	return roots, nil
}
