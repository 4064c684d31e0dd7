package apparmor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// fragment is a file of rules without a profile header, as an
// abstraction under /etc/apparmor.d/abstractions holds them.
const fragment = "file,\ncapability,\nmount fstype=tmpfs,\n"

func TestAbstractionRulesLinted(t *testing.T) {
	fs, ps, err := Lint("fragment", []byte(fragment), noIncludes)
	require.NoError(t, err)

	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s %d %s", f.RuleID, f.Location.StartLine, f.Message))
	}
	want := []string{
		"AA001 1 the abstraction allows every file operation on every path except what its deny rules name",
		"AA002 2 the abstraction allows every capability the process holds",
		"AA004 3 the abstraction allows mount: fstype=tmpfs",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	require.Len(t, ps, 1)
	require.Equal(t, 1, ps[0].Line)
	require.Contains(t, ps[0].Reason, "no profile found; this looks like an abstraction")
}

func TestAbstractionProfileNamePeer(t *testing.T) {
	fs, _, err := Lint("fragment", []byte("ptrace peer=@{profile_name},\nptrace,\n"), noIncludes)
	require.NoError(t, err)
	require.Equal(t, []string{"2 the abstraction allows ptrace (all access) of any process"}, messagesOf(fs, "AA007"))
}

func TestNoProfileOrRule(t *testing.T) {
	fs, ps, err := Lint("empty", []byte("# only a comment\n"), noIncludes)
	require.NoError(t, err)
	require.Empty(t, fs)
	require.Len(t, ps, 1)
	require.Contains(t, ps[0].Reason, "no AppArmor profile or rule found")
}

func TestProfileHasNoAbstractionProblem(t *testing.T) {
	_, ps, err := Lint("p", []byte(tight), noIncludes)
	require.NoError(t, err)
	require.Empty(t, ps)
}

func TestLintIncludeDirs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "abstractions"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "abstractions", "nomount"), []byte("  deny mount,\n"), 0o644))
	profile := []byte("profile app {\n  #include <abstractions/nomount>\n  /srv/** r,\n}\n")

	t.Run("not on the search path", func(t *testing.T) {
		_, ps, err := Lint("p", profile, noIncludes)
		require.NoError(t, err)
		require.Len(t, ps, 1)
		require.True(t, strings.HasPrefix(ps[0].Reason, "include abstractions/nomount not found under /nonexistent:"),
			"problem: %s", ps[0].Reason)
	})
	t.Run("found through IncludeDirs", func(t *testing.T) {
		opts := noIncludes
		opts.IncludeDirs = []string{t.TempDir(), dir}
		fs, ps, err := Lint("p", profile, opts)
		require.NoError(t, err)
		require.Empty(t, ps)
		// The included deny rule was the only one AA009 missed.
		require.Empty(t, messagesOf(fs, "AA009"))
	})
}
