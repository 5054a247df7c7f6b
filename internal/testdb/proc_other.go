//go:build !unix

package testdb

import "syscall"

// sysProcAttr: no process groups, users or parent-death signal here.
func sysProcAttr(*osUser) *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

// processAlive cannot tell here, so stale cluster dirs are kept.
func processAlive(int) bool { return true }
