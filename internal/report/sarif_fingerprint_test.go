package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

// sarifFingerprints writes fs as SARIF and returns each result's
// partial fingerprint in report order.
func sarifFingerprints(t *testing.T, fs []finding.Finding) []string {
	t.Helper()
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Findings: fs}
	var buf bytes.Buffer
	require.NoError(t, WriteSARIF(&buf, rep, Options{}))
	var doc struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	var out []string
	for _, r := range doc.Runs[0].Results {
		out = append(out, r.PartialFingerprints[fingerprintKey])
	}
	return out
}

func memoryFinding(line int, content string) finding.Finding {
	return finding.Finding{RuleID: "RT013", Severity: finding.Medium, Message: "no memory limit is set",
		Location:    finding.Location{Path: "run.sh", StartLine: line, EndLine: line},
		ContentHash: content}
}

func TestSARIFFingerprintsUnique(t *testing.T) {
	privileged := func(line int, suppressed bool) finding.Finding {
		f := finding.Finding{RuleID: "RT002", Severity: finding.Critical, Message: "the container is privileged",
			Location: finding.Location{Path: "s.sh", StartLine: line, EndLine: line}, ContentHash: "run-privileged"}
		if suppressed {
			f.Suppressed = true
			f.Suppress = &finding.Suppression{Kind: "inline", Reason: "binfmt", Source: "s.sh:1"}
		}
		return f
	}
	fs := []finding.Finding{
		memoryFinding(1, "run-a"), memoryFinding(2, "run-a"), memoryFinding(3, "run-a"),
		memoryFinding(4, "run-b"), memoryFinding(5, ""),
		privileged(2, true), privileged(3, false),
	}

	got := sarifFingerprints(t, fs)

	require.Len(t, got, len(fs))
	seen := map[string]int{}
	for i, fp := range got {
		require.NotEmpty(t, fp)
		if j, dup := seen[fp]; dup {
			t.Errorf("results %d and %d share fingerprint %s", j, i, fp)
		}
		seen[fp] = i
	}
}

func TestSARIFFingerprintsStable(t *testing.T) {
	before := sarifFingerprints(t, []finding.Finding{memoryFinding(3, "run-a"), memoryFinding(9, "run-b")})

	// An unrelated line above moves both findings down.
	moved := sarifFingerprints(t, []finding.Finding{memoryFinding(4, "run-a"), memoryFinding(10, "run-b")})
	require.Equal(t, before, moved)

	// A changed command gets a new identity, the other keeps its own.
	edited := sarifFingerprints(t, []finding.Finding{memoryFinding(3, "run-a"), memoryFinding(9, "run-c")})
	require.Equal(t, before[0], edited[0])
	require.NotEqual(t, before[1], edited[1])

	// Suppressing a finding keeps its identity.
	f := memoryFinding(3, "run-a")
	f.Suppressed = true
	f.Suppress = &finding.Suppression{Kind: "inline", Reason: "batch job", Source: "run.sh:2"}
	require.Equal(t, before[:1], sarifFingerprints(t, []finding.Finding{f}))
}
