package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMakefileScripts(t *testing.T) {
	src := "IMAGE := app:1.2\nOPTS = --read-only\n\n" +
		"run: build\n" +
		"\t@docker run $(OPTS) --user $(UID) \\\n" +
		"\t  -v $$(pwd):/src $(IMAGE)\n" +
		"\n" +
		"clean:\n\t-docker rm -f app\n"

	res := ParseScripts("Makefile", MakefileScripts([]byte(src)))

	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 1)
	c := res.Containers[0]
	require.Equal(t, 5, c.Pos.Line)
	require.Equal(t, "app:1.2", c.Image.V)
	require.Equal(t, 6, c.Image.Pos.Line)
	require.True(t, c.Security.ReadOnlyRootfs.V)
	require.True(t, c.Security.User.Unknown, "$(UID) is not assigned in the Makefile")
	require.True(t, c.Mounts[0].Unknown, "$$(pwd) is a shell command substitution")
}

func TestCIScriptsGitHubActions(t *testing.T) {
	src := `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: docker run --privileged img:1
      - name: multi
        run: |
          echo start
          docker run \
            -e TOKEN=${{ secrets.TOKEN }} \
            --user root img:2
      - shell: pwsh
        run: docker run --privileged img:3
`
	scripts, err := CIScripts([]byte(src))
	require.NoError(t, err)
	res := ParseScripts("ci.yml", scripts)

	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 2)
	require.Equal(t, Pos{Path: "ci.yml", Line: 6, Column: 14, EndLine: 6, EndColumn: 43}, res.Containers[0].Pos)
	second := res.Containers[1]
	require.Equal(t, 10, second.Pos.Line)
	require.Equal(t, 11, second.Pos.Column)
	require.True(t, second.Env[0].Unknown, "a GitHub expression is unknown")
	require.Equal(t, 12, second.Security.User.Pos.Line)
}

func TestCIScriptsGitLab(t *testing.T) {
	src := "stages: [test]\ntest:\n  image: docker:27\n  script:\n    - docker run --cap-add SYS_ADMIN img:1\n" +
		"    - >\n      docker run --pid host img:2\n"
	scripts, err := CIScripts([]byte(src))
	require.NoError(t, err)
	res := ParseScripts(".gitlab-ci.yml", scripts)

	require.Len(t, res.Containers, 2)
	require.Equal(t, 5, res.Containers[0].Pos.Line)
	require.Equal(t, "host", res.Containers[1].Namespace.PID.V)
}

func TestCIScriptsInvalidYAML(t *testing.T) {
	_, err := CIScripts([]byte("jobs:\n  a: [\n"))
	require.Error(t, err)
}

func TestMarkdownScripts(t *testing.T) {
	src := "# Run\n\n```console\n$ docker run --privileged img:1\nsome output\n$ docker run \\\n" +
		">   --user root img:2\n```\n\n```python\ndocker run --privileged not-shell\n```\n\n" +
		"```bash\ndocker run --pid host img:3\n```\n"

	res := ParseScripts("README.md", MarkdownScripts([]byte(src)))

	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 3)
	require.Equal(t, Pos{Path: "README.md", Line: 4, Column: 3, EndLine: 4, EndColumn: 32}, res.Containers[0].Pos)
	require.Equal(t, "root", res.Containers[1].Security.User.V)
	require.Equal(t, 7, res.Containers[1].Security.User.Pos.Line)
	require.Equal(t, "host", res.Containers[2].Namespace.PID.V)
}

func TestShellScriptsCRLF(t *testing.T) {
	src := "#!/bin/sh\r\ndocker run \\\r\n  --read-only \\\r\n  img:1\r\n"

	res := ParseScripts("crlf.sh", ShellScripts([]byte(src)))

	require.Len(t, res.Containers, 1)
	c := res.Containers[0]
	require.Nil(t, c.Broken, "CRLF line endings are not a broken continuation")
	require.True(t, c.Security.ReadOnlyRootfs.V)
	require.Equal(t, "img:1", c.Image.V)
}

func TestShellScriptsBrokenContinuation(t *testing.T) {
	tests := []struct {
		name string
		src  string
		lost []string
		line int
	}{
		{"trailing space", "docker run --rm \\ \n  --read-only \\\n  --cap-drop ALL \\\n  img:1\n",
			[]string{"--read-only", "--cap-drop", "ALL", "img:1"}, 1},
		{"trailing tab", "docker run --rm \\\t\n  --read-only img:1\n", []string{"--read-only", "img:1"}, 1},
		{"comment after backslash", "docker run img:1 \\ # keep it small\n  --memory 64m\n", []string{"--memory", "64m"}, 1},
		{"comment ending in backslash", "docker run --rm # note \\\n  --read-only img:1\n", []string{"--read-only", "img:1"}, 1},
		{"commented-out continued line", "docker run --rm \\\n# --privileged \\\n  --read-only img:1\n",
			[]string{"--read-only", "img:1"}, 2},
		{"comment line in a continuation", "docker run -d --user 1000 \\\n  # why\n  --env A=b \\\n  img:1\n",
			[]string{"--env", "A=b", "img:1"}, 2},
		{"two comment lines", "docker run --rm \\\n  # one\n  # two\n  --read-only img:1\n",
			[]string{"--read-only", "img:1"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseScripts("b.sh", ShellScripts([]byte(tt.src)))
			require.Len(t, res.Containers, 1)
			b := res.Containers[0].Broken
			require.NotNil(t, b)
			require.Equal(t, tt.line, b.Line)
			require.Equal(t, tt.lost, b.Lost)
			require.Equal(t, tt.line+1, b.LostPos.Line)
		})
	}
}

func TestShellScriptsCommentLineNotBroken(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"comment before another command", "docker run --rm \\\n  # done\necho next\n"},
		{"comment after a finished command", "docker run --rm img:1\n  # note\n  --read-only\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseScripts("b.sh", ShellScripts([]byte(tt.src)))
			require.Len(t, res.Containers, 1)
			require.Nil(t, res.Containers[0].Broken)
		})
	}
}

func TestShellScriptsBrokenDropsNoImageNote(t *testing.T) {
	src := "docker run -d \\\n  # why\n  --read-only img:1\n"
	res := ParseScripts("b.sh", ShellScripts([]byte(src)))

	require.Len(t, res.Containers, 1)
	require.NotNil(t, res.Containers[0].Broken)
	require.Empty(t, res.Containers[0].Notes, "RT036 names the lost image")
}

func TestShellScriptsShellC(t *testing.T) {
	res := ParseScripts("c.sh", ShellScripts([]byte(`sh -c "docker run --privileged img:1"`)))

	require.Len(t, res.Containers, 1)
	require.True(t, res.Containers[0].Security.Privileged.V)
}

func TestShellScriptsSyntaxErrorKeepsOtherLines(t *testing.T) {
	src := "docker run --privileged img:1\nif then fi (\ndocker run --pid host img:2\n"

	res := ParseScripts("bad.sh", ShellScripts([]byte(src)))

	require.Len(t, res.Problems, 1)
	require.Equal(t, 2, res.Problems[0].Pos.Line)
	require.Len(t, res.Containers, 2)
}

func TestCIScriptsSkipsJavaScript(t *testing.T) {
	src := "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n" +
		"        with:\n          script: |\n            return docker(`run`)\n      - run: docker run --pid host img:1\n"
	scripts, err := CIScripts([]byte(src))
	require.NoError(t, err)

	require.Len(t, scripts, 1)
	require.Equal(t, 10, scripts[0].Line)
}

func TestMakefileFunctionCalls(t *testing.T) {
	src := "IMG := dev$(if $(BRANCH),:$(BRANCH))\nrun:\n\tdocker run -u $(shell id -u) $(IMG) make\n"

	res := ParseScripts("Makefile", MakefileScripts([]byte(src)))

	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 1)
	require.True(t, res.Containers[0].Security.User.Unknown)
	require.True(t, res.Containers[0].Image.Unknown)
}

func TestGitHubContainers(t *testing.T) {
	src := `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    container:
      image: node:22
      options: --privileged --cpus 2
    services:
      db:
        image: postgres:${{ matrix.pg }}
        options: >-
          --health-cmd pg_isready
          --cap-add SYS_ADMIN
      cache:
        image: redis:7
    steps:
      - run: true
`
	cs := GitHubContainers("ci.yml", []byte(src))

	require.Len(t, cs, 2)
	job := cs[0]
	require.Equal(t, "test", job.Name)
	require.True(t, job.Security.Privileged.V)
	require.Equal(t, Pos{Path: "ci.yml", Line: 7, Column: 16}, Pos{Path: job.Security.Privileged.Pos.Path,
		Line: job.Security.Privileged.Pos.Line, Column: job.Security.Privileged.Pos.Column})
	require.Equal(t, "node:22", job.Image.V)
	require.Equal(t, 6, job.Image.Pos.Line)
	require.NotEmpty(t, job.UnknownArgs, "the runner adds flags")
	db := cs[1]
	require.Equal(t, "db", db.Name)
	require.True(t, db.Image.Unknown)
	require.Equal(t, "SYS_ADMIN", db.Security.CapAdd[0].V)
}

func TestCIScriptsGitLabAliases(t *testing.T) {
	src := ".run: &run\n  - docker run --privileged img:1\n" +
		"a:\n  script: *run\nb:\n  script: *run\n"
	scripts, err := CIScripts([]byte(src))
	require.NoError(t, err)
	res := ParseScripts(".gitlab-ci.yml", scripts)

	require.Len(t, res.Containers, 1, "an anchor used twice is audited once")
	require.Equal(t, 2, res.Containers[0].Pos.Line)
}

func TestMarkdownPrompts(t *testing.T) {
	src := "```shell-session\ndev@box:~/app$ docker run --privileged img:1\n" +
		"root@host:/# docker run --pid host img:2\nsome output\n% docker run --ipc host img:3\n```\n"

	res := ParseScripts("README.md", MarkdownScripts([]byte(src)))

	require.Len(t, res.Containers, 3)
	require.Equal(t, 16, res.Containers[0].Pos.Column)
	require.True(t, res.Containers[0].Security.Privileged.V)
	require.Equal(t, "host", res.Containers[1].Namespace.PID.V)
	require.Equal(t, "host", res.Containers[2].Namespace.IPC.V)
}

func TestSystemdScripts(t *testing.T) {
	src := "[Unit]\nDescription=web\n\n[Service]\nEnvironment=TAG=1\n" +
		"ExecStartPre=-/usr/bin/docker rm -f web\n" +
		"ExecStart=/usr/bin/docker run --name web \\\n  --privileged -v /etc:/etc nginx:${TAG}\n" +
		"ExecStop=/usr/bin/docker stop web\n"

	res := ParseScripts("web.service", SystemdScripts([]byte(src)))

	require.Len(t, res.Containers, 1)
	c := res.Containers[0]
	require.Equal(t, Pos{Path: "web.service", Line: 7, Column: 11, EndLine: 8, EndColumn: 41}, c.Pos)
	require.True(t, c.Security.Privileged.V)
	require.Equal(t, 8, c.Security.Privileged.Pos.Line)
	require.True(t, c.Image.Unknown, "${TAG} comes from Environment=")
}

func TestMakefileConditionals(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantLines []int
	}{
		{
			name:      "ifneq in recipe",
			src:       "all:\nifneq ($(ARCH),amd64)\n\tdocker run --rm --privileged alpine:3.20 true\nendif\n",
			wantLines: []int{3},
		},
		{
			name: "else and endif keep the recipe",
			src: "all:\n\techo start\nifeq ($(A),1)\n\tdocker run a:1\nelse ifdef B\n\tdocker run b:1\n" +
				"else\n\tdocker run c:1\nendif # done\n\tdocker run d:1\n",
			wantLines: []int{4, 6, 8, 10},
		},
		{
			name:      "indented ifndef",
			src:       "all:\n  ifndef CI\n\tdocker run a:1\n  endif\n",
			wantLines: []int{3},
		},
		{
			name:      "conditional outside a rule",
			src:       "ifdef CI\nX = 1\nendif\n\tdocker run a:1\n",
			wantLines: nil,
		},
		{
			name:      "assignment after conditional ends the recipe",
			src:       "all:\nifdef CI\nX = 1\nendif\n\tdocker run a:1\n",
			wantLines: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ParseScripts("Makefile", MakefileScripts([]byte(tt.src)))

			require.Empty(t, res.Problems)
			var got []int
			for _, c := range res.Containers {
				got = append(got, c.Pos.Line)
			}
			require.Equal(t, tt.wantLines, got)
		})
	}
}
