package gormstore

import (
	"strings"
	"testing"

	"github.com/contactgate/contactgate/models"
)

// TestMissingBitOrder: the partial indexes of migration 0002 name the bits
// of models.FieldSet in the order models.ContactFields gives them, so that a
// reordered field list cannot silently point an index at another field.
func TestMissingBitOrder(t *testing.T) {
	if len(missingBitIndexes) != len(models.ContactFields) {
		t.Fatalf("%d indexes for %d fields", len(missingBitIndexes), len(models.ContactFields))
	}
	for i, f := range models.ContactFields {
		if want := strings.ToLower(string(f)); missingBitIndexes[i] != want {
			t.Errorf("bit %d: index for %q, field is %s", i, missingBitIndexes[i], f)
		}
		if f.Bit() != models.FieldSet(1)<<i {
			t.Errorf("%s: bit %d, want %d", f, f.Bit(), 1<<i)
		}
	}
}
