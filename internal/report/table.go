package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/dockward/dockward/internal/finding"
)

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
)

var severityColor = map[finding.Severity]string{
	finding.Critical: "\x1b[1;35m",
	finding.High:     "\x1b[1;31m",
	finding.Medium:   "\x1b[33m",
	finding.Low:      "\x1b[36m",
	finding.Info:     "\x1b[34m",
	finding.Unknown:  "\x1b[37m",
}

// WriteTable writes findings grouped by file and sorted by line, then the
// problems, then counts by severity. Suppressed findings are counted but
// not listed.
func WriteTable(w io.Writer, rep *finding.Report, opts Options) error {
	tw := &tableWriter{w: w, color: opts.Color, fixShown: map[string]bool{}}
	group := ""
	for _, f := range rep.Findings {
		if f.Suppressed {
			continue
		}
		key := groupKey(f.Location)
		if key != group {
			if group != "" {
				tw.printf("\n")
			}
			group = key
			tw.printf("%s\n", tw.paint(ansiBold, key))
		}
		tw.finding(f)
	}
	if len(rep.Problems) > 0 {
		if group != "" {
			tw.printf("\n")
		}
		tw.printf("%s\n", tw.paint(ansiBold, "Problems (inputs not fully checked)"))
		for _, p := range rep.Problems {
			where := p.Path
			if p.Line > 0 {
				where = fmt.Sprintf("%s:%d", p.Path, p.Line)
			}
			tw.printf("  %s: %s\n", where, p.Reason)
		}
	}
	tw.summary(rep)
	return tw.err
}

type tableWriter struct {
	w     io.Writer
	color bool
	err   error
	// fixShown records rules whose fix is already printed, so each fix
	// appears once per report.
	fixShown map[string]bool
}

func (tw *tableWriter) printf(format string, args ...any) {
	if tw.err == nil {
		_, tw.err = fmt.Fprintf(tw.w, format, args...)
	}
}

func (tw *tableWriter) paint(code, s string) string {
	if !tw.color {
		return s
	}
	return code + s + ansiReset
}

func groupKey(l finding.Location) string {
	switch {
	case l.Image != "" && l.Path == "":
		return l.Image
	case l.Path != "":
		return l.Path
	}
	return "(no file)"
}

func (tw *tableWriter) finding(f finding.Finding) {
	sev := fmt.Sprintf("%-8s", strings.ToUpper(f.Severity.String()))
	layer := ""
	if l := layerLabel(f.Location); l != "" {
		layer = "  " + tw.paint(ansiDim, "("+l+")")
	}
	tw.printf("  %6s  %s  %s  %s%s\n", position(f.Location), tw.paint(severityColor[f.Severity], sev),
		f.RuleID, f.Message, layer)
	if f.Fix != "" && !tw.fixShown[f.RuleID] {
		tw.fixShown[f.RuleID] = true
		tw.printf("  %6s  %s\n", "", tw.paint(ansiDim, "fix: "+firstLine(f.Fix)))
	}
}

// position returns the place inside the group: the line for a file
// finding, or the path inside the image with its line for an image finding.
func position(l finding.Location) string {
	switch {
	case l.ImagePath != "" && l.StartLine > 0:
		return fmt.Sprintf("%s:%d", l.ImagePath, l.StartLine)
	case l.ImagePath != "":
		return l.ImagePath
	case l.StartLine > 0:
		return fmt.Sprintf("%d", l.StartLine)
	}
	return ""
}

// layerLabel names the layer of an image finding by its index and the
// first 12 hex digits of its digest, as docker image ls shortens IDs.
func layerLabel(l finding.Location) string {
	var parts []string
	if l.LayerIndex != nil {
		parts = append(parts, fmt.Sprintf("%d", *l.LayerIndex))
	}
	if l.Layer != "" {
		_, hex, found := strings.Cut(l.Layer, ":")
		if !found {
			hex = l.Layer
		}
		parts = append(parts, hex[:min(len(hex), 12)])
	}
	if len(parts) == 0 {
		return ""
	}
	return "layer " + strings.Join(parts, " ")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (tw *tableWriter) summary(rep *finding.Report) {
	s := rep.Summary
	if s.BySeverity == nil {
		rep.Summarize()
		s = rep.Summary
	}
	total := 0
	var parts []string
	for _, sev := range finding.Severities() {
		n := s.BySeverity[sev.String()]
		total += n
		if sev == finding.Unknown && n == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d", sev, n))
	}
	if total > 0 || len(rep.Problems) > 0 {
		tw.printf("\n")
	}
	hidden := ""
	if s.Hidden > 0 {
		hidden = fmt.Sprintf(", %d hidden below --severity", s.Hidden)
		if rep.Command != "audit" {
			// The runtime audit reports no advisories.
			hidden += " (unrated advisories rank lowest)"
		}
	}
	tw.printf("%s (%s), %d suppressed, %s%s\n", plural(total, "finding"),
		strings.Join(parts, ", "), s.Suppressed, plural(len(rep.Problems), "problem"), hidden)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
