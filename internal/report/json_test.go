package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

// plainJSON is the output WriteJSON must reproduce: the whole report
// through one indenting encoder.
func plainJSON(t *testing.T, rep *finding.Report) []byte {
	t.Helper()
	out := *rep
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	if out.Problems == nil {
		out.Problems = []finding.Problem{}
	}
	if out.Targets == nil {
		out.Targets = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(out))
	return buf.Bytes()
}

func TestWriteJSONMatchesPlainEncoder(t *testing.T) {
	many := sampleReport()
	base := many.Findings
	many.Findings = nil
	for i := range 3*findingChunk + 7 {
		f := base[i%len(base)]
		f.Message = fmt.Sprintf("finding %d <&> \"quoted\" \u00e9 %s", i, f.Message)
		f.Location.StartLine = i + 1
		many.Findings = append(many.Findings, f)
	}
	// A target whose name looks like the findings key must not confuse
	// the splice.
	many.Targets = append(many.Targets, "\n  \"findings\": []")

	for name, rep := range map[string]*finding.Report{
		"sample": sampleReport(),
		"empty":  {SchemaVersion: finding.SchemaVersion, Command: "check"},
		"one":    {SchemaVersion: finding.SchemaVersion, Findings: base[:1]},
		"many":   many,
	} {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			require.NoError(t, WriteJSON(&got, rep))
			require.Equal(t, string(plainJSON(t, rep)), got.String())
		})
	}
}
