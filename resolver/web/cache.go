package web

import (
	"container/list"
	"sync"
	"time"
)

// cache is a bounded map with per-entry expiry, evicting the least recently used entry when full.
type cache[V any] struct {
	mu    sync.Mutex
	max   int
	items map[string]*list.Element
	order *list.List // front: most recently used
}

type cacheEntry[V any] struct {
	key     string
	value   V
	expires time.Time
}

func newCache[V any](max int) *cache[V] {
	return &cache[V]{max: max, items: make(map[string]*list.Element), order: list.New()}
}

func (c *cache[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*cacheEntry[V])
	if !now.Before(e.expires) {
		c.order.Remove(el)
		delete(c.items, key)
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

func (c *cache[V]) put(key string, value V, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*cacheEntry[V])
		e.value, e.expires = value, expires
		c.order.MoveToFront(el)
		return
	}
	for c.order.Len() >= c.max && c.order.Len() > 0 {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry[V]).key)
	}
	c.items[key] = c.order.PushFront(&cacheEntry[V]{key: key, value: value, expires: expires})
}

func (c *cache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
