package yamlpos

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestParseErrorLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"key indented wrongly", "services:\n  web:\n    image: nginx\n   bad: [\n", 4},
		{"mapping inside a list", "a: 1\nb:\n  - x\n  y: 2\n", 4},
		{"template directive", "a:\n  b: c\n  {{- with x }}\n  d: e\n", 3},
		{"unclosed flow sequence", "a: [1, 2\nb: 3\n", 2},
		{"unclosed quote", "a: 'x\n", 1},
		{"tab indentation", "a:\n\tb: 1\n", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.src))
			require.Error(t, err)
			var pe *Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.line, pe.Line, pe.Reason)
			require.Equal(t, "f.yaml", pe.Path)
			require.NotEmpty(t, pe.Reason)
		})
	}
}

func TestParseKeepsEarlierDocuments(t *testing.T) {
	docs, err := Parse("f.yaml", []byte("a: 1\n---\n---\nb: 2\n---\nc: [\n"))
	require.Error(t, err)
	require.Len(t, docs, 2, "the empty document is dropped")
}

func TestFieldThroughMergeKeys(t *testing.T) {
	src := `base: &base
  a: from-base
  b: from-base
other: &other
  b: from-other
  c: from-other
svc:
  <<: [*base, *other]
  a: own
`
	docs, err := Parse("f.yaml", []byte(src))
	require.NoError(t, err)
	svc := Get(docs[0], "svc")

	tests := []struct {
		key   string
		value string
		line  int
	}{
		{"a", "own", 9},
		{"b", "from-base", 3},
		{"c", "from-other", 6},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			k, v := Field(svc, tc.key)
			require.NotNil(t, k)
			require.Equal(t, tc.value, v.Value)
			require.Equal(t, tc.line, k.Line)
		})
	}

	k, v := Field(svc, "missing")
	require.Nil(t, k)
	require.Nil(t, v)

	var keys []string
	for _, p := range Pairs(svc) {
		keys = append(keys, p.Key.Value)
	}
	require.Equal(t, []string{"a", "b", "c"}, keys)
}

func TestSelfReferenceTerminates(t *testing.T) {
	docs, err := Parse("f.yaml", []byte("a: &a\n  <<: *a\n  x: 1\n"))
	if err != nil {
		return // a parser may reject the cycle, which is fine
	}
	require.Nil(t, Get(docs[0], "a", "missing"))
	require.NotPanics(t, func() { Pairs(Get(docs[0], "a")) })
	require.NotPanics(t, func() { DuplicateMergeKeys(docs[0]) })
}

func TestDuplicateMergeKeys(t *testing.T) {
	docs, err := Parse("f.yaml", []byte("x: &x {a: 1}\ny: &y {b: 2}\ns:\n  <<: *x\n  <<: *y\nt:\n  <<: [*x, *y]\n"))
	require.NoError(t, err)
	dups := DuplicateMergeKeys(docs[0])
	require.Len(t, dups, 1)
	require.Equal(t, 5, dups[0].Line)
}

func TestJSON(t *testing.T) {
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("a: &x {b: [1, true, null]}\nc: *x\n1: one\n"), &n))
	b, err := JSON(&n)
	require.NoError(t, err)
	require.JSONEq(t, `{"a":{"b":[1,true,null]},"c":{"b":[1,true,null]},"1":"one"}`, string(b))
}

func TestRecursiveAliases(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantLines []int
	}{
		{"merge into itself", "x-a: &a\n  <<: *a\n", []int{2}},
		{"nested value names its ancestor", "x-a: &a\n  b:\n    c: *a\n", []int{3}},
		{"sequence names itself", "x: &s [1, *s]\n", []int{1}},
		{"sibling alias is fine", "x-a: &a {k: v}\nx-b:\n  <<: *a\n  c: *a\n", nil},
		{"alias after anchor ends is fine", "x-a: &a\n  k: v\nsvc:\n  <<: *a\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			require.NoError(t, yaml.Unmarshal([]byte(tt.src), &doc))

			var got []int
			for _, a := range RecursiveAliases(&doc) {
				got = append(got, a.Line)
			}
			require.Equal(t, tt.wantLines, got)
		})
	}
}
