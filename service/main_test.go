package service_test

import (
	"testing"

	"github.com/contactgate/contactgate/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
