package tokenstatus

// Fetches is how many tokens the checker fetched.
func Fetches(c *Checker) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}
