package apparmor

import (
	"fmt"
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

type ruleCase struct {
	name    string
	profile string
	want    []string // "line message" per finding of the rule
}

// noIncludes keeps results independent of the host's /etc/apparmor.d.
var noIncludes = Options{Base: "/nonexistent"}

func runRuleCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs, _, err := Lint("p", []byte(tc.profile), noIncludes)
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			got := messagesOf(fs, id)
			if len(got) != len(tc.want) {
				t.Fatalf("%s findings = %q, want %q", id, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func messagesOf(fs []finding.Finding, id string) []string {
	var out []string
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, fmt.Sprintf("%d %s", f.Location.StartLine, f.Message))
		}
	}
	return out
}

// tight is a narrow profile that no rule reports.
const tight = `@{PROC}=/proc/
profile app {
  capability net_bind_service,
  network inet stream,
  /srv/app/** r,
  /usr/bin/app ix,
  ptrace (read) peer=app,
}
`
