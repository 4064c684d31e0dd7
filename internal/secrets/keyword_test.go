package secrets

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// naiveHits finds every occurrence of every keyword, ignoring ASCII case,
// the slow way. Only ASCII letters are folded, as in the matcher; other
// bytes, valid UTF-8 or not, compare as they are.
func naiveHits(keywords []string, data []byte) [][2]int {
	var hits [][2]int
	lower := make([]byte, len(data))
	for i, b := range data {
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		lower[i] = b
	}
	for k, kw := range keywords {
		for i := 0; i+len(kw) <= len(lower); i++ {
			if string(lower[i:i+len(kw)]) == kw {
				hits = append(hits, [2]int{k, i + len(kw)})
			}
		}
	}
	slices.SortFunc(hits, func(a, b [2]int) int {
		if a[1] != b[1] {
			return a[1] - b[1]
		}
		return a[0] - b[0]
	})
	return hits
}

func matcherHits(m *keywordMatcher, data []byte) [][2]int {
	var hits [][2]int
	m.scan(data, func(k, end int) { hits = append(hits, [2]int{k, end}) })
	slices.SortFunc(hits, func(a, b [2]int) int {
		if a[1] != b[1] {
			return a[1] - b[1]
		}
		return a[0] - b[0]
	})
	return hits
}

func TestKeywordMatcher(t *testing.T) {
	tests := []struct {
		name     string
		keywords []string
		text     string
	}{
		{"overlapping", []string{"he", "she", "his", "hers"}, "ushers and HIS sheep"},
		{"nested", []string{"a", "aa", "aaa"}, "aaaa"},
		{"case", []string{"ghp_", "akia"}, "GHP_x AKIA akia AkIa"},
		{"none", []string{"token"}, "nothing here"},
		{"symbols", []string{"-----begin", "://", ":aa"}, "-----BEGIN x https://a :AA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newKeywordMatcher(tt.keywords)
			require.Equal(t, naiveHits(tt.keywords, []byte(tt.text)), matcherHits(m, []byte(tt.text)))
		})
	}
}

func TestKeywordMatcherRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "abAB_-:/. \n"
	for range 200 {
		var kws []string
		for range 1 + r.IntN(8) {
			b := make([]byte, 1+r.IntN(4))
			for i := range b {
				b[i] = bytes.ToLower([]byte{alphabet[r.IntN(len(alphabet))]})[0]
			}
			kws = append(kws, string(b))
		}
		kws = slices.Compact(slices.Sorted(slices.Values(kws)))
		text := make([]byte, r.IntN(200))
		for i := range text {
			text[i] = alphabet[r.IntN(len(alphabet))]
		}
		require.Equal(t, naiveHits(kws, text), matcherHits(newKeywordMatcher(kws), text), "keywords %q text %q", kws, text)
	}
}

func FuzzKeywordMatcher(f *testing.F) {
	f.Add("he she his hers", "ushers")
	f.Add("ghp_ akia", "GHP_x AKIA")
	f.Fuzz(func(t *testing.T, words, text string) {
		kws := strings.Fields(strings.ToLower(words))
		for _, k := range kws {
			for i := 0; i < len(k); i++ {
				if k[i] >= 0x80 {
					return // keywords are ASCII
				}
			}
		}
		if len(kws) == 0 || len(kws) > 20 || len(text) > 4096 {
			return
		}
		seen := map[string]bool{}
		var uniq []string
		for _, k := range kws {
			if !seen[k] {
				seen[k] = true
				uniq = append(uniq, k)
			}
		}
		want := naiveHits(uniq, []byte(text))
		got := matcherHits(newKeywordMatcher(uniq), []byte(text))
		if len(want) != len(got) {
			t.Fatalf("keywords %q text %q: %d hits, want %d", uniq, text, len(got), len(want))
		}
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("keywords %q text %q: hit %d = %v, want %v", uniq, text, i, got[i], want[i])
			}
		}
	})
}
