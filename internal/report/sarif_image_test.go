package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
)

// A line inside an image file belongs to that file, not to the image
// reference: the artifact is the path under IMAGEROOT.
func TestSARIFImageFileLocation(t *testing.T) {
	layer := 1
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Findings: []finding.Finding{
		{RuleID: "IM011", Severity: finding.High, Message: `account "toor" has UID 0`,
			Location: finding.Location{Path: "nu/bad:1", Image: "nu/bad:1", ImagePath: "/etc/passwd",
				StartLine: 19, EndLine: 19, Layer: "sha256:b2d1", LayerIndex: &layer}},
		{RuleID: "IM001", Severity: finding.High, Message: "runs as root",
			Location: finding.Location{Path: "nu/bad:1", Image: "nu/bad:1"}},
	}}
	var buf bytes.Buffer
	require.NoError(t, WriteSARIF(&buf, rep, Options{}))
	var doc struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]json.RawMessage `json:"originalUriBaseIds"`
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	run := doc.Runs[0]
	require.Contains(t, run.OriginalURIBaseIDs, imageRoot)

	file := run.Results[0].Locations[0]
	require.Equal(t, "etc/passwd", file.PhysicalLocation.ArtifactLocation.URI)
	require.Equal(t, imageRoot, file.PhysicalLocation.ArtifactLocation.URIBaseID)
	require.Equal(t, 19, file.PhysicalLocation.Region.StartLine)
	require.Contains(t, file.Message.Text, "image nu/bad:1, path /etc/passwd, layer sha256:b2d1")

	config := run.Results[1].Locations[0]
	require.Equal(t, "nu/bad:1", config.PhysicalLocation.ArtifactLocation.URI)
	require.Empty(t, config.PhysicalLocation.ArtifactLocation.URIBaseID, "the image is not a file of the checkout")
	require.Zero(t, config.PhysicalLocation.Region.StartLine)
}

func TestSARIFImageURIReference(t *testing.T) {
	tests := map[string]string{
		"debian:12":                 "./debian:12",
		"nu/bad:1":                  "nu/bad:1",
		"/tmp/debian.tar":           "/tmp/debian.tar",
		"docker-archive:/tmp/x.tar": "./docker-archive:/tmp/x.tar",
		"sha256abc":                 "sha256abc",
	}
	for ref, want := range tests {
		require.Equal(t, want, imageURI(ref), ref)
	}
}
