// Package storetest is the conformance suite every store.Store implementation must pass: the embedded
// Pebble store and the MongoDB store run the same tests, so the node behaves the same on either.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openFreshStore(t) })
//	}
//
// open must return a new, empty store for each call and arrange its cleanup with t.Cleanup.
package storetest
