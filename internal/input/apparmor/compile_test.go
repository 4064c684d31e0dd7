package apparmor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockward/dockward/internal/testenv"
)

// TestCompileIntegration checks the reader against the real
// apparmor_parser: files it accepts compile, and files it rejects do not.
func TestCompileIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	if ParserPath() == "" {
		testenv.Unavailable(t, "apparmor_parser not found: install the apparmor package")
	}
	dir := t.TempDir()
	cases := map[string]string{
		"missing comma":       "profile p {\n  file\n}\n",
		"unknown capability":  "profile p {\n  capability sys_foo,\n}\n",
		"unclosed block":      "profile p {\n  file,\n",
		"bad permissions":     "profile p {\n  /etc/passwd rq,\n}\n",
		"unknown rule":        "profile p {\n  frobnicate /etc/x,\n}\n",
		"leading alternation": "profile p {\n  {/usr,}/lib/** mr,\n}\n",
		"undeclared variable": "profile p {\n  @{APP}/** r,\n}\n",
		"unknown flag":        "profile p flags=(debug) {\n  /a r,\n}\n",
		"unknown family":      "profile p {\n  network route,\n}\n",
		"valid network":       "profile p {\n  network inet stream,\n  network packet raw,\n  deny network alg,\n}\n",
		"valid alternation":   "profile p {\n  /usr/{bin,sbin}/* rix,\n  /{usr/,}lib/** mr,\n}\n",
		"valid rules": "@{PROC}=/proc/\nprofile p flags=(attach_disconnected) {\n  capability chown,\n  network inet tcp,\n" +
			"  deny @{PROC}/sys/** w,\n  owner /srv/** rw,\n  ptrace (read) peer=p,\n  signal (receive) peer=unconfined,\n" +
			"  mount fstype=tmpfs -> /run/,\n  umount /run/,\n  change_profile -> p,\n}\n",
	}
	rules, err := os.ReadFile("testdata/rules.txt")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(string(rules)), "\n") {
		cases[fmt.Sprintf("rule %d %s", i+1, line)] = "@{PROC}=/proc/\nprofile p {\n  " + line + "\n}\n"
	}
	files, _ := filepath.Glob("testdata/*.profile")
	corpus, _ := filepath.Glob("../../../../shared/corpus/apparmor/*")
	for _, f := range append(files, corpus...) {
		data, err := os.ReadFile(f)
		if err == nil {
			cases[filepath.Base(f)] = string(data)
		}
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("case%d", len(name)))
			path += "-" + strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '-'
			}, name)
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Parse(path, []byte(text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !compilable(f) {
				t.Skip("not a standalone profile with resolvable includes")
			}
			compileErr := Compile(context.Background(), path)
			if len(f.Errors) == 0 && compileErr != nil {
				t.Errorf("reader accepts the file, apparmor_parser rejects it: %v", compileErr)
			}
			if len(f.Errors) > 0 && compileErr == nil {
				t.Errorf("reader rejects the file (%v), apparmor_parser accepts it", f.Errors[0])
			}
		})
	}
}

// compilable reports whether apparmor_parser can judge the file alone: it
// declares profiles, and every include it needs was found.
func compilable(f *File) bool {
	if len(f.Profiles) == 0 && len(f.Errors) == 0 {
		return false
	}
	for _, p := range f.Profiles {
		if p.Abstraction {
			return false
		}
	}
	includes := append([]*Include(nil), f.Includes...)
	for _, top := range f.Profiles {
		for _, p := range top.All() {
			includes = append(includes, p.Includes...)
		}
	}
	for _, inc := range includes {
		if inc.Resolved == "" && !inc.IfExists {
			return false
		}
	}
	return true
}
