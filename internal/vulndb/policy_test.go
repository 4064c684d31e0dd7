package vulndb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/pkgdb"
)

// policyInventory holds a Debian package with two advisories, a zlib
// package with two, and a Go binary with an unlinked module advisory.
func policyInventory() *pkgdb.Inventory {
	return &pkgdb.Inventory{Packages: []pkgdb.Package{
		{Name: "libpam0g", Version: "1.5.2-6+deb12u1", Type: "deb", Ecosystem: "Debian:12", SourceName: "pam",
			PURL: "pkg:deb/debian/libpam0g@1.5.2-6+deb12u1"},
		{Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Type: "deb", Ecosystem: "Debian:12", SourceName: "zlib",
			PURL: "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1"},
		{Name: "golang.org/x/text", Version: "v0.3.5", Type: "golang", Ecosystem: "Go", Path: "/app",
			Symbols: []string{"golang.org/x/text/language.ParseAcceptLanguage", "main.main"}},
	}}
}

// outcome is "shown", "suppressed: REASON" or absent for dropped findings.
func outcomes(fs []finding.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Suppressed {
			out[f.RuleID] = "suppressed: " + f.Suppress.Kind
		} else {
			out[f.RuleID] = "shown"
		}
	}
	return out
}

func TestPolicyApply(t *testing.T) {
	db := realDB(t)
	docs, err := LoadVEX([]string{"testdata/openvex.json"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	all := map[string]string{
		"DEBIAN-CVE-2024-22365": "shown", "DEBIAN-CVE-2025-6020": "shown",
		"DEBIAN-CVE-2026-27171": "shown", "DEBIAN-CVE-2026-85091": "shown",
		"GO-2021-0113": "shown", "GO-2022-1059": "shown", "GO-2026-5970": "shown", "GO-2026-6629": "shown",
	}
	with := func(changes map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range all {
			m[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	tests := []struct {
		name   string
		policy Policy
		want   map[string]string
	}{
		{"empty policy", Policy{}, all},
		{"ignore by alias", Policy{Ignores: []Ignore{{ID: "CVE-2024-22365", Reason: "accepted"}}},
			with(map[string]string{"DEBIAN-CVE-2024-22365": "suppressed: config"})},
		{"ignore for other package", Policy{Ignores: []Ignore{{ID: "DEBIAN-CVE-2024-22365", Package: "zlib1g", Reason: "x"}}}, all},
		{"ignore for source package", Policy{Ignores: []Ignore{{ID: "DEBIAN-CVE-2024-22365", Package: "pam", Reason: "x"}}},
			with(map[string]string{"DEBIAN-CVE-2024-22365": "suppressed: config"})},
		{"expired ignore", Policy{Ignores: []Ignore{{ID: "GO-2022-1059", Reason: "x", Expires: now.AddDate(0, 0, -2)}}}, all},
		{"ignore expiring today", Policy{Ignores: []Ignore{{ID: "GO-2022-1059", Reason: "x", Expires: now}}},
			with(map[string]string{"GO-2022-1059": "suppressed: config"})},
		{"linked only", Policy{LinkedOnly: true},
			with(map[string]string{"GO-2026-6629": "", "GO-2026-5970": ""})},
		{"vex", Policy{VEX: docs, Product: "pkg:oci/app@sha256:0123"},
			with(map[string]string{"DEBIAN-CVE-2024-22365": "suppressed: vex", "DEBIAN-CVE-2025-6020": "suppressed: vex"})},
		{"vex subcomponent needs product", Policy{VEX: docs},
			with(map[string]string{"DEBIAN-CVE-2024-22365": "suppressed: vex"})},
		{"min severity drops unknown", Policy{MinSeverity: finding.Low}, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := Match(context.Background(), db, policyInventory())
			tc.policy.Now = now
			got := outcomes(tc.policy.Apply(fs))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyIgnoreUnfixed(t *testing.T) {
	db := realDB(t)
	// The real records all have fixes, so an unfixed entry is built here.
	e := &Entry{ID: "TEST-1", Package: "pkg", Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}}}
	f := newFinding(e, pkgdb.Package{Name: "pkg", Version: "1.0"}, lookup{"PyPI", "pkg", "1.0"}, nil, "", nil)
	got := (&Policy{IgnoreUnfixed: true}).Apply([]finding.Finding{f})
	if len(got) != 0 {
		t.Errorf("unfixed finding kept: %v", got)
	}
	fs, _ := Match(context.Background(), db, policyInventory())
	n := len(fs)
	if got := (&Policy{IgnoreUnfixed: true}).Apply(fs); len(got) != n {
		t.Errorf("fixed findings dropped: kept %d of %d", len(got), len(fs))
	}
}

func TestPolicyFromConfig(t *testing.T) {
	dir := t.TempDir()
	vexData, err := os.ReadFile("testdata/openvex.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.vex.json"), vexData, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, ".dockward.yaml")
	yaml := "version: 1\n" +
		"vulnerabilities:\n" +
		"  ignore_unfixed: true\n" +
		"  vex: [app.vex.json]\n" +
		"  ignore:\n" +
		"    - id: GO-2022-1059\n" +
		"      package: golang.org/x/text\n" +
		"      reason: only parses fixed header values\n" +
		"      expires: 2027-01-31\n"
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PolicyFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []Ignore{{ID: "GO-2022-1059", Package: "golang.org/x/text", Reason: "only parses fixed header values",
		Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Source: cfgPath + ":6"}}
	if diff := cmp.Diff(want, p.Ignores); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if !p.IgnoreUnfixed || len(p.VEX) != 1 {
		t.Errorf("policy = %+v, want ignore_unfixed and one VEX document", p)
	}

	fs, _ := Match(context.Background(), realDB(t), policyInventory())
	p.Now = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	got := outcomes(p.Apply(fs))
	if got["GO-2022-1059"] != "suppressed: config" || got["DEBIAN-CVE-2024-22365"] != "suppressed: vex" {
		t.Errorf("outcomes = %v, want GO-2022-1059 ignored by config and DEBIAN-CVE-2024-22365 by VEX", got)
	}
}

func TestPolicyFromConfigMissingVEX(t *testing.T) {
	cfg := config.Default()
	cfg.Vulnerabilities.VEX = []string{filepath.Join(t.TempDir(), "missing.json")}
	if _, err := PolicyFromConfig(cfg); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("error = %v, want one naming the missing document", err)
	}
}

func TestVulnerabilitiesConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown key", "version: 1\nvulnerabilities:\n  ignore:\n    - id: CVE-2024-1\n      reasn: typo\n",
			`line 5: unknown key "reasn"`},
		{"missing reason", "version: 1\nvulnerabilities:\n  ignore:\n    - id: CVE-2024-1\n",
			"line 4: vulnerabilities.ignore entry for CVE-2024-1 needs a reason"},
		{"missing id", "version: 1\nvulnerabilities:\n  ignore:\n    - reason: x\n",
			"line 4: vulnerabilities.ignore entry needs an id"},
		{"invalid expiry", "version: 1\nvulnerabilities:\n  ignore:\n    - id: X\n      reason: r\n      expires: soon\n",
			`invalid date "soon"`},
		{"unknown section key", "version: 1\nvulnerabilities:\n  ecosystem: [Go]\n", `unknown key "ecosystem"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
