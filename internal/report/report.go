// Package report writes a finding.Report in the formats users choose:
// a table for people, and JSON and SARIF for programs.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/dockward/dockward/internal/finding"
)

// Options configure a formatter.
type Options struct {
	// Color enables ANSI colours in the table.
	Color bool
	// Rules describes the rules findings refer to, for SARIF.
	Rules map[string]finding.RuleDoc
	// MinSeverity hides findings below it in every format; the exit status
	// is decided apart from it.
	MinSeverity finding.Severity
}

// Formats lists the names Write accepts.
var Formats = []string{"table", "json", "sarif"}

// Write formats rep to w.
func Write(w io.Writer, format string, rep *finding.Report, opts Options) error {
	switch strings.ToLower(format) {
	case "table", "":
		return WriteTable(w, rep, opts)
	case "json":
		return WriteJSON(w, rep)
	case "sarif":
		return WriteSARIF(w, rep, opts)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}
