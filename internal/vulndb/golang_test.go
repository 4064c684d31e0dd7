package vulndb

import (
	"testing"
)

func TestPlatformExcluded(t *testing.T) {
	win := ImportSymbols{Path: "os", GOOS: []string{"windows"}}
	anyOS := ImportSymbols{Path: "net/http"}
	arm := ImportSymbols{Path: "crypto/x", GOARCH: []string{"arm64"}}
	tests := []struct {
		name    string
		imports []ImportSymbols
		arch    string
		want    bool
	}{
		{"no imports", nil, "amd64", false},
		{"windows only", []ImportSymbols{win}, "amd64", true},
		{"windows and any", []ImportSymbols{win, anyOS}, "amd64", false},
		{"other architecture", []ImportSymbols{arm}, "amd64", true},
		{"same architecture", []ImportSymbols{arm}, "arm64", false},
		{"architecture unknown", []ImportSymbols{arm}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := platformExcluded(&Entry{Imports: tc.imports}, tc.arch); got != tc.want {
				t.Errorf("platformExcluded = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAddSymbolSpellings(t *testing.T) {
	set := map[string]struct{}{}
	for _, s := range []string{
		"net/http.(*Server).Serve",
		"example.com/m/pkg.Map[...].Get",
		"golang.org/x/text/language.ParseAcceptLanguage.func1",
	} {
		addSymbol(set, s)
	}
	for _, want := range []string{
		"net/http.Server.Serve",
		"example.com/m/pkg.Map.Get",
		"golang.org/x/text/language.ParseAcceptLanguage",
	} {
		if _, ok := set[want]; !ok {
			t.Errorf("%s missing from %v", want, set)
		}
	}
}
