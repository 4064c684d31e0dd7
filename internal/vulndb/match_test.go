package vulndb

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/pkgdb"
)

func ids(fs []finding.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	slices.Sort(out)
	return out
}

func vulnOf(t *testing.T, f finding.Finding) Vulnerability {
	t.Helper()
	var v Vulnerability
	if err := json.Unmarshal(f.Extra["vulnerability"], &v); err != nil {
		t.Fatalf("decoding vulnerability of %s: %v", f.RuleID, err)
	}
	return v
}

func TestMatchDistributions(t *testing.T) {
	db := realDB(t)
	debian12 := &pkgdb.OS{ID: "debian", VersionID: "12"}
	tests := []struct {
		name string
		os   *pkgdb.OS
		pkg  pkgdb.Package
		want []string
	}{
		{
			name: "debian binary through source package",
			pkg: pkgdb.Package{Name: "libpam0g", Version: "1.5.2-6+deb12u1", Type: "deb", Ecosystem: "Debian:12",
				SourceName: "pam", SourceVersion: "1.5.2-6+deb12u1"},
			want: []string{"DEBIAN-CVE-2024-22365", "DEBIAN-CVE-2025-6020"},
		},
		{
			name: "debian fixed version",
			pkg: pkgdb.Package{Name: "libpam0g", Version: "1.5.2-6+deb12u3", Type: "deb", Ecosystem: "Debian:12",
				SourceName: "pam", SourceVersion: "1.5.2-6+deb12u3"},
			want: []string{},
		},
		{
			name: "debian epoch in fixed version",
			pkg: pkgdb.Package{Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Type: "deb", Ecosystem: "Debian:12",
				SourceName: "zlib"},
			want: []string{"DEBIAN-CVE-2026-27171", "DEBIAN-CVE-2026-85091"},
		},
		{
			name: "debian later security release",
			pkg: pkgdb.Package{Name: "zlib1g", Version: "1:1.2.13.dfsg-1+deb12u1", Type: "deb", Ecosystem: "Debian:12",
				SourceName: "zlib"},
			want: []string{},
		},
		{
			name: "debian other release not matched",
			pkg: pkgdb.Package{Name: "libpam0g", Version: "1.4.0-9", Type: "deb", Ecosystem: "Debian:11",
				SourceName: "pam"},
			want: []string{},
		},
		{
			name: "debian ecosystem from os-release",
			os:   debian12,
			pkg:  pkgdb.Package{Name: "libzstd1", Version: "1.5.4+dfsg2-5", Type: "deb", SourceName: "libzstd"},
			want: []string{"DEBIAN-CVE-2026-124851"},
		},
		{
			name: "alpine vulnerable",
			pkg:  pkgdb.Package{Name: "musl", Version: "1.1.22-r3", Type: "apk", Ecosystem: "Alpine:v3.11"},
			want: []string{"CVE-2019-14697"},
		},
		{
			name: "alpine at fixed version",
			pkg:  pkgdb.Package{Name: "musl", Version: "1.1.23-r2", Type: "apk", Ecosystem: "Alpine:v3.11"},
			want: []string{},
		},
		{
			name: "alpine origin package",
			pkg: pkgdb.Package{Name: "libcrypto1.1", Version: "1.1.1d-r2", Type: "apk", Ecosystem: "Alpine:v3.11",
				SourceName: "openssl"},
			want: []string{"CVE-2019-1551"},
		},
		{
			name: "alpine other release not matched",
			pkg:  pkgdb.Package{Name: "musl", Version: "1.1.22-r3", Type: "apk", Ecosystem: "Alpine:v3.20"},
			want: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &pkgdb.Inventory{OS: tc.os, Packages: []pkgdb.Package{tc.pkg}}
			fs, problems := Match(context.Background(), db, inv)
			if len(problems) != 0 {
				t.Errorf("problems: %v", problems)
			}
			if diff := cmp.Diff(tc.want, ids(fs)); diff != "" {
				t.Errorf("advisories (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatchGoStdlib(t *testing.T) {
	db := realDB(t)
	tests := []struct {
		name      string
		goVersion string
		include   []string
		exclude   []string
	}{
		{"before fix", "go1.22.3", []string{"GO-2024-2887", "GO-2024-2888", "GO-2024-2963"}, []string{"GO-2024-2824", "GO-2024-2598"}},
		{"at fix", "go1.22.4", []string{"GO-2024-2963"}, []string{"GO-2024-2887", "GO-2024-2824"}},
		{"older branch", "go1.21.10", []string{"GO-2024-2887"}, []string{"GO-2024-2824", "GO-2024-2598"}},
		// GO-2026-6604 affects only Windows binaries.
		{"other system", "go1.26.8", []string{"GO-2026-6599"}, []string{"GO-2026-6604"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &pkgdb.Inventory{Packages: []pkgdb.Package{{
				Name: "example.com/app", Version: "(devel)", Type: "golang", Ecosystem: "Go",
				Path: "/app", GoVersion: tc.goVersion, LayerIndex: 1,
			}}}
			fs, _ := Match(context.Background(), db, inv)
			got := ids(fs)
			for _, id := range tc.include {
				if !slices.Contains(got, id) {
					t.Errorf("%s missing from %v", id, got)
				}
			}
			for _, id := range tc.exclude {
				if slices.Contains(got, id) {
					t.Errorf("%s reported but fixed before %s", id, tc.goVersion)
				}
			}
		})
	}
}

func TestMatchGoStdlibFinding(t *testing.T) {
	db := realDB(t)
	inv := &pkgdb.Inventory{Packages: []pkgdb.Package{{
		Name: "example.com/app", Version: "(devel)", Type: "golang", Ecosystem: "Go",
		Path: "/usr/local/bin/app", GoVersion: "go1.22.3", LayerIndex: 2, LayerDigest: "sha256:abc",
		Symbols: []string{"net/netip.Addr.IsLoopback", "main.main"},
	}}}
	fs, _ := Match(context.Background(), db, inv)
	i := slices.IndexFunc(fs, func(f finding.Finding) bool { return f.RuleID == "GO-2024-2887" })
	if i < 0 {
		t.Fatalf("GO-2024-2887 not reported: %v", ids(fs))
	}
	f := fs[i]
	v := vulnOf(t, f)
	want := Vulnerability{
		ID: "GO-2024-2887", Aliases: []string{"CVE-2024-24790"}, Summary: v.Summary,
		Package: VulnPackage{Name: "stdlib", Version: "go1.22.3", Ecosystem: "Go",
			PURL: "pkg:golang/stdlib@go1.22.3"},
		FixedVersions: []string{"1.22.4"}, Severity: "unknown",
		Found:        FoundLocation{Path: "/usr/local/bin/app", LayerIndex: 2, LayerDigest: "sha256:abc"},
		Fix:          "rebuild /usr/local/bin/app with Go 1.22.4 or later",
		Reachability: SymbolPresent, Symbols: []string{"net/netip.Addr.IsLoopback"},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("vulnerability (-want +got):\n%s", diff)
	}
	if f.Severity != finding.Unknown {
		t.Errorf("severity = %v, want unknown for a record without rating", f.Severity)
	}
	if f.Location.LayerIndex == nil || *f.Location.LayerIndex != 2 || f.Location.ImagePath != "/usr/local/bin/app" {
		t.Errorf("location = %+v, want layer 2 and image path /usr/local/bin/app", f.Location)
	}
	if !strings.Contains(f.Message, "fixed in 1.22.4") {
		t.Errorf("message %q does not name the fixed version", f.Message)
	}
}

func TestMatchSeverityFromCVSS(t *testing.T) {
	db := realDB(t)
	tests := []struct {
		name    string
		pkg     pkgdb.Package
		id      string
		sev     finding.Severity
		score   float64
		version string
	}{
		{"cvss 3.0 vector", pkgdb.Package{Name: "apache-atlas", Version: "1.0", Type: "pypi"}, "PYSEC-2017-105", finding.High, 7.5, "3.0"},
		{"cvss 4.0 vector", pkgdb.Package{Name: "cap-primitives", Version: "3.4.0", Type: "cargo"}, "RUSTSEC-2024-0445", finding.Low, 2.3, "4.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := Match(context.Background(), db, &pkgdb.Inventory{Packages: []pkgdb.Package{tc.pkg}})
			i := slices.IndexFunc(fs, func(f finding.Finding) bool { return f.RuleID == tc.id })
			if i < 0 {
				t.Fatalf("%s not reported: %v", tc.id, ids(fs))
			}
			v := vulnOf(t, fs[i])
			if fs[i].Severity != tc.sev {
				t.Errorf("severity = %v, want %v", fs[i].Severity, tc.sev)
			}
			if v.Score == nil || *v.Score != tc.score {
				t.Errorf("score = %v, want %v", v.Score, tc.score)
			}
			if v.CVSSVersion != tc.version || v.Vector == "" {
				t.Errorf("cvss version %q, vector %q; want version %s and a vector", v.CVSSVersion, v.Vector, tc.version)
			}
		})
	}
}

func TestMatchStaleDatabase(t *testing.T) {
	db := realDB(t)
	m := &Matcher{DB: db, Now: db.Info().Built.Add(8 * 24 * time.Hour)}
	_, problems := m.Match(context.Background(), &pkgdb.Inventory{})
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, "dockward db update") {
		t.Errorf("problems = %v, want one naming dockward db update", problems)
	}
	m.Now = db.Info().Built.Add(6 * 24 * time.Hour)
	if _, problems := m.Match(context.Background(), &pkgdb.Inventory{}); len(problems) != 0 {
		t.Errorf("problems = %v for a 6-day-old database, want none", problems)
	}
}

func TestMatchLanguagePackages(t *testing.T) {
	db := realDB(t)
	tests := []struct {
		name    string
		pkg     pkgdb.Package
		include string
		exclude string
	}{
		{"pypi name normalised", pkgdb.Package{Name: "Django", Version: "3.2.0", Type: "pypi"}, "PYSEC-2021-98", ""},
		{"pypi fixed", pkgdb.Package{Name: "django", Version: "3.2.4", Type: "pypi"}, "", "PYSEC-2021-98"},
		{"cargo", pkgdb.Package{Name: "smallvec", Version: "1.6.0", Type: "cargo"}, "RUSTSEC-2021-0003", ""},
		{"cargo fixed", pkgdb.Package{Name: "smallvec", Version: "1.6.1", Type: "cargo"}, "", "RUSTSEC-2021-0003"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, problems := Match(context.Background(), db, &pkgdb.Inventory{Packages: []pkgdb.Package{tc.pkg}})
			if len(problems) != 0 {
				t.Errorf("problems: %v", problems)
			}
			got := ids(fs)
			if tc.include != "" && !slices.Contains(got, tc.include) {
				t.Errorf("%s missing from %v", tc.include, got)
			}
			if tc.exclude != "" && slices.Contains(got, tc.exclude) {
				t.Errorf("%s reported for a fixed version", tc.exclude)
			}
		})
	}
}
