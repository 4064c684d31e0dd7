package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dockward/dockward/internal/finding"
)

func sampleReport() *finding.Report {
	layer := 2
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Tool:          finding.Tool{Name: "dockward", Version: "test"},
		Command:       "check",
		Targets:       []string{"."},
		Findings: []finding.Finding{
			{RuleID: "DF004", Severity: finding.Medium, Title: "Base image has no tag or uses latest",
				Message:  `base image "ubuntu" has no tag`,
				Location: finding.Location{Path: "app/Dockerfile", StartLine: 1, StartColumn: 1, EndLine: 1},
				Fix:      "Name a version tag.",
				References: []finding.Reference{{Title: "dockward DF004",
					URL: "https://github.com/dockward/dockward/blob/main/docs/rules/DF004.md"}}},
			{RuleID: "DF020", Severity: finding.Low, Title: "No HEALTHCHECK", Message: "no health check",
				Location: finding.Location{Path: "app/Dockerfile", StartLine: 1, StartColumn: 1, EndLine: 1},
				Fix:      "Add one.", Suppressed: true,
				Suppress: &finding.Suppression{Kind: "inline", Reason: "batch job", Source: "app/Dockerfile:1"}},
			{RuleID: "IM005", Severity: finding.Medium, Title: "setuid files", Message: "setuid /usr/bin/su",
				Location: finding.Location{Image: "debian:12", ImagePath: "/usr/bin/su",
					Layer: "sha256:abc", LayerIndex: &layer},
				Fix: "Remove the bit."},
		},
		Problems: []finding.Problem{{Path: "bad/Dockerfile", Reason: "permission denied", Kind: "read"}},
	}
	rep.Summarize()
	return rep
}

func TestJSONSchemaFields(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"schema_version", "tool", "findings", "problems", "summary"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("top-level key %q missing", key)
		}
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, key := range []string{"rule_id", "severity", "title", "message", "location", "fix", "references", "suppressed"} {
		if _, ok := f[key]; !ok {
			t.Errorf("finding key %q missing", key)
		}
	}
	loc := f["location"].(map[string]any)
	for _, key := range []string{"path", "start_line", "start_column", "end_line"} {
		if _, ok := loc[key]; !ok {
			t.Errorf("location key %q missing", key)
		}
	}
	if f["severity"] != "medium" {
		t.Errorf("severity = %v, want medium", f["severity"])
	}
	sup := doc["findings"].([]any)[1].(map[string]any)
	if sup["suppressed"] != true || sup["suppression"].(map[string]any)["reason"] != "batch job" {
		t.Errorf("suppressed finding lost its reason: %v", sup)
	}
	img := doc["findings"].([]any)[2].(map[string]any)["location"].(map[string]any)
	if img["image_path"] != "/usr/bin/su" || img["layer_index"] != float64(2) {
		t.Errorf("image location = %v", img)
	}
}

func TestJSONExtraFields(t *testing.T) {
	f := finding.Finding{RuleID: "GO-2024-0001", Severity: finding.High}
	if err := f.SetExtra("vulnerability", map[string]string{"package": "x"}); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"vulnerability":{"package":"x"}`) || !strings.Contains(string(b), `"references":[]`) {
		t.Errorf("extra field or empty references missing: %s", b)
	}
}

// TestSARIFValidAgainstSchema validates the SARIF output with the official
// 2.1.0 schema, which scripts/test downloads from npm.
func TestSARIFValidAgainstSchema(t *testing.T) {
	path := os.Getenv("DOCKWARD_SARIF_SCHEMA")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("DOCKWARD_SARIF_SCHEMA is not set; scripts/test fetches the schema")
		}
		t.Skip("DOCKWARD_SARIF_SCHEMA not set; run scripts/test")
	}
	var buf bytes.Buffer
	opts := Options{Rules: map[string]finding.RuleDoc{"DF004": {ID: "DF004", Slug: "base-image-latest",
		Title: "Base image has no tag", Description: "Tags move.", Fix: "Pin it.",
		HelpURI: "https://example.com/DF004", Severity: finding.Medium}}}
	if err := WriteSARIF(&buf, sampleReport(), opts); err != nil {
		t.Fatal(err)
	}
	schemaFile, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF output is invalid: %v\n%s", err, buf.String())
	}
}

func TestSARIFContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				Level               string            `json:"level"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []struct {
					Kind          string `json:"kind"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q, %d runs", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != 3 || run.Tool.Driver.Rules[0].Help.Text == "" {
		t.Errorf("rule descriptors = %+v", run.Tool.Driver.Rules)
	}
	r := run.Results[0]
	if r.Level != "warning" || r.Locations[0].PhysicalLocation.Region.StartLine != 1 {
		t.Errorf("first result = %+v", r)
	}
	if r.PartialFingerprints[fingerprintKey] == "" {
		t.Error("partialFingerprints missing")
	}
	s := run.Results[1].Suppressions
	if len(s) != 1 || s[0].Kind != "inSource" || s[0].Justification != "batch job" {
		t.Errorf("suppressions = %+v", s)
	}
}

func TestTableGroupsAndCounts(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b[") {
		t.Error("colours written without Color")
	}
	for _, want := range []string{"app/Dockerfile\n", "DF004", "fix: Name a version tag.",
		"Problems", "bad/Dockerfile: permission denied",
		"2 findings (critical 0, high 0, medium 2, low 0, info 0), 1 suppressed, 1 problem"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "no health check") {
		t.Error("suppressed finding listed in the table")
	}
	buf.Reset()
	_ = WriteTable(&buf, sampleReport(), Options{Color: true})
	if !strings.Contains(buf.String(), "\x1b[") {
		t.Error("no colours with Color set")
	}
}
