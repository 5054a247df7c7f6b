//go:build !linux

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "bench: the harness runs on Linux only (it reads /proc for RSS)")
	os.Exit(1)
}
