package vulndb

import (
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

func TestRate(t *testing.T) {
	v31 := Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
	v40 := Severity{Type: "CVSS_V4", Score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
	v31low := Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}
	v2 := Severity{Type: "CVSS_V2", Score: "AV:N/AC:L/Au:N/C:P/I:P/A:P"}
	tests := []struct {
		name    string
		entry   Entry
		want    finding.Severity
		score   float64
		version string
	}{
		{"cvss 3.1 critical", Entry{Severity: []Severity{v31}}, finding.Critical, 9.8, "3.1"},
		{"cvss 4.0 preferred", Entry{Severity: []Severity{v31low, v40}}, finding.Critical, 9.3, "4.0"},
		{"cvss 3.1 low", Entry{Severity: []Severity{v31low}}, finding.Low, 1.6, "3.1"},
		{"cvss 2.0", Entry{Severity: []Severity{v2}}, finding.High, 7.5, "2.0"},
		{"vector wins over rating", Entry{Severity: []Severity{v31low}, Rating: "CRITICAL"}, finding.Low, 1.6, "3.1"},
		{"github rating", Entry{Rating: "MODERATE"}, finding.Medium, 0, ""},
		{"debian rating", Entry{Rating: "unimportant"}, finding.Low, 0, ""},
		{"ubuntu priority", Entry{Severity: []Severity{{Type: "Ubuntu", Score: "medium"}}}, finding.Medium, 0, ""},
		{"invalid vector falls back", Entry{Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:X"}}, Rating: "high"}, finding.High, 0, ""},
		{"no rating", Entry{}, finding.Unknown, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rate(&tc.entry)
			if r.Severity != tc.want {
				t.Errorf("severity = %v, want %v", r.Severity, tc.want)
			}
			if tc.version == "" {
				if r.Score != nil {
					t.Errorf("score = %v, want none", *r.Score)
				}
				return
			}
			if r.Score == nil || *r.Score != tc.score {
				t.Errorf("score = %v, want %v", r.Score, tc.score)
			}
			if r.Version != tc.version {
				t.Errorf("version = %q, want %q", r.Version, tc.version)
			}
		})
	}
}
