package manifest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rules"
	"github.com/dockward/dockward/internal/rules/manifest"
)

// helmOutput is what helm template writes: documents headed by a Source
// comment, with empty documents between them.
const helmOutput = `---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: app
          image: "registry.example/app:1.0"
`

func check(t *testing.T, typ, input string) *finding.Report {
	t.Helper()
	e := engine.New(rules.Registry(), manifest.Analyzers()...)
	rep, err := e.Check(context.Background(), []string{"-"}, engine.Options{
		Type: typ, Stdin: strings.NewReader(input), Config: config.Default(),
	})
	require.NoError(t, err)
	return rep
}

func ruleLines(rep *finding.Report, id string) []int {
	var lines []int
	for _, f := range rep.Findings {
		if f.RuleID == id {
			lines = append(lines, f.Location.StartLine)
		}
	}
	return lines
}

func TestHelmOutputOnStdin(t *testing.T) {
	rep := check(t, "kubernetes", helmOutput)
	require.Empty(t, rep.Problems)
	require.Equal(t, []int{17}, ruleLines(rep, "RT018"), "hostPID: true")
	for _, f := range rep.Findings {
		require.Equal(t, "-", f.Location.Path)
	}
}

func TestComposeOnStdin(t *testing.T) {
	rep := check(t, "compose", "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n")
	require.Empty(t, rep.Problems)
	require.Equal(t, []int{4}, ruleLines(rep, "RT002"))
}

func TestComposeOnStdinCannotFollowExtendsFile(t *testing.T) {
	rep := check(t, "compose", "services:\n  web:\n    image: nginx:1.27\n    extends:\n      file: base.yaml\n      service: b\n")
	require.Len(t, rep.Problems, 1)
	require.Contains(t, rep.Problems[0].Reason, "cannot be followed from standard input")
}
