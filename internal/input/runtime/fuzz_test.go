package runtime

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseScripts feeds arbitrary text through every script extractor
// and the command-line parser; none may panic.
func FuzzParseScripts(f *testing.F) {
	seeds := []string{
		"docker run --privileged -itdp 80:80 -m 1g --ulimit nofile=1:2 img",
		"docker run --rm \\ \n  --read-only img",
		"sudo docker -H x service create --publish published=1,target=2 --mount type=bind,src=/,dst=/h img",
		"docker run $OPTS \"$IMAGE\" --security-opt seccomp:x.json -v $(pwd):/s",
		"run:\n\t@docker run $(OPTS) $$(id -u) img\n",
		"jobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker run ${{ x }} img\n",
		"jobs:\n  a:\n    container:\n      image: x\n      options: --privileged -m 1g\n",
		"```console\n$ docker run \\\n>  --pid host img\noutput\n```\n",
		"podman run --userns=keep-id --tmpfs /t:exec,suid img",
		"docker exec -u root -e A=b web sh",
		"docker run --mount type=tmpfs,dst=/x,tmpfs-size=1m --expose 1-3 --health-cmd 'curl x' img",
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseScripts("f.sh", ShellScripts(data))
		ParseScripts("Makefile", MakefileScripts(data))
		ParseScripts("README.md", MarkdownScripts(data))
		ParseScripts("x.service", SystemdScripts(data))
		if scripts, err := CIScripts(data); err == nil {
			ParseScripts("ci.yml", scripts)
		}
		GitHubContainers("ci.yml", data)
		_, _ = ParseInspect("i.json", data)
	})
}
