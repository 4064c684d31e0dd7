package seccomp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockward/dockward/internal/testenv"
)

// TestInvalidProfileIntegration checks SC000 against the real engine: each
// profile that Docker Engine or runc rejects is flagged, and the valid one
// starts without an SC000 finding.
func TestInvalidProfileIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	image := testenv.BusyboxImage(t)
	names := append(startupNames(), processExtras...)

	profile := func(extra []map[string]any, top map[string]any) map[string]any {
		p := map[string]any{
			"defaultAction": "SCMP_ACT_ERRNO",
			"archMap": []map[string]any{{
				"architecture":     "SCMP_ARCH_X86_64",
				"subArchitectures": []string{"SCMP_ARCH_X86", "SCMP_ARCH_X32"},
			}},
			"syscalls": append([]map[string]any{{"names": names, "action": "SCMP_ACT_ALLOW"}}, extra...),
		}
		for k, v := range top {
			p[k] = v
		}
		return p
	}
	tests := []struct {
		name    string
		profile map[string]any
		valid   bool
	}{
		{"valid", profile(nil, nil), true},
		{"unknown action", profile([]map[string]any{{"names": []string{"mount"}, "action": "SCMP_ACT_DENY"}}, nil), false},
		{"name and names", profile([]map[string]any{{"name": "mount", "names": []string{"umount2"}, "action": "SCMP_ACT_ERRNO"}}, nil), false},
		{"architectures and archMap", profile(nil, map[string]any{"architectures": []string{"SCMP_ARCH_X86_64"}}), false},
		{"bad operator", profile([]map[string]any{{"names": []string{"personality"}, "action": "SCMP_ACT_ALLOW",
			"args": []map[string]any{{"index": 0, "value": 8, "op": "EQ"}}}}, nil), false},
		{"argument index out of range", profile([]map[string]any{{"names": []string{"personality"}, "action": "SCMP_ACT_ALLOW",
			"args": []map[string]any{{"index": 6, "value": 8, "op": "SCMP_CMP_EQ"}}}}, nil), false},
		{"notify without listener", profile([]map[string]any{{"names": []string{"mount"}, "action": "SCMP_ACT_NOTIFY"}}, nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "profile.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			fs, err := LintFile(path)
			if err != nil {
				t.Fatal(err)
			}
			flagged := len(messagesOf(fs, "SC000")) > 0
			started, stderr := runBusybox(t, d, image, path)
			if started != tt.valid {
				t.Fatalf("container started = %v, want %v: %s", started, tt.valid, stderr)
			}
			if flagged == tt.valid {
				t.Errorf("SC000 flagged = %v, but the engine accepts = %v: %q", flagged, tt.valid, messagesOf(fs, "SC000"))
			}
		})
	}
}
