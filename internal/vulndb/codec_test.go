package vulndb

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCodecRoundTrip(t *testing.T) {
	entries := []*Entry{
		{
			ID: "GO-2022-1059",
			Ranges: []Range{{Type: "SEMVER", Events: []Event{{Introduced: "0"}, {Fixed: "0.3.8"}}},
				{Type: "ECOSYSTEM", Events: []Event{{Introduced: "1.0"}, {LastAffected: "1.2"}, {Limit: "2.0"}}}},
			Versions: []string{"0.3.7", "0.3.6"},
			Imports: []ImportSymbols{{Path: "golang.org/x/text/language", Symbols: []string{"Parse"}},
				{Path: "os", GOOS: []string{"windows"}, GOARCH: []string{"amd64", "arm64"}}, {Path: "p"}},
			Aliases: []string{"CVE-2022-32149"}, Summary: "summary", Published: time.Date(2022, 10, 11, 0, 0, 0, 0, time.UTC),
			Severity:   []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}},
			Rating:     "HIGH",
			References: []string{"https://go.dev/issue/56152"}, Package: "golang.org/x/text",
		},
		{ID: "EMPTY"},
	}
	got, err := decodeMatchData(encodeMatchData(entries))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if err := decodeDetails(encodeDetails(entries[i]), &got[i]); err != nil {
			t.Fatal(err)
		}
	}
	want := []Entry{*entries[0], *entries[1]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCodecTruncated(t *testing.T) {
	data := encodeMatchData([]*Entry{{ID: "X", Versions: []string{"1.0"}}})
	for n := 0; n < len(data); n++ {
		if _, err := decodeMatchData(data[:n]); err == nil {
			t.Errorf("decoding %d of %d bytes succeeded", n, len(data))
		}
	}
}

func FuzzDecodeMatchData(f *testing.F) {
	f.Add(encodeMatchData([]*Entry{{ID: "X", Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}}}}))
	f.Add(encodeDetails(&Entry{Aliases: []string{"CVE-1"}, Published: time.Unix(1, 0)}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decodeMatchData(data)
		var e Entry
		_ = decodeDetails(data, &e)
	})
}
