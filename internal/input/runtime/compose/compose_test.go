package compose

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/runtime"
)

// loadFiles writes files into a temporary directory and loads
// compose.yaml from it.
func loadFiles(t *testing.T, files map[string]string) Result {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	data, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	require.NoError(t, err)
	return Load(context.Background(), "compose.yaml", data, Options{Dir: dir})
}

func loadText(t *testing.T, text string) Result {
	t.Helper()
	return loadFiles(t, map[string]string{"compose.yaml": text})
}

func byName(t *testing.T, res Result, name string) *runtime.Container {
	t.Helper()
	for _, c := range res.Containers {
		if c.Name == name {
			return c
		}
	}
	require.Failf(t, "service not found", "no service %q among %d", name, len(res.Containers))
	return nil
}

func envValue(c *runtime.Container, name string) (runtime.EnvVar, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, true
		}
	}
	return runtime.EnvVar{}, false
}

func reasons(ps []finding.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Reason)
		b.WriteString("\n")
	}
	return b.String()
}

func TestInterpolationBalancesBraces(t *testing.T) {
	res := loadText(t, `services:
  web:
    image: nginx:1.27
    environment:
      TEMPLATE: "[[ ${FOO:-foo} ]] }}"
      LIST: "${A:+${A},}B"
`)
	require.Empty(t, res.Problems, "no variable is undefined without a default")
	c := byName(t, res, "web")

	tmpl, ok := envValue(c, "TEMPLATE")
	require.True(t, ok)
	require.Equal(t, "[[ foo ]] }}", tmpl.Value)

	list, ok := envValue(c, "LIST")
	require.True(t, ok)
	require.Equal(t, "B", list.Value)
}

func TestInterpolationUsesDotEnvOnly(t *testing.T) {
	t.Setenv("DOCKWARD_LEAK_PROBE", "from-process")
	t.Setenv("TAG", "from-process")
	res := loadFiles(t, map[string]string{
		".env": "TAG=1.27\n",
		"compose.yaml": `services:
  web:
    image: nginx:${TAG}
    user: ${DOCKWARD_LEAK_PROBE}
`,
	})
	c := byName(t, res, "web")
	require.Equal(t, "nginx:1.27", c.Image.V, "TAG comes from .env, not the process")

	require.True(t, c.Security.User.Set, "an undefined variable is an empty user")
	require.Empty(t, c.Security.User.V, "the process environment must not leak")
	require.Contains(t, reasons(res.Problems), "variable DOCKWARD_LEAK_PROBE is not set")
	require.Equal(t, 4, res.Problems[0].Line)
}

func TestTwoMergeKeysRejected(t *testing.T) {
	res := loadText(t, `x-a: &a
  privileged: true
x-b: &b
  security_opt: [seccomp:unconfined]
services:
  web:
    image: nginx:1.27
    <<: *a
    <<: *b
`)
	require.Empty(t, res.Containers)
	require.Len(t, res.Problems, 1)
	require.Equal(t, 9, res.Problems[0].Line)
	require.Contains(t, res.Problems[0].Reason, "<<: [*a, *b]")
}

func TestMergeKeyListAudited(t *testing.T) {
	res := loadText(t, `x-a: &a
  privileged: true
x-b: &b
  security_opt:
    - seccomp:unconfined
services:
  web:
    image: nginx:1.27
    <<: [*a, *b]
`)
	require.Empty(t, res.Problems)
	c := byName(t, res, "web")

	require.True(t, runtime.Is(c.Security.Privileged, true))
	require.Equal(t, 2, c.Security.Privileged.Pos.Line, "privileged is set in the anchor")

	require.Equal(t, runtime.ProfileUnconfined, c.Security.Seccomp.V.Kind)
	require.Equal(t, 5, c.Security.Seccomp.Pos.Line)
	require.Len(t, c.Security.Options, 1)
	require.Equal(t, byte(':'), c.Security.Options[0].Separator)
}

func TestExtendsMergesLists(t *testing.T) {
	res := loadText(t, `services:
  base:
    image: nginx:1.27
    security_opt:
      - no-new-privileges:true
    cap_drop: [ALL]
  web:
    extends: base
    security_opt:
      - seccomp=unconfined
    cap_add: [NET_ADMIN]
`)
	require.Empty(t, res.Problems)
	c := byName(t, res, "web")

	var raws []string
	for _, o := range c.Security.Options {
		raws = append(raws, o.Raw)
	}
	require.ElementsMatch(t, []string{"no-new-privileges:true", "seccomp=unconfined"}, raws)
	require.Equal(t, 10, c.Security.Seccomp.Pos.Line, "seccomp is set in web")
	require.Equal(t, "nginx:1.27", c.Image.V)
	require.Equal(t, 3, c.Image.Pos.Line, "the image comes from base")
	require.Len(t, c.Security.CapDrop, 1)
	require.Equal(t, 6, c.Security.CapDrop[0].Pos.Line)
}

func TestExtendsFileWithoutServices(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"other.yaml": "version: '3'\nx-nothing: true\n",
		"compose.yaml": `services:
  web:
    image: nginx:1.27
    extends:
      file: other.yaml
      service: base
    privileged: true
`,
	})
	require.Len(t, res.Problems, 1)
	require.Contains(t, res.Problems[0].Reason, `extends.file "other.yaml" is not a compose file: it has no services: section`)
	require.Equal(t, 4, res.Problems[0].Line)

	c := byName(t, res, "web")
	require.True(t, runtime.Is(c.Security.Privileged, true), "the service is still audited")
}

func TestExtendsFilePositions(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"common.yaml": `services:
  hardened:
    read_only: true
    cap_drop:
      - ALL
`,
		"compose.yaml": `services:
  web:
    image: nginx:1.27
    extends:
      file: common.yaml
      service: hardened
`,
	})
	require.Empty(t, res.Problems)
	c := byName(t, res, "web")
	require.True(t, runtime.Is(c.Security.ReadOnlyRootfs, true))
	require.Equal(t, runtime.Pos{Path: "common.yaml", Line: 3, Column: 5}, c.Security.ReadOnlyRootfs.Pos)
	require.Equal(t, "common.yaml", c.Security.CapDrop[0].Pos.Path)
	require.Equal(t, 5, c.Security.CapDrop[0].Pos.Line)
}

func TestExtendsMissingTarget(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{
			name: "same file",
			text: "services:\n  web:\n    image: nginx:1.27\n    extends: nowhere\n",
			want: `extends service "nowhere", which is not defined`,
		},
		{
			name: "missing file",
			text: "services:\n  web:\n    image: nginx:1.27\n    extends:\n      file: gone.yaml\n      service: x\n",
			want: `extends.file "gone.yaml" not found`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadText(t, tc.text)
			require.Len(t, res.Problems, 1)
			require.Contains(t, res.Problems[0].Reason, tc.want)
			require.Equal(t, 4, res.Problems[0].Line)
			byName(t, res, "web")
		})
	}
}

func TestServiceWithoutImageOrBuild(t *testing.T) {
	res := loadText(t, "services:\n  web:\n    image: nginx:1.27\n  broken:\n    privileged: true\n")
	require.Len(t, res.Problems, 1)
	require.Contains(t, res.Problems[0].Reason, `service "broken" is invalid: it has neither image nor build`)
	require.Equal(t, 4, res.Problems[0].Line)
	require.Len(t, res.Containers, 2, "the other service is audited")
}

func TestInvalidYAML(t *testing.T) {
	res := loadText(t, "services:\n  web:\n    image: nginx\n   bad: [\n")
	require.Empty(t, res.Containers)
	require.Len(t, res.Problems, 1)
	require.Contains(t, res.Problems[0].Reason, "invalid YAML")
	require.Equal(t, 4, res.Problems[0].Line, res.Problems[0].Reason)
}

func TestProfilesAllAudited(t *testing.T) {
	res := loadText(t, `services:
  web:
    image: nginx:1.27
  debug:
    image: busybox:1.36
    profiles: [debug]
`)
	require.Len(t, res.Containers, 2)
	require.Equal(t, "web", res.Containers[0].Name)
	require.Equal(t, "debug", res.Containers[1].Name)
}

func TestServiceFields(t *testing.T) {
	res := loadText(t, `services:
  web:
    image: nginx:1.27
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    tmpfs:
      - /run:rw,noexec,nosuid,size=65536k
    ulimits:
      nproc: 65535
      nofile:
        soft: 20000
        hard: -1
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
    deploy:
      resources:
        limits:
          cpus: "0.5"
          memory: 50M
          pids: 100
    restart: on-failure:3
    pid: host
    ports:
      - "127.0.0.1:8080:80"
      - "443:443"
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    sysctls:
      net.core.somaxconn: 1024
    environment:
      - DB_PASSWORD=hunter2
      - FROM_HOST
`)
	require.Empty(t, res.Problems)
	c := byName(t, res, "web")

	require.Equal(t, "1000:1000", c.Security.User.V)
	require.True(t, runtime.Is(c.Security.ReadOnlyRootfs, true))
	require.Equal(t, "ALL", c.Security.CapDrop[0].V)
	require.Equal(t, "NET_BIND_SERVICE", c.Security.CapAdd[0].V)

	require.Len(t, c.Tmpfs, 1)
	require.Equal(t, "/run", c.Tmpfs[0].Target)
	require.Equal(t, []string{"rw", "noexec", "nosuid", "size=65536k"}, c.Tmpfs[0].Options)
	require.Equal(t, 9, c.Tmpfs[0].Pos.Line)

	require.Len(t, c.Ulimits, 2)
	require.Equal(t, runtime.Ulimit{Name: "nofile", Soft: 20000, Hard: -1, Raw: "nofile=20000:-1",
		Pos: runtime.Pos{Path: "compose.yaml", Line: 12, Column: 7}}, c.Ulimits[0])
	require.Equal(t, int64(65535), c.Ulimits[1].Soft)

	require.Equal(t, []string{"CMD", "curl", "-f", "http://localhost"}, c.Healthcheck.V.Test)
	require.Equal(t, int64(50*1024*1024), c.Resources.Memory.V)
	require.Equal(t, 21, c.Resources.Memory.Pos.Line)
	require.Equal(t, int64(500_000_000), c.Resources.NanoCPUs.V)
	require.Equal(t, int64(100), c.Resources.PidsLimit.V)
	require.Equal(t, runtime.RestartPolicy{Name: "on-failure", MaxRetries: 3}, c.Restart.V)
	require.Equal(t, "host", c.Namespace.PID.V)
	require.True(t, strings.HasSuffix(c.Namespace.Network.V, "_default"), c.Namespace.Network.V)

	require.Len(t, c.Ports, 2)
	require.Equal(t, "127.0.0.1", c.Ports[0].HostIP)
	require.Equal(t, 26, c.Ports[0].Pos.Line)
	require.Equal(t, "443", c.Ports[1].HostPort)
	require.Equal(t, 27, c.Ports[1].Pos.Line)

	require.Len(t, c.Mounts, 1)
	require.Equal(t, runtime.MountBind, c.Mounts[0].Type)
	require.Equal(t, "/var/run/docker.sock", c.Mounts[0].Source)
	require.True(t, c.Mounts[0].ReadOnly)
	require.Equal(t, 29, c.Mounts[0].Pos.Line)

	require.Equal(t, []runtime.Sysctl{{Name: "net.core.somaxconn", Value: "1024",
		Pos: runtime.Pos{Path: "compose.yaml", Line: 31, Column: 7}}}, c.Sysctls)

	pw, ok := envValue(c, "DB_PASSWORD")
	require.True(t, ok)
	require.True(t, pw.Literal)
	require.Equal(t, 33, pw.Pos.Line)
	host, ok := envValue(c, "FROM_HOST")
	require.True(t, ok)
	require.False(t, host.Literal, "a name without a value comes from the caller's environment")
}

func TestBuildReadsDockerfile(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"app/Dockerfile": "FROM scratch AS base\nUSER 1000\nFROM base AS final\n" +
			"HEALTHCHECK CMD [\"/app\", \"-health\"]\n",
		"compose.yaml": "services:\n  app:\n    build:\n      context: app\n      target: final\n",
	})
	require.Empty(t, res.Problems)
	c := byName(t, res, "app")
	require.NotNil(t, c.ImageConfig)
	require.Equal(t, "app/Dockerfile (stage final)", c.ImageConfig.Ref)
	require.Equal(t, "1000", c.ImageConfig.User.V)
	require.Equal(t, 2, c.ImageConfig.User.Pos.Line)
	require.Equal(t, []string{"CMD", "/app", "-health"}, c.ImageConfig.Healthcheck.V.Test)
}

func TestBuildFromImageLeavesUserUnknown(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"Dockerfile":   "FROM node:22-alpine\nRUN true\n",
		"compose.yaml": "services:\n  app:\n    build: .\n",
	})
	c := byName(t, res, "app")
	require.NotNil(t, c.ImageConfig)
	require.True(t, c.ImageConfig.User.Unknown, "the base image may set a user")
	require.Equal(t, 1, c.ImageConfig.User.Pos.Line)
}

func TestNullServiceReported(t *testing.T) {
	res := loadText(t, "services:\n  web:\n    image: nginx:1.27\n  empty:\n")
	require.Len(t, res.Problems, 1)
	require.Contains(t, res.Problems[0].Reason, `service "empty" is invalid: it has no definition`)
	require.Len(t, res.Containers, 1)
}

func TestUnsetTypedValueIsUnknown(t *testing.T) {
	res := loadText(t, `services:
  web:
    image: nginx:1.27
    privileged: ${PRIV}
    mem_limit: ${MEM}
    healthcheck:
      test: ["CMD", "true"]
      interval: $INTERVAL
`)
	c := byName(t, res, "web")
	require.True(t, c.Security.Privileged.Unknown)
	require.Equal(t, 4, c.Security.Privileged.Pos.Line)
	require.True(t, c.Resources.Memory.Unknown)
	require.Len(t, res.Problems, 1, reasons(res.Problems))
	require.Contains(t, res.Problems[0].Reason, "PRIV (line 4), MEM (line 5), INTERVAL (line 8)")
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"services map", "version: '3'\nservices:\n  web:\n    image: x\n", true},
		{"services with comment", "services:   # apps\n  web: {}\n", true},
		{"indented services", "spec:\n  services:\n    - a\n", false},
		{"manifest", "apiVersion: v1\nkind: Pod\n", false},
		{"gitlab ci services list", "image: docker:27\nservices:\n  - docker:27-dind\nbuild:\n  script: [make]\n", false},
		{"flow mapping", "services: {web: {image: x}}\n", true},
		{"comment before first service", "services:\n\n  # the app\n  app:\n    image: x\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Detect([]byte(tc.data)))
		})
	}
}

func TestWantsName(t *testing.T) {
	for name, want := range map[string]bool{
		"compose.yaml":                   true,
		"deploy/docker-compose.prod.yml": true,
		"docker-compose-dev.yaml":        true,
		"compose.txt":                    false,
		"values.yaml":                    false,
	} {
		require.Equal(t, want, WantsName(name), name)
	}
}

func TestPortPositionsByProtocol(t *testing.T) {
	res := loadText(t, `services:
  dns:
    image: pihole/pihole:2024.07.0
    ports:
      - "53:53/tcp"
      - "53:53/udp"
      - target: 80
        published: "8080"
`)
	c := byName(t, res, "dns")
	require.Len(t, c.Ports, 3)
	require.Equal(t, "tcp", c.Ports[0].Protocol)
	require.Equal(t, 5, c.Ports[0].Pos.Line)
	require.Equal(t, "udp", c.Ports[1].Protocol)
	require.Equal(t, 6, c.Ports[1].Pos.Line)
	require.Equal(t, 80, c.Ports[2].ContainerPort)
	require.Equal(t, 7, c.Ports[2].Pos.Line)
}

func TestInterpolationCasts(t *testing.T) {
	res := loadFiles(t, map[string]string{
		".env": "PRIV=true\nRETRIES=3\nFLAG=true\nMEM=64m\n",
		"compose.yaml": `x-risky: &risky
  privileged: ${PRIV}
services:
  web:
    <<: *risky
    image: nginx:1.27
    mem_limit: ${MEM}
    command: echo $$HOME
    healthcheck:
      test: ["CMD", "true"]
      retries: "${RETRIES}"
    environment:
      FLAG: ${FLAG}
`,
	})
	require.Empty(t, res.Problems, reasons(res.Problems))
	c := byName(t, res, "web")

	require.True(t, runtime.Is(c.Security.Privileged, true), "a value from an anchor is cast where it is used")
	require.Equal(t, 2, c.Security.Privileged.Pos.Line)
	require.Equal(t, int64(64<<20), c.Resources.Memory.V)
	require.Equal(t, []string{"echo", "$HOME"}, []string(res.Project.Services["web"].Command))
	require.Equal(t, uint64(3), *res.Project.Services["web"].HealthCheck.Retries)

	flag, ok := envValue(c, "FLAG")
	require.True(t, ok)
	require.Equal(t, "true", flag.Value, "an environment value stays a string")
	require.False(t, flag.Literal, "the value comes from .env")
}

func TestOverrideFileNeedsNoImage(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"compose.yaml":          "services:\n  web:\n    image: nginx:1.27\n",
		"compose.override.yaml": "services:\n  web:\n    privileged: true\n",
	})
	require.Empty(t, res.Problems)

	dir := t.TempDir()
	data := []byte("services:\n  web:\n    privileged: true\n")
	override := Load(context.Background(), "compose.override.yaml", data, Options{Dir: dir})
	require.Empty(t, override.Problems, "an override file completes services defined elsewhere")
	require.True(t, runtime.Is(override.Containers[0].Security.Privileged, true))
}

func TestIncludedServicePositions(t *testing.T) {
	res := loadFiles(t, map[string]string{
		"db/compose.yaml": "services:\n  db:\n    image: postgres:17\n    privileged: true\n",
		"compose.yaml":    "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n",
	})
	require.Empty(t, res.Problems, reasons(res.Problems))
	require.Len(t, res.Containers, 2)
	require.Equal(t, "web", res.Containers[0].Name)

	db := byName(t, res, "db")
	require.True(t, runtime.Is(db.Security.Privileged, true))
	require.Equal(t, runtime.Pos{Path: "db/compose.yaml", Line: 4, Column: 5}, db.Security.Privileged.Pos)
	require.Equal(t, 2, db.Pos.Line)
}

func TestReferencedFilesMustBeRegular(t *testing.T) {
	tests := []struct {
		name, text, want string
		line             int
	}{
		{
			name: "extends a device",
			text: "services:\n  web:\n    image: nginx:1.27\n    extends:\n      file: /dev/zero\n      service: x\n",
			want: `extends.file "/dev/zero" is not a regular file`,
			line: 4,
		},
		{
			name: "includes a device",
			text: "include:\n  - /dev/zero\nservices:\n  web:\n    image: nginx:1.27\n",
			want: `include "/dev/zero" is not a regular file`,
			line: 2,
		},
		{
			name: "includes a missing file",
			text: "include:\n  - path: [gone.yaml]\nservices:\n  web:\n    image: nginx:1.27\n",
			want: `include "gone.yaml" not found`,
			line: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := loadText(t, tc.text)
			require.Len(t, res.Problems, 1, reasons(res.Problems))
			require.Contains(t, res.Problems[0].Reason, tc.want)
			require.Equal(t, tc.line, res.Problems[0].Line)
			byName(t, res, "web")
		})
	}
}

func TestResetUnderMergeKey(t *testing.T) {
	res := loadText(t, `x-base: &base {image: alpine:3.20, privileged: true, cap_add: [NET_ADMIN], volumes: [/var/run:/host-run]}
x-more: &more {security_opt: [seccomp=unconfined]}
services:
  flow: {<<: *base, privileged: false, volumes: !reset []}
  block:
    <<: [*base, *more]
    volumes: !reset null
    security_opt: !reset []
  kept:
    <<: *base
`)

	require.Empty(t, res.Problems, reasons(res.Problems))
	flow := byName(t, res, "flow")
	require.Empty(t, flow.Mounts, "!reset removes the merged volumes")
	require.False(t, flow.Security.Privileged.V)
	require.Len(t, flow.Security.CapAdd, 1, "keys that are not reset are still merged")
	require.Equal(t, "alpine:3.20", flow.Image.V)

	block := byName(t, res, "block")
	require.Empty(t, block.Mounts)
	require.Empty(t, block.Security.Options, "!reset removes the merged security_opt")
	require.True(t, block.Security.Privileged.V)

	kept := byName(t, res, "kept")
	require.Len(t, kept.Mounts, 1, "a service without !reset keeps the merged volumes")
	require.Equal(t, "/var/run", kept.Mounts[0].Source)
}

func TestUndefinedVariablesOneProblem(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     []string
		wantLine int
	}{
		{
			name:     "one variable",
			text:     "services:\n  web:\n    image: nginx:1.27\n    user: ${APP_USER}\n",
			want:     []string{"variable APP_USER is not set in .env and has no default"},
			wantLine: 4,
		},
		{
			name: "many variables in file order",
			text: "services:\n  web:\n    image: nginx:${G}\n    user: ${F}\n    environment:\n" +
				"      A: $A\n      B: ${B}\n      C: $C\n      D: $D\n      E: $E\n",
			want:     []string{"7 variables are not set in .env and have no default, so they are interpolated as empty strings: G (line 3), F (line 4), A (line 6), B (line 7), C (line 8) and 2 more"},
			wantLine: 3,
		},
		{
			name: "extends error stays separate",
			text: "services:\n  web:\n    image: nginx:${G}\n    user: ${F}\n    extends: nowhere\n",
			want: []string{
				"2 variables are not set in .env and have no default, so they are interpolated as empty strings: G (line 3), F (line 4)",
				`extends service "nowhere", which is not defined`,
			},
			wantLine: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := loadText(t, tt.text)

			require.Len(t, res.Problems, len(tt.want), reasons(res.Problems))
			for _, w := range tt.want {
				require.Contains(t, reasons(res.Problems), w)
			}
			var lines []int
			for _, p := range res.Problems {
				if strings.Contains(p.Reason, "not set in .env") {
					lines = append(lines, p.Line)
				}
			}
			require.Equal(t, []int{tt.wantLine}, lines)
		})
	}
}

func TestRecursiveAliasRejected(t *testing.T) {
	res := loadText(t, "x-a: &a\n  image: nginx:1.27\n  <<: *a\nservices:\n  web:\n    <<: *a\n")

	require.Len(t, res.Problems, 1, reasons(res.Problems))
	require.Contains(t, res.Problems[0].Reason, "alias *a refers to a node that contains it")
	require.Equal(t, 3, res.Problems[0].Line)
	require.Empty(t, res.Containers)
}

func TestUnsetUserIsEmpty(t *testing.T) {
	res := loadText(t, "services:\n  b:\n    image: app:1\n    user: ${RUN_AS}\n"+
		"  c:\n    image: app:1\n    user: ${RUN_AS}:1000\n")

	b := byName(t, res, "b")
	require.True(t, b.Security.User.Known(), "an unset variable is an empty string")
	require.Empty(t, b.Security.User.V)
	require.Equal(t, "${RUN_AS}", b.Security.User.Raw)
	require.Equal(t, 4, b.Security.User.Pos.Line)

	c := byName(t, res, "c")
	require.True(t, c.Security.User.Unknown, "a group of its own keeps the user unknown")
}

func TestUnresolvedEnvFileNote(t *testing.T) {
	res := loadText(t, "x-base: &base\n  image: app:1\n  env_file:\n    - ${DIR}/.env_srv\n"+
		"services:\n  a:\n    <<: *base\n  b:\n    <<: *base\n")

	for _, name := range []string{"a", "b"} {
		c := byName(t, res, name)
		require.Len(t, c.EnvFiles, 1)
		require.True(t, c.EnvFiles[0].Unknown)
		require.Equal(t, "${DIR}/.env_srv", c.EnvFiles[0].Path, "shown as written")

		runtime.LoadEnvFiles(c, nil)
		require.Len(t, c.Notes, 1, "one note per service")
		require.Contains(t, c.Notes[0].Message, "service "+name+": env file ${DIR}/.env_srv cannot be resolved")
	}
}

func TestEnvironmentDefaultIsLiteral(t *testing.T) {
	res := loadFiles(t, map[string]string{
		".env": "FROM_DOTENV=set\n",
		"compose.yaml": `services:
  web:
    image: nginx:1.27
    environment:
      DB_PASSWORD: ${DB_PW:-written-in-the-file}
      TOKEN: ${FROM_DOTENV:-unused}
      MISSING: ${NOT_SET}
      ESCAPED: pa$$word
`,
	})
	c := byName(t, res, "web")

	pw, ok := envValue(c, "DB_PASSWORD")
	require.True(t, ok)
	require.Equal(t, "written-in-the-file", pw.Value)
	require.True(t, pw.Literal, "the default of an unset variable is written in the file")

	token, ok := envValue(c, "TOKEN")
	require.True(t, ok)
	require.False(t, token.Literal, "the value comes from .env")

	missing, ok := envValue(c, "MISSING")
	require.True(t, ok)
	require.False(t, missing.Literal)
	require.True(t, missing.Unknown)

	escaped, ok := envValue(c, "ESCAPED")
	require.True(t, ok)
	require.Equal(t, "pa$word", escaped.Value)
	require.True(t, escaped.Literal, "$$ is an escaped dollar sign, not a variable")
}
