package report

import (
	"encoding/json"
	"io"

	"github.com/dockward/dockward/internal/finding"
)

// WriteJSON writes the report as indented JSON in the schema documented in
// docs/json-schema.md.
func WriteJSON(w io.Writer, rep *finding.Report) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
