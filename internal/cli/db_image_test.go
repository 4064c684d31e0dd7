package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

const oldTextMain = `package main

import (
	"fmt"
	"os"

	"golang.org/x/text/language"
)

func main() {
	tags, _, err := language.ParseAcceptLanguage(os.Getenv("LANG"))
	fmt.Println(tags, err)
}
`

// buildOldTextImage builds a FROM scratch image holding a static program
// built against golang.org/x/text v0.3.5, saves it with docker save and
// returns the archive's path.
func buildOldTextImage(t *testing.T, d *testenv.Docker) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":     "module example.com/oldtext\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.5\n",
		"main.go":    oldTextMain,
		"Dockerfile": "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	build := exec.Command("go", "build", "-o", "app", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	image := fmt.Sprintf("dockward-test/oldtext:%d-%d", os.Getpid(), time.Now().UnixNano())
	d.Output(t, "build", "-q", "-t", image, dir)
	// t.Context is cancelled before cleanups run.
	t.Cleanup(func() { _ = d.Command(context.Background(), "rmi", "-f", image).Run() })
	archive := filepath.Join(t.TempDir(), "oldtext.tar")
	d.Output(t, "save", "-o", archive, image)
	return archive
}

func TestScanScratchGoImageIntegration(t *testing.T) {
	d := testenv.RequireDocker(t)
	archive := buildOldTextImage(t, d)
	dbDir := t.TempDir()
	_, _, err := runDB(t, "import", "--db-dir", dbDir, realVulnDB(t, "go-osv"))
	require.NoError(t, err)

	rep, stderr, err := runScanJSON(t, "docker-archive:"+archive, "--scanners", "vuln", "--db-dir", dbDir,
		"--format", "json", "--fail-on", "none")
	require.NoError(t, err, stderr)

	var textIDs []string
	reach := map[string]string{}
	for _, f := range rep.Findings {
		v := f.Vulnerability
		require.Equal(t, "/app", v.Found.Path, "finding %s", f.RuleID)
		if v.Package.Name == "golang.org/x/text" {
			textIDs = append(textIDs, f.RuleID)
			reach[f.RuleID] = v.Reachability
		}
	}
	slices.Sort(textIDs)
	// Open at v0.3.5 in the Go vulnerability database; GO-2020-0015 was
	// fixed in v0.3.3 and must not appear.
	require.Equal(t, []string{"GO-2021-0113", "GO-2022-1059", "GO-2026-5970", "GO-2026-6629"}, textIDs)
	require.Equal(t, "symbol-present", reach["GO-2022-1059"])
	require.Equal(t, "symbol-not-linked", reach["GO-2026-6629"])

	rep, stderr, err = runScanJSON(t, "docker-archive:"+archive, "--scanners", "vuln", "--db-dir", dbDir,
		"--format", "json", "--fail-on", "none", "--linked-only")
	require.NoError(t, err, stderr)
	for _, f := range rep.Findings {
		require.NotEqual(t, "GO-2026-6629", f.RuleID, "--linked-only kept an unlinked advisory")
	}
}
