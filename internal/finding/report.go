package finding

// Report is the result of one dockward run, as every formatter receives it.
type Report struct {
	SchemaVersion string    `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	Command       string    `json:"command"`
	Targets       []string  `json:"targets"`
	Findings      []Finding `json:"findings"`
	Problems      []Problem `json:"problems"`
	Summary       Summary   `json:"summary"`
}

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts findings by severity. Suppressed findings are counted
// apart and not in BySeverity.
type Summary struct {
	BySeverity map[string]int `json:"by_severity"`
	Suppressed int            `json:"suppressed"`
	Problems   int            `json:"problems"`
	// Hidden counts findings left out of the report by a minimum
	// severity, such as --severity; unrated advisories rank lowest.
	Hidden int `json:"hidden_by_severity,omitempty"`
}

// Summarize recomputes r.Summary from the findings and problems.
func (r *Report) Summarize() {
	s := Summary{BySeverity: make(map[string]int)}
	for _, sev := range Severities() {
		s.BySeverity[sev.String()] = 0
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		s.BySeverity[f.Severity.String()]++
	}
	s.Problems = len(r.Problems)
	r.Summary = s
}

// Fails reports whether an unsuppressed finding is at or above threshold.
// A nil threshold never fails.
func (r *Report) Fails(threshold *Severity) bool {
	if threshold == nil {
		return false
	}
	for _, f := range r.Findings {
		if !f.Suppressed && f.Severity >= *threshold {
			return true
		}
	}
	return false
}

// RuleDoc is the part of a rule's metadata that reports show, such as the
// SARIF rule descriptors.
type RuleDoc struct {
	ID          string
	Slug        string
	Title       string
	Description string
	Fix         string
	HelpURI     string
	Severity    Severity
	Tags        []string
}
