//go:build unix && !linux

package testdb

import "syscall"

// sysProcAttr runs the child in its own process group, as owner when given.
// Outside Linux there is no parent-death signal: call Main or Shutdown.
func sysProcAttr(owner *osUser) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if owner != nil {
		a.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid), Groups: []uint32{}}
	}
	return a
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
