package vulndb

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/vulndb/version"
)

func TestAffects(t *testing.T) {
	eco := func(events ...Event) Range { return Range{Type: "ECOSYSTEM", Events: events} }
	in := func(v string) Event { return Event{Introduced: v} }
	fx := func(v string) Event { return Event{Fixed: v} }
	last := func(v string) Event { return Event{LastAffected: v} }
	limit := func(v string) Event { return Event{Limit: v} }
	tests := []struct {
		name      string
		scheme    version.Scheme
		entry     Entry
		v         string
		want      bool
		wantFixed []string
	}{
		{"introduced zero", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("1.2.0"))}}, "0.0.1", true, []string{"1.2.0"}},
		{"at fixed", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("1.2.0"))}}, "1.2.0", false, nil},
		{"below introduced", version.SemVer, Entry{Ranges: []Range{eco(in("1.0.0"), fx("1.2.0"))}}, "0.9.0", false, nil},
		{"at introduced", version.SemVer, Entry{Ranges: []Range{eco(in("1.0.0"), fx("1.2.0"))}}, "1.0.0", true, []string{"1.2.0"}},
		{"second range of events", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("1.0.5"), in("1.1.0"), fx("1.1.3"))}}, "1.1.1", true, []string{"1.1.3"}},
		{"between ranges", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("1.0.5"), in("1.1.0"), fx("1.1.3"))}}, "1.0.7", false, nil},
		{"events out of order", version.SemVer, Entry{Ranges: []Range{eco(fx("1.1.3"), in("1.1.0"), fx("1.0.5"), in("0"))}}, "1.1.1", true, []string{"1.1.3"}},
		{"last affected included", version.SemVer, Entry{Ranges: []Range{eco(in("0"), last("1.4.0"))}}, "1.4.0", true, nil},
		{"after last affected", version.SemVer, Entry{Ranges: []Range{eco(in("0"), last("1.4.0"))}}, "1.4.1", false, nil},
		{"no fix", version.SemVer, Entry{Ranges: []Range{eco(in("1.0.0"))}}, "9.0.0", true, nil},
		{"below limit", version.SemVer, Entry{Ranges: []Range{eco(in("0"), limit("2.0.0"))}}, "1.9.0", true, nil},
		{"at limit", version.SemVer, Entry{Ranges: []Range{eco(in("0"), limit("2.0.0"))}}, "2.0.0", false, nil},
		{"limit star", version.SemVer, Entry{Ranges: []Range{eco(in("0"), limit("*"))}}, "2.0.0", true, nil},
		{"versions list", version.PEP440, Entry{Versions: []string{"1.0", "1.1"}}, "1.1", true, nil},
		{"versions list equivalent spelling", version.PEP440, Entry{Versions: []string{"1.1.0"}}, "1.1", true, nil},
		{"versions list miss", version.PEP440, Entry{Versions: []string{"1.0"}}, "1.2", false, nil},
		{"versions list with ranges is exact", version.PEP440, Entry{Ranges: []Range{eco(in("2.0"))}, Versions: []string{"1.1.0"}}, "1.1", false, nil},
		{"debian epoch", version.Debian, Entry{Ranges: []Range{eco(in("0"), fx("1:1.2.13.dfsg-1+deb12u1"))}}, "1.2.14-1", true, []string{"1:1.2.13.dfsg-1+deb12u1"}},
		{"semver range in go", version.Go, Entry{Ranges: []Range{{Type: "SEMVER", Events: []Event{in("0"), fx("0.3.8")}}}}, "v0.3.8-0.20220101000000-abcdefabcdef", true, []string{"0.3.8"}},
		{"stdlib branches", version.Go, Entry{Ranges: []Range{{Type: "SEMVER", Events: []Event{in("0"), fx("1.21.11"), in("1.22.0-0"), fx("1.22.4")}}}}, "go1.22rc1", true, []string{"1.22.4"}},
		{"invalid event skipped", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("not-a-version"), fx("2.0.0"))}}, "1.5.0", true, []string{"2.0.0"}},
		{"multiple ranges fixed versions", version.SemVer, Entry{Ranges: []Range{eco(in("0"), fx("1.5.0")), eco(in("1.0.0"), fx("1.4.2"))}}, "1.2.0", true, []string{"1.4.2", "1.5.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fixed, err := affects(&tc.entry, newComparers(tc.scheme), tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("affects(%s) = %v, want %v", tc.v, got, tc.want)
			}
			if diff := cmp.Diff(tc.wantFixed, fixed); diff != "" {
				t.Errorf("fixed versions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAffectsInvalidInstalledVersion(t *testing.T) {
	e := &Entry{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}}}
	_, _, err := affects(e, newComparers(version.Debian), "not a version")
	if !errors.Is(err, version.ErrInvalid) {
		t.Errorf("error = %v, want version.ErrInvalid", err)
	}
}
