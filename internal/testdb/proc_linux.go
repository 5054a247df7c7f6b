package testdb

import "syscall"

// sysProcAttr runs the child in its own process group (a terminal's ^C goes
// to the test binary, not to postgres), as owner when given, and has the
// kernel send it SIGQUIT (postgres: immediate shutdown) when the test
// binary dies, so that no server outlives its tests.
func sysProcAttr(owner *osUser) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	if owner != nil {
		a.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid), Groups: []uint32{}}
	}
	return a
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
