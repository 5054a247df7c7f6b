package gormstore

import (
	"testing"
	"unsafe"
)

// TestKnownText: a known value scans as the known string itself (no copy),
// any other value is copied out of the driver's buffer, which pgx reuses
// for the next row; database/sql's strings and bytes scan the same way.
func TestKnownText(t *testing.T) {
	known := knownStrings([]string{"TECHNICAL_EMERGENCY", "acc-1"})
	var k knownText
	k.known = known

	buf := []byte("acc-1")
	if err := k.ScanBytes(buf); err != nil {
		t.Fatal(err)
	}
	if k.v != "acc-1" || unsafe.StringData(k.v) != unsafe.StringData(known["acc-1"]) {
		t.Errorf("a known value was not the known string: %q", k.v)
	}

	buf = []byte("acc-2")
	if err := k.ScanBytes(buf); err != nil {
		t.Fatal(err)
	}
	buf[4] = '9' // pgx reuses its buffer for the next row
	if k.v != "acc-2" {
		t.Errorf("an unknown value was not copied: %q", k.v)
	}

	for _, src := range []any{"TECHNICAL_EMERGENCY", []byte("TECHNICAL_EMERGENCY")} {
		if err := k.Scan(src); err != nil {
			t.Fatal(err)
		}
		if unsafe.StringData(k.v) != unsafe.StringData(known["TECHNICAL_EMERGENCY"]) {
			t.Errorf("Scan(%T): not the known string", src)
		}
	}
	if err := k.Scan("other"); err != nil || k.v != "other" {
		t.Errorf("Scan(other) = %q, %v", k.v, err)
	}
	if err := k.Scan(nil); err == nil {
		t.Error("NULL scanned without an error")
	}
	if err := k.Scan(42); err == nil {
		t.Error("a number scanned as text without an error")
	}
}
