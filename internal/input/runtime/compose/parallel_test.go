package compose

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/yamlpos"
)

// largeComposeFile returns n services with extends chains, anchors and
// merge keys, enough for the reader to load it in parts.
func largeComposeFile(n int) string {
	var b strings.Builder
	b.WriteString("x-hard: &hard\n  read_only: true\n  cap_drop: [ALL]\nservices:\n")
	for i := range n {
		fmt.Fprintf(&b, "  s%d:\n", i)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "    image: app%d:1\n    <<: *hard\n", i)
		case 1:
			fmt.Fprintf(&b, "    extends: s%d\n    privileged: true\n", i-1)
		case 2:
			fmt.Fprintf(&b, "    extends: s%d\n    volumes: [\"/etc:/e%d:ro\"]\n", i-1, i)
		default:
			b.WriteString("    image: busybox:1.36\n    ports: [\"8080:80\"]\n    user: ${APP_USER}\n")
		}
	}
	return b.String()
}

func TestParallelLoadMatchesSequential(t *testing.T) {
	n := minParallelServices + 200
	tests := []struct {
		name         string
		text         string
		wantProblems int
	}{
		{"valid file", largeComposeFile(n), 1},
		{"invalid service falls back", largeComposeFile(n) + "  bad:\n    image: x:1\n    mem_limit: [1]\n", 2},
		{"missing extends base falls back", largeComposeFile(n) + "  orphan:\n    extends: nowhere\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			load := func(procs int) Result {
				previous := runtime.GOMAXPROCS(procs)
				defer runtime.GOMAXPROCS(previous)
				return Load(context.Background(), "compose.yaml", []byte(tt.text), Options{Dir: dir})
			}
			sequential := load(1)
			parallel := load(2)

			require.GreaterOrEqual(t, len(parallel.Containers), n)
			require.Empty(t, cmp.Diff(sequential.Containers, parallel.Containers))
			require.Empty(t, cmp.Diff(sequential.Problems, parallel.Problems))
			require.Len(t, parallel.Problems, tt.wantProblems, reasons(parallel.Problems))
			s2 := byName(t, parallel, "s2")
			require.True(t, s2.Security.Privileged.V, "extends chains stay in one part")
			require.True(t, s2.Security.ReadOnlyRootfs.V)
		})
	}
}

func TestSplitServicesKeepsChains(t *testing.T) {
	root, ok := (&load{path: "x"}).parse([]byte(largeComposeFile(minParallelServices + 3)))
	require.True(t, ok)

	parts := splitServices(yamlpos.Get(root, "services"), 2)

	require.Len(t, parts, 2)
	require.InDelta(t, len(parts[0]), len(parts[1]), 4)
	for i := 0; i+2 < minParallelServices; i += 4 {
		chain := []string{fmt.Sprintf("s%d", i), fmt.Sprintf("s%d", i+1), fmt.Sprintf("s%d", i+2)}
		for _, part := range parts {
			require.True(t, part[chain[0]] == part[chain[1]] && part[chain[1]] == part[chain[2]],
				"chain %v is split", chain)
		}
	}
	require.Len(t, splitServices(yamlpos.Get(root, "services"), 1), 1)
}

func TestSplitServicesSmallFile(t *testing.T) {
	root, ok := (&load{path: "x"}).parse([]byte("services:\n  a: {image: a:1}\n  b: {extends: a}\n"))
	require.True(t, ok)

	require.Nil(t, splitServices(yamlpos.Get(root, "services"), 2))
}

func TestWithOnlyServicesDecodesPart(t *testing.T) {
	text := "x-hard: &hard\n  read_only: true\n" +
		"services:\n" +
		"  a: &a {image: a:1, <<: *hard}\n" +
		"  b: {image: b:1, cap_add: [NET_ADMIN]}\n" +
		"  c: *a\n" +
		"  <<: {d: {image: d:1}}\n"
	root, ok := (&load{path: "x"}).parse([]byte(text))
	require.True(t, ok)

	var got map[string]any
	require.NoError(t, withOnlyServices(root, map[string]bool{"c": true}).Decode(&got))

	want := map[string]any{
		"x-hard": map[string]any{"read_only": true},
		"services": map[string]any{
			"c": map[string]any{"image": "a:1", "read_only": true},
			"d": map[string]any{"image": "d:1"},
		},
	}
	require.Empty(t, cmp.Diff(want, got), "the alias of a dropped service still resolves")

	var whole map[string]any
	require.NoError(t, root.Decode(&whole))
	require.Len(t, whole["services"], 4, "the original tree keeps every service")
	require.Same(t, root, withOnlyServices(root, nil))
}
