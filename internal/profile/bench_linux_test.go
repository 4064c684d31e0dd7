package profile

import (
	"context"
	"os/exec"
	"testing"
)

// syscallHeavy copies 20,000 bytes one byte per call: 40,000 read and
// write syscalls.
var syscallHeavy = []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=20000", "status=none"}

func BenchmarkTraceOverhead(b *testing.B) {
	if _, err := exec.LookPath("dd"); err != nil {
		b.Skip("dd not installed")
	}
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			if err := exec.Command(syscallHeavy[0], syscallHeavy[1:]...).Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("traced", func(b *testing.B) {
		for b.Loop() {
			tr, err := Run(context.Background(), Options{Command: syscallHeavy})
			if err != nil {
				b.Fatal(err)
			}
			if tr.ExitCode != 0 {
				b.Fatalf("dd exited with %d", tr.ExitCode)
			}
		}
	})
}
