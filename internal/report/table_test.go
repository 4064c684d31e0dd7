package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/finding"
)

func TestTableImageLocations(t *testing.T) {
	layer, first := 3, 0
	digest := "sha256:3f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
	image := "debian:12"
	tests := []struct {
		name     string
		location finding.Location
		want     string
		absent   []string
	}{
		{
			name: "path and line",
			location: finding.Location{Path: image, Image: image, ImagePath: "/etc/passwd",
				StartLine: 19, EndLine: 19, Layer: digest, LayerIndex: &layer},
			want:   "  /etc/passwd:19  HIGH      IM011  message  (layer 3 3f1a2b3c4d5e)\n",
			absent: []string{digest},
		},
		{
			name: "path only",
			location: finding.Location{Path: image, Image: image, ImagePath: "/usr/bin/su",
				Layer: digest, LayerIndex: &first},
			want: "  /usr/bin/su  HIGH      IM011  message  (layer 0 3f1a2b3c4d5e)\n",
		},
		{
			name:     "history layer without path",
			location: finding.Location{Path: image, Image: image, LayerIndex: &layer},
			want:     "          HIGH      IM011  message  (layer 3)\n",
		},
		{
			name:     "layer digest without index",
			location: finding.Location{Path: image, Image: image, ImagePath: "/etc/shadow", Layer: "abc"},
			want:     "  /etc/shadow  HIGH      IM011  message  (layer abc)\n",
		},
		{
			name:     "config without layer",
			location: finding.Location{Path: image, Image: image},
			want:     "          HIGH      IM011  message\n",
			absent:   []string{"layer"},
		},
		{
			name:     "file line keeps its column",
			location: finding.Location{Path: "Dockerfile", StartLine: 7, EndLine: 7},
			want:     "       7  HIGH      IM011  message\n",
			absent:   []string{"Dockerfile:7", "layer"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &finding.Report{Findings: []finding.Finding{{RuleID: "IM011",
				Severity: finding.High, Message: "message", Location: tt.location}}}
			var buf bytes.Buffer
			if err := WriteTable(&buf, rep, Options{}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.Contains(out, tt.want) {
				t.Errorf("table lacks %q:\n%s", tt.want, out)
			}
			for _, s := range tt.absent {
				if strings.Contains(out, s) {
					t.Errorf("table contains %q:\n%s", s, out)
				}
			}
		})
	}
}
