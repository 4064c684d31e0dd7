package pkgdb

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

// goRPMDBModule is the go-rpmdb release whose test data holds Berkeley DB
// Packages files from CentOS 5 to 8 images, with the `rpm -qa` output of
// each image written out as Go values.
const goRPMDBModule = "github.com/knqyf263/go-rpmdb@v0.0.0-20210911072402-73bd0ce46c49"

var (
	rpmQAList  = regexp.MustCompile(`(?m)^\t(\w+) = \[\]\*PackageInfo\{$`)
	rpmQAEntry = regexp.MustCompile(`^\t\t\{(\d+), "([^"]*)", "([^"]*)", "([^"]*)", "([^"]*)",`)
	rpmQAFile  = regexp.MustCompile(`file:\s+"(testdata/[^"]+)",\s+pkgList:\s+(\w+),`)
)

// TestParseRPMDBRealBerkeleyDBIntegration reads the real CentOS rpm
// databases of the go-rpmdb module, fetched through the Go module proxy,
// and compares each with the rpm -qa output recorded beside it.
func TestParseRPMDBRealBerkeleyDBIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "mod", "download", "-json",
		goRPMDBModule).Output()
	if err != nil {
		testenv.Unavailable(t, "downloading %s: %v", goRPMDBModule, err)
	}
	var mod struct{ Dir string }
	require.NoError(t, json.Unmarshal(out, &mod))
	dir := filepath.Join(mod.Dir, "pkg")

	cases, err := os.ReadFile(filepath.Join(dir, "rpmdb_testcase.go"))
	require.NoError(t, err)
	lists := make(map[string][]string)
	current := ""
	for line := range strings.SplitSeq(string(cases), "\n") {
		if m := rpmQAList.FindStringSubmatch(line); m != nil {
			current = m[1]
			continue
		}
		m := rpmQAEntry.FindStringSubmatch(line)
		if m == nil || current == "" || m[2] == "gpg-pubkey" {
			continue
		}
		version := m[3] + "-" + m[4]
		if m[1] != "0" {
			version = m[1] + ":" + version
		}
		lists[current] = append(lists[current], m[2]+" "+version+" "+m[5])
	}

	tests, err := os.ReadFile(filepath.Join(dir, "rpmdb_test.go"))
	require.NoError(t, err)
	files := rpmQAFile.FindAllStringSubmatch(string(tests), -1)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(f[1], func(t *testing.T) {
			want := slices.Sorted(slices.Values(lists[f[2]]))
			require.NotEmpty(t, want, "no rpm -qa list named %s", f[2])

			r, err := os.Open(filepath.Join(dir, f[1]))
			require.NoError(t, err)
			defer r.Close()
			st, err := r.Stat()
			require.NoError(t, err)
			pkgs, err := ParseRPMDB("Packages", r, st.Size())
			require.NoError(t, err)

			var got []string
			for _, p := range pkgs {
				got = append(got, fmt.Sprintf("%s %s %s", p.Name, p.Version, p.Arch))
			}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages (-rpm -qa +catalog):\n%s", diff)
			}
		})
	}
}
