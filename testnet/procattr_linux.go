package testnet

import "syscall"

// childAttr kills btcd when the process that started it dies, so a crashed test leaves nothing behind.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
