package vulndb

import (
	"context"
	"testing"
	"time"
)

func TestImportRealGoDatabase(t *testing.T) {
	b := NewBuilder()
	if err := b.Import(context.Background(), sharedVulnDB(t, "go-osv")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	info, err := b.Write(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v problems=%v", info, b.Problems())
}
