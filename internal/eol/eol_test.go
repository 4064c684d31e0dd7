package eol

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestForImage(t *testing.T) {
	tests := []struct {
		name, repo, tag string
		want            []string
	}{
		{"debian codename", "debian", "buster-slim", []string{"debian 10"}},
		{"debian version", "library/debian", "11.9", []string{"debian 11"}},
		{"python on buster", "python", "3.8-slim-buster", []string{"python 3.8", "debian 10"}},
		{"python on alpine", "python", "3.9.18-alpine3.15", []string{"python 3.9", "alpine 3.15"}},
		{"node major", "node", "18-alpine", []string{"node 18"}},
		{"node zero", "node", "0.10", []string{"node 0.10"}},
		{"golang patch", "golang", "1.21.5-bookworm", []string{"golang 1.21", "debian 12"}},
		{"ubuntu version", "ubuntu", "20.04", []string{"ubuntu 20.04"}},
		{"ubuntu codename", "ubuntu", "focal", []string{"ubuntu 20.04"}},
		{"alpine patch", "alpine", "3.12.3", []string{"alpine 3.12"}},
		{"postgres old", "postgres", "9.6-alpine", []string{"postgres 9.6"}},
		{"older than the table", "golang", "1.18-alpine", []string{"golang 1.18"}},
		{"go 1.10", "golang", "1.10", []string{"golang 1.10"}},
		{"old alpine", "alpine", "3.5", []string{"alpine 3.5"}},
		{"old alpine variant", "python", "3.6-alpine3.4", []string{"python 3.6", "alpine 3.4"}},
		{"old ubuntu", "ubuntu", "12.04", []string{"ubuntu 12.04"}},
		{"old debian", "debian", "6", []string{"debian 6"}},
		{"newer than the table", "golang", "1.26", nil},
		{"unknown image", "nginx", "1.25", nil},
		{"other namespace", "bitnami/python", "3.8", nil},
		{"latest tag", "python", "latest", nil},
		{"ecr mirror", "docker/library/node", "16", []string{"node 16"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range ForImage(tt.repo, tt.tag) {
				got = append(got, e.Product+" "+e.Cycle)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ForImage(%q, %q) (-want +got):\n%s", tt.repo, tt.tag, diff)
			}
		})
	}
}

func TestEnded(t *testing.T) {
	e, ok := Lookup("debian", "10")
	if !ok {
		t.Fatal("Debian 10 missing from the table")
	}
	if e.Ended(time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC)) {
		t.Error("Debian 10 LTS still ran on its last day")
	}
	if !e.Ended(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Debian 10 LTS had ended on 2024-07-01")
	}
}

func TestForOS(t *testing.T) {
	for _, tt := range []struct{ id, version, want, before string }{
		{"debian", "10", "debian 10", ""},
		{"alpine", "3.15.4", "alpine 3.15", ""},
		{"ubuntu", "18.04", "ubuntu 18.04", ""},
		{"centos", "7", "centos 7", ""},
		{"amzn", "2", "amazonlinux 2", ""},
		{"debian", "6.0.10", "debian 6", "7"},
		{"ubuntu", "12.04", "ubuntu 12.04", "14.04"},
		{"alpine", "3.9.6", "alpine 3.9", "3.10"},
		{"alpine", "3.5.0", "alpine 3.5", "3.10"},
		{"centos", "5.11", "centos 5", "6"},
		{"fedora", "36", "fedora 36", "37"},
		{"amzn", "2018.03", "amazonlinux 1", ""},
	} {
		e, ok := ForOS(tt.id, tt.version)
		if !ok || e.Product+" "+e.Cycle != tt.want {
			t.Errorf("ForOS(%q, %q) = %v, %v; want %s", tt.id, tt.version, e, ok, tt.want)
			continue
		}
		before := ""
		if e.Before != nil {
			before = e.Before.Cycle
		}
		if before != tt.before {
			t.Errorf("ForOS(%q, %q).Before = %q; want %q", tt.id, tt.version, before, tt.before)
		}
	}
}

func TestForOSNotInTable(t *testing.T) {
	for _, tt := range []struct{ id, version string }{
		{"debian", "14"},
		{"alpine", "3.99"},
		{"alpine", "3.23_alpha20250108"},
		{"amzn", "2023"},
		{"mystery", "1"},
		{"debian", ""},
	} {
		if e, ok := ForOS(tt.id, tt.version); ok {
			t.Errorf("ForOS(%q, %q) = %s; want no entry", tt.id, tt.version, e.Name())
		}
	}
}

func TestEveryEntryHasSource(t *testing.T) {
	for _, e := range All() {
		if e.Source == "" || e.EOL.IsZero() || e.Product == "" || e.Cycle == "" {
			t.Errorf("incomplete entry %+v", e)
		}
	}
}
