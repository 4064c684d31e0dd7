package cli

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSetCheckCollector(t *testing.T) {
	tests := []struct {
		name           string
		gogc, memlimit string
		wantGC         int
		wantLimit      int64
	}{
		{"defaults", "", "", 800, 512 << 20},
		{"GOGC set", "50", "", 77, 512 << 20},
		{"GOMEMLIMIT set", "", "1GiB", 800, math.MaxInt64},
		{"both set", "50", "1GiB", 77, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc)
			t.Setenv("GOMEMLIMIT", tt.memlimit)
			// Sentinel values that the variables, when set, must keep.
			previousGC := debug.SetGCPercent(77)
			previousLimit := debug.SetMemoryLimit(math.MaxInt64)
			t.Cleanup(func() {
				debug.SetGCPercent(previousGC)
				debug.SetMemoryLimit(previousLimit)
			})

			setCheckCollector()

			require.Equal(t, tt.wantGC, debug.SetGCPercent(77), "GC percent")
			require.Equal(t, tt.wantLimit, debug.SetMemoryLimit(-1), "memory limit")
		})
	}
}
