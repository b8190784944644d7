package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ionode/ionode/bench/internal/chainbuild"
	"github.com/ionode/ionode/sidetree"
)

// The final state a DID must resolve to, by the last operation the chain holds for it.
const (
	finalCreated     = "created"
	finalUpdated     = "updated"
	finalRecovered   = "recovered"
	finalDeactivated = "deactivated"
)

// sampler writes, as the builder anchors batches, every every-th DID of each final state to the expect
// file ("state suffix" lines, which the node checks) and the live ones among them to the DID file (the
// resolution load's DIDs), so neither the builder nor the node holds every DID of a large chain.
type sampler struct {
	every        int
	expect, live *bufio.Writer
	files        []*os.File
	seen         map[string]int // DIDs by final state
	sampled      map[string]int
}

func newSampler(expectPath, livePath string, every int) (*sampler, error) {
	s := &sampler{every: max(every, 1), seen: map[string]int{}, sampled: map[string]int{}}
	for _, p := range []string{expectPath, livePath} {
		f, err := os.Create(p)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.files = append(s.files, f)
	}
	s.expect, s.live = bufio.NewWriter(s.files[0]), bufio.NewWriter(s.files[1])
	return s, nil
}

// add records a batch's settled DIDs; chainbuild.Batch says why each list is final.
func (s *sampler) add(b chainbuild.Batch) error {
	for _, l := range []struct {
		state    string
		suffixes []string
	}{{finalCreated, b.Settled}, {finalUpdated, b.Updated}, {finalRecovered, b.Recovered}, {finalDeactivated, b.Deactivated}} {
		for _, suffix := range l.suffixes {
			n := s.seen[l.state]
			s.seen[l.state]++
			if n%s.every != 0 {
				continue
			}
			s.sampled[l.state]++
			fmt.Fprintf(s.expect, "%s %s\n", l.state, suffix)
			if l.state != finalDeactivated {
				fmt.Fprintln(s.live, suffix)
			}
		}
	}
	return nil
}

// Close flushes and closes both files.
func (s *sampler) Close() error {
	var errs []error
	for i, w := range []*bufio.Writer{s.expect, s.live} {
		if w != nil {
			errs = append(errs, w.Flush())
		}
		if i < len(s.files) {
			errs = append(errs, s.files[i].Close())
		}
	}
	return errors.Join(errs...)
}

// matches reports whether a resolved state is the final state the chain gives the DID: the generated
// create has the service dwn.example.com, an update adds hub.example.com, a recover replaces the
// document with one whose only service is recovered.example.com (package gen).
func matches(state string, s *sidetree.State) bool {
	if s == nil {
		return false
	}
	if state == finalDeactivated || s.Deactivated() {
		return state == finalDeactivated && s.Deactivated()
	}
	doc := string(s.Document.Stringify())
	dwn, hub, recovered := strings.Contains(doc, "dwn.example.com"), strings.Contains(doc, "hub.example.com"), strings.Contains(doc, "recovered.example.com")
	switch state {
	case finalCreated:
		return dwn && !hub && !recovered
	case finalUpdated:
		return dwn && hub && !recovered
	case finalRecovered:
		return recovered && !dwn && !hub
	}
	return false
}
