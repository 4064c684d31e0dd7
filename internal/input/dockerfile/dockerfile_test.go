package dockerfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const corpusDir = "../../../../shared/corpus/dockerfiles"

// TestBuildKitParseTrees checks that reading a file through this package
// leaves BuildKit's parse tree exactly as BuildKit's own expected results
// describe it.
func TestBuildKitParseTrees(t *testing.T) {
	results, _ := filepath.Glob(filepath.Join(corpusDir, "buildkit-parser-expected", "*.result"))
	if len(results) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("expected parse trees missing in CI")
		}
		t.Skip("corpus not found")
	}
	for _, res := range results {
		name := strings.TrimSuffix(filepath.Base(res), ".result")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(corpusDir, "buildkit-parser-"+name+".Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(res)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, in := range f.Instructions {
				if in.Onbuild {
					continue
				}
				got.WriteString("(" + in.Node.Dump() + ")\n")
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("parse tree differs (-want +got):\n%s", diff)
			}
		})
	}
}

func commandsOf(t *testing.T, src string) []*Command {
	t.Helper()
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var out []*Command
	for _, in := range f.Instructions {
		for _, s := range in.Scripts {
			if s.Err != nil {
				t.Fatalf("line %d: %v", in.Line, s.Err)
			}
			out = append(out, s.Commands()...)
		}
	}
	return out
}

func TestCommandLines(t *testing.T) {
	src := "FROM a\n" +
		"RUN set -eux; \\\n" + // 2
		"    # a comment inside the continuation\n" + // 3
		"\n" + // 4
		"    apt-get update \\\n" + // 5
		"    && sudo -u app env FOO=1 make install \\\n" + // 6
		"    | tee log\n" + // 7
		"RUN <<EOF\n" + // 8
		"echo one\n" + // 9
		"nohup two\n" + // 10
		"EOF\n" // 11
	type row struct {
		Name string
		Line int
		Via  string
	}
	var got []row
	for _, c := range commandsOf(t, src) {
		got = append(got, row{c.Name, c.Line, c.Via})
	}
	want := []row{
		{"set", 2, ""}, {"apt-get", 5, ""}, {"sudo", 6, ""}, {"env", 6, "sudo"}, {"make", 6, "env"},
		{"tee", 7, ""}, {"echo", 9, ""}, {"nohup", 10, ""}, {"two", 10, "nohup"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestWordValues(t *testing.T) {
	cmds := commandsOf(t, "FROM a\nRUN cmd 'single' \"dou\"ble esc\\ aped \"$VAR\" $(sub) x\n")
	c := cmds[len(cmds)-1]
	if c.Name != "cmd" {
		t.Fatalf("last command %q", c.Name)
	}
	wantArgs := []string{"single", "double", "esc aped", `"$VAR"`, "$(sub)", "x"}
	wantKnown := []bool{true, true, true, false, false, true}
	if diff := cmp.Diff(wantArgs, c.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantKnown, c.Known); diff != "" {
		t.Errorf("known (-want +got):\n%s", diff)
	}
}

func TestStagesAndArgs(t *testing.T) {
	src := "ARG REG=docker.io\nARG TAG\n" +
		"FROM ${REG}/library/golang:1.25 AS Build\nARG TAG\nENV OUT=/out\n" +
		"FROM build AS test\n" +
		"FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n" +
		"FROM alpine:${TAG:-3.22}\n"
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 4 || len(f.MetaArgs) != 2 {
		t.Fatalf("%d stages, %d meta ARGs", len(f.Stages), len(f.MetaArgs))
	}
	build, test, win, last := f.Stages[0], f.Stages[1], f.Stages[2], f.Stages[3]
	if build.Name != "build" || build.Base != "docker.io/library/golang:1.25" || !build.BaseKnown {
		t.Errorf("build stage = %q %q %v", build.Name, build.Base, build.BaseKnown)
	}
	if test.Parent != build {
		t.Error("FROM build does not resolve to the build stage")
	}
	if v, ok := f.ExpandInStage(test, "$OUT/bin"); !ok || v != "/out/bin" {
		t.Errorf("ENV inherited through the stage chain: %q %v", v, ok)
	}
	if win.Shell[0] != "cmd" {
		t.Errorf("Windows stage shell = %v", win.Shell)
	}
	if last.Base != "alpine:3.22" || !last.BaseKnown {
		t.Errorf("default in ${TAG:-3.22}: %q %v", last.Base, last.BaseKnown)
	}
}
