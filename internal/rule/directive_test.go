package rule

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDirectives(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Directive
	}{
		{"next line", "# dockward:ignore RT002 binfmt\ndocker run --privileged img\n",
			[]Directive{{Line: 1, Target: 2, TargetEnd: 2, Rules: []string{"RT002"}, Reason: "binfmt"}}},
		{"hadolint spelling", "# dockward:ignore=RT002 binfmt\ndocker run --privileged img\n",
			[]Directive{{Line: 1, Target: 2, TargetEnd: 2, Rules: []string{"RT002"}, Reason: "binfmt"}}},
		{"hadolint spelling with two rules", "# dockward:ignore=RT002,RT001 binfmt\nx\n",
			[]Directive{{Line: 1, Target: 2, TargetEnd: 2, Rules: []string{"RT002", "RT001"}, Reason: "binfmt"}}},
		{"trailing comment", "docker run --privileged img # dockward:ignore RT002 binfmt\n",
			[]Directive{{Line: 1, Target: 1, TargetEnd: 1, Rules: []string{"RT002"}, Reason: "binfmt"}}},
		{"html comment above a fence", "<!-- dockward:ignore RT002 binfmt -->\n```sh\n\ndocker run --privileged img\n```\n",
			[]Directive{{Line: 1, Target: 4, TargetEnd: 4, Rules: []string{"RT002"}, Reason: "binfmt"}}},
		{"tilde fence", "<!-- dockward:ignore RT002 binfmt -->\n~~~console\n$ docker run --privileged img\n~~~\n",
			[]Directive{{Line: 1, Target: 3, TargetEnd: 3, Rules: []string{"RT002"}, Reason: "binfmt"}}},
		{"yaml block key", "services:\n  a:\n    # dockward:ignore RT022 agent\n    volumes:\n" +
			"      - /var/run/docker.sock:/var/run/docker.sock\n\n      # more\n      - /etc:/etc\n    image: x\n",
			[]Directive{{Line: 3, Target: 4, TargetEnd: 8, Rules: []string{"RT022"}, Reason: "agent"}}},
		{"yaml sequence at key indent", "a:\n  # dockward:ignore RT022 agent\n  volumes:\n  - /x:/x\n  - /y:/y\n  image: x\n",
			[]Directive{{Line: 2, Target: 3, TargetEnd: 5, Rules: []string{"RT022"}, Reason: "agent"}}},
		{"yaml block ends at file end", "# dockward:ignore RT022 agent\nvolumes:\n  - /x:/x\n",
			[]Directive{{Line: 1, Target: 2, TargetEnd: 3, Rules: []string{"RT022"}, Reason: "agent"}}},
		{"yaml scalar", "a:\n  # dockward:ignore RT002 netfilter\n  privileged: true\n  image: x\n",
			[]Directive{{Line: 2, Target: 3, TargetEnd: 3, Rules: []string{"RT002"}, Reason: "netfilter"}}},
		{"key with an empty block", "# dockward:ignore RT022 agent\nvolumes:\nimage: x\n",
			[]Directive{{Line: 1, Target: 2, TargetEnd: 2, Rules: []string{"RT022"}, Reason: "agent"}}},
		{"no target", "x\n# dockward:ignore RT002 binfmt\n",
			[]Directive{{Line: 2, Rules: []string{"RT002"}, Reason: "binfmt"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, ParseDirectives([]byte(tt.src)))
		})
	}
}

func TestDirectiveCovers(t *testing.T) {
	d := Directive{Target: 4, TargetEnd: 8}
	tests := []struct {
		name         string
		line, anchor int
		want         bool
	}{
		{"key line", 4, 0, true},
		{"inside block", 6, 0, true},
		{"last block line", 8, 0, true},
		{"after block", 9, 0, false},
		{"before block", 3, 0, false},
		{"statement anchored at target", 12, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Covers(tt.line, tt.anchor); got != tt.want {
				t.Errorf("Covers(%d, %d) = %v, want %v", tt.line, tt.anchor, got, tt.want)
			}
		})
	}
	if (&Directive{}).Covers(0, 0) {
		t.Error("a directive without target covers line 0")
	}
}
