//go:build cgo

package pkcs11

// DropSessions closes every session the application has on the key's token, as a token reset or a
// removal and reinsertion does.
func DropSessions(k Key) error {
	tk := k.(*tokenKey)
	return tk.t.ctx.CloseAllSessions(tk.t.slot)
}
