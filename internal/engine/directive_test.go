package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/rules"
	secretrules "github.com/dockward/dockward/internal/rules/secrets"
)

// checkAll runs every analyzer over one file and returns its findings.
func checkAll(t *testing.T, name, content string, analyzers ...engine.Analyzer) []finding.Finding {
	t.Helper()
	if len(analyzers) == 0 {
		analyzers = rules.Analyzers()
	}
	dir := writeTree(t, map[string]string{name: content})
	rep, err := engine.New(rules.Registry(), analyzers...).Check(context.Background(), []string{dir},
		engine.Options{Now: now})
	require.NoError(t, err)
	return rep.Findings
}

// ruleAt returns the findings of a rule on a line.
func ruleAt(fs []finding.Finding, id string, line int) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id && f.Location.StartLine == line {
			out = append(out, f)
		}
	}
	return out
}

const privilegedRun = "docker run --rm --privileged --user 1000 alpine:3.20\n"

func TestDirectiveForms(t *testing.T) {
	fs := checkAll(t, "run.sh", "# dockward:ignore=RT002 binfmt registration\n"+privilegedRun+
		strings.TrimSuffix(privilegedRun, "\n")+" # dockward:ignore RT002 binfmt registration\n")

	for _, line := range []int{2, 3} {
		got := ruleAt(fs, "RT002", line)
		require.Len(t, got, 1, "line %d", line)
		require.True(t, got[0].Suppressed, "line %d", line)
	}
	for _, f := range fs {
		require.NotEqual(t, "DW002", f.RuleID, "%s", f.Message)
		require.NotEqual(t, "DW003", f.RuleID, "%s", f.Message)
	}
}

func TestDirectiveUnusedMidFile(t *testing.T) {
	fs := checkAll(t, "run.sh", "# dockward:ignore RT002 nothing privileged here\n"+
		"docker run --rm --user 1000 alpine:3.20\n"+privilegedRun)

	got := ruleAt(fs, "DW003", 1)
	require.Len(t, got, 1)
	require.Contains(t, got[0].Message, "RT002 matches no finding on line 2")
	require.False(t, ruleAt(fs, "RT002", 3)[0].Suppressed)
}

func TestDirectiveUnusedNeedsItsAnalyzer(t *testing.T) {
	fs := checkAll(t, "run.sh", "# dockward:ignore RT002 nothing privileged here\n"+
		"docker run --rm --user 1000 alpine:3.20\n", secretrules.Analyzer{})

	require.Empty(t, ruleAt(fs, "DW003", 1), "the runtime rules did not run")
}

func TestDirectiveAboveMarkdownFence(t *testing.T) {
	fs := checkAll(t, "README.md", "# Run\n\n<!-- dockward:ignore RT002 binfmt registration -->\n"+
		"```sh\n"+privilegedRun+"```\n")

	got := ruleAt(fs, "RT002", 5)
	require.Len(t, got, 1)
	require.True(t, got[0].Suppressed)
	require.Empty(t, ruleAt(fs, "DW003", 3))
}

func TestDirectiveAboveYAMLBlock(t *testing.T) {
	fs := checkAll(t, "compose.yaml", "services:\n"+
		"  agent:\n"+
		"    image: myorg/agent:1.0\n"+
		"    # dockward:ignore RT022 the agent manages sibling containers\n"+
		"    volumes:\n"+
		"      - /var/run/docker.sock:/var/run/docker.sock\n"+
		"    # dockward:ignore RT002,RT001 needs root for netfilter\n"+
		"    privileged: true\n")

	socket := ruleAt(fs, "RT022", 6)
	require.Len(t, socket, 1)
	require.True(t, socket[0].Suppressed)
	privileged := ruleAt(fs, "RT002", 8)
	require.Len(t, privileged, 1)
	require.True(t, privileged[0].Suppressed)
	require.Empty(t, ruleAt(fs, "DW003", 4))
	unused := ruleAt(fs, "DW003", 7)
	require.Len(t, unused, 1, "RT001 is reported on the service line, not under privileged")
	require.Contains(t, unused[0].Message, "RT001 matches no finding on line 8")
	require.NotContains(t, unused[0].Message, "RT002")
}

func TestDirectiveAboveMakefileTarget(t *testing.T) {
	fs := checkAll(t, "Makefile", "# dockward:ignore RT002 binfmt registration\nbinfmt:\n\t"+privilegedRun)

	got := ruleAt(fs, "RT002", 3)
	require.Len(t, got, 1)
	require.True(t, got[0].Suppressed)
}
