package vulndb

import (
	"os"
	"testing"
)

var sharedTemp string

// tempDirOutsideTest returns a directory that lives as long as the test
// binary, for fixtures shared between tests.
func tempDirOutsideTest() (string, error) {
	if sharedTemp != "" {
		return sharedTemp, nil
	}
	dir, err := os.MkdirTemp("", "dockward-vulndb-test-*")
	sharedTemp = dir
	return dir, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedTemp != "" {
		os.RemoveAll(sharedTemp)
	}
	os.Exit(code)
}
