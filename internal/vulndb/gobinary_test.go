package vulndb

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/testenv"
)

const oldTextProgram = `package main

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

// buildOldTextBinary builds a static program against golang.org/x/text
// v0.3.5 with the Go module proxy and returns the binary's path.
func buildOldTextBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		testenv.Unavailable(t, "the go command is not installed: %v", err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module example.com/oldtext\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.5\n",
		"main.go": oldTextProgram,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	for _, args := range [][]string{{"mod", "download", "golang.org/x/text@v0.3.5"}, {"build", "-o", "app", "."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
	return filepath.Join(dir, "app")
}

// inventoryOfBinary reads a Go binary the way a cataloguer does: modules
// from its build information and linked functions from its symbol table.
func inventoryOfBinary(t *testing.T, path string) *pkgdb.Inventory {
	t.Helper()
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	syms, err := ef.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			names = append(names, s.Name)
		}
	}
	inv := &pkgdb.Inventory{}
	for _, d := range bi.Deps {
		inv.Packages = append(inv.Packages, pkgdb.Package{
			Name: d.Path, Version: d.Version, Type: "golang", Ecosystem: "Go",
			PURL: "pkg:golang/" + d.Path + "@" + d.Version, Path: "/app",
			GoVersion: bi.GoVersion, Symbols: names, LayerIndex: 0,
		})
	}
	return inv
}

func TestMatchGoBinaryIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	db := realDB(t)
	inv := inventoryOfBinary(t, buildOldTextBinary(t))

	fs, problems := Match(context.Background(), db, inv)
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
	var textIDs []string
	reach := map[string]string{}
	for _, f := range fs {
		v := vulnOf(t, f)
		if v.Package.Name != "golang.org/x/text" {
			continue
		}
		textIDs = append(textIDs, f.RuleID)
		reach[f.RuleID] = v.Reachability
	}
	slices.Sort(textIDs)
	// The Go vulnerability database lists these golang.org/x/text
	// advisories as open at v0.3.5; GO-2020-0015 was fixed in v0.3.3.
	want := []string{"GO-2021-0113", "GO-2022-1059", "GO-2026-5970", "GO-2026-6629"}
	if diff := cmp.Diff(want, textIDs); diff != "" {
		t.Errorf("golang.org/x/text advisories (-want +got):\n%s", diff)
	}
	if reach["GO-2022-1059"] != SymbolPresent {
		t.Errorf("GO-2022-1059 reachability = %q, want %q (the program calls ParseAcceptLanguage)",
			reach["GO-2022-1059"], SymbolPresent)
	}
	if reach["GO-2026-6629"] != SymbolNotLinked {
		t.Errorf("GO-2026-6629 reachability = %q, want %q (secure/precis is not linked)",
			reach["GO-2026-6629"], SymbolNotLinked)
	}
	i := slices.IndexFunc(fs, func(f finding.Finding) bool { return f.RuleID == "GO-2022-1059" })
	if i >= 0 && fs[i].Fix != "upgrade golang.org/x/text to v0.3.8 or later and rebuild /app" {
		t.Errorf("fix = %q", fs[i].Fix)
	}
}
