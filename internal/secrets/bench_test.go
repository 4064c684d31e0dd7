package secrets_test

import (
	"testing"

	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// BenchmarkScan measures one core's throughput over generated source,
// configuration and logs with every detector on.
func BenchmarkScan(b *testing.B) {
	data := secrettest.NewGenerator(1).Text(8 << 20)
	sc := secrets.Default()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if ms := sc.Scan("bench.txt", data); len(ms) != 0 {
			b.Fatalf("generated text holds no secrets, got %d matches, first %s %s", len(ms), ms[0].RuleID, ms[0].Redacted)
		}
	}
}
