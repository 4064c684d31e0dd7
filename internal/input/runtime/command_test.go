package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// parseOne parses a script that holds exactly one container command.
func parseOne(t *testing.T, script string) *Container {
	t.Helper()
	res := ParseScripts("run.sh", ShellScripts([]byte(script)))
	require.Empty(t, res.Problems)
	require.Len(t, res.Containers, 1, "script %q", script)
	return res.Containers[0]
}

func TestParseCommandFlagForms(t *testing.T) {
	tests := []struct {
		name  string
		cmd   string
		check func(t *testing.T, c *Container)
	}{
		{"long with space", "docker run --user 1000 img", func(t *testing.T, c *Container) {
			require.Equal(t, "1000", c.Security.User.V)
			require.Equal(t, "img", c.Image.V)
		}},
		{"long with equals", "docker run --user=1000:1000 img", func(t *testing.T, c *Container) {
			require.Equal(t, "1000:1000", c.Security.User.V)
		}},
		{"short with space", "docker run -u root img", func(t *testing.T, c *Container) {
			require.Equal(t, "root", c.Security.User.V)
		}},
		{"short attached", "docker run -uroot -p8080:80 img", func(t *testing.T, c *Container) {
			require.Equal(t, "root", c.Security.User.V)
			require.Len(t, c.Ports, 1)
			require.Equal(t, "8080", c.Ports[0].HostPort)
		}},
		{"short cluster with value", "docker run -itdp 127.0.0.1:80:8080 img", func(t *testing.T, c *Container) {
			require.Len(t, c.Ports, 1)
			require.Equal(t, "127.0.0.1", c.Ports[0].HostIP)
			require.Equal(t, 8080, c.Ports[0].ContainerPort)
			require.Equal(t, "img", c.Image.V)
		}},
		{"bool false", "docker run --privileged=false --read-only=true img", func(t *testing.T, c *Container) {
			require.True(t, c.Security.Privileged.Set)
			require.False(t, c.Security.Privileged.V)
			require.True(t, c.Security.ReadOnlyRootfs.V)
		}},
		{"bool does not take next word", "docker run --privileged img cmd", func(t *testing.T, c *Container) {
			require.True(t, c.Security.Privileged.V)
			require.Equal(t, "img", c.Image.V)
		}},
		{"repeated flags", "docker run --cap-drop ALL --cap-add CHOWN --cap-add=NET_RAW img", func(t *testing.T, c *Container) {
			require.Len(t, c.Security.CapAdd, 2)
			require.Equal(t, "NET_RAW", c.Security.CapAdd[1].V)
			require.Equal(t, "ALL", c.Security.CapDrop[0].V)
		}},
		{"flags after image are the command", "docker run img --privileged", func(t *testing.T, c *Container) {
			require.False(t, c.Security.Privileged.Set)
		}},
		{"double dash ends flags", "docker run --rm -- img", func(t *testing.T, c *Container) {
			require.Equal(t, "img", c.Image.V)
		}},
		{"security opt forms", "docker run --security-opt seccomp=unconfined --security-opt apparmor:foo " +
			"--security-opt no-new-privileges --security-opt label=type:spc_t img", func(t *testing.T, c *Container) {
			require.Equal(t, ProfileUnconfined, c.Security.Seccomp.V.Kind)
			require.Equal(t, Profile{Kind: ProfileNamed, Name: "foo"}, c.Security.AppArmor.V)
			require.Equal(t, byte(':'), c.Security.Options[1].Separator)
			require.True(t, c.Security.NoNewPrivileges.V)
			require.Equal(t, SELinuxOption{Key: "type", Value: "spc_t"}, c.Security.SELinux[0].V)
		}},
		{"memory units", "docker run -m 512m --memory-swap=1g --memory-reservation 256M img", func(t *testing.T, c *Container) {
			require.Equal(t, int64(512<<20), c.Resources.Memory.V)
			require.Equal(t, int64(1<<30), c.Resources.MemorySwap.V)
			require.Equal(t, int64(256<<20), c.Resources.MemoryReservation.V)
		}},
		{"unlimited swap", "docker run -m 1g --memory-swap -1 img", func(t *testing.T, c *Container) {
			require.Equal(t, int64(-1), c.Resources.MemorySwap.V)
		}},
		{"cpus and pids", "docker run --cpus 1.5 --pids-limit 100 --cpu-shares 512 img", func(t *testing.T, c *Container) {
			require.Equal(t, int64(1_500_000_000), c.Resources.NanoCPUs.V)
			require.Equal(t, int64(100), c.Resources.PidsLimit.V)
			require.Equal(t, int64(512), c.Resources.CPUShares.V)
		}},
		{"ulimit soft and hard", "docker run --ulimit nofile=1024:2048 --ulimit core=-1 img", func(t *testing.T, c *Container) {
			require.Equal(t, Ulimit{Name: "nofile", Soft: 1024, Hard: 2048, Raw: "nofile=1024:2048", Pos: c.Ulimits[0].Pos}, c.Ulimits[0])
			require.Equal(t, int64(-1), c.Ulimits[1].Soft)
		}},
		{"tmpfs with options", "docker run --tmpfs /run:rw,exec,size=64m --tmpfs /tmp img", func(t *testing.T, c *Container) {
			require.Equal(t, []string{"rw", "exec", "size=64m"}, c.Tmpfs[0].Options)
			require.Equal(t, "/tmp", c.Tmpfs[1].Target)
			require.Empty(t, c.Tmpfs[1].Options)
		}},
		{"mount key value list", "docker run --mount type=bind,source=/etc,target=/h,readonly,bind-propagation=rshared img", func(t *testing.T, c *Container) {
			require.Len(t, c.Mounts, 1)
			m := c.Mounts[0]
			require.Equal(t, MountBind, m.Type)
			require.Equal(t, "/etc", m.Source)
			require.True(t, m.ReadOnly)
			require.Equal(t, "rshared", m.Propagation)
		}},
		{"mount tmpfs", "docker run --mount type=tmpfs,dst=/cache img", func(t *testing.T, c *Container) {
			require.Len(t, c.Tmpfs, 1)
			require.Equal(t, "/cache", c.Tmpfs[0].Target)
		}},
		{"volume short syntax", "docker run -v /var/run/docker.sock:/sock:ro -v data:/data -v /anon img", func(t *testing.T, c *Container) {
			require.Equal(t, Mount{Type: MountBind, Source: "/var/run/docker.sock", Target: "/sock", ReadOnly: true,
				Raw: "/var/run/docker.sock:/sock:ro", Pos: c.Mounts[0].Pos}, c.Mounts[0])
			require.Equal(t, MountVolume, c.Mounts[1].Type)
			require.Equal(t, "/anon", c.Mounts[2].Target)
		}},
		{"windows volume", `docker run -v 'C:\data:/data:ro' img`, func(t *testing.T, c *Container) {
			require.Equal(t, `C:\data`, c.Mounts[0].Source)
			require.Equal(t, "/data", c.Mounts[0].Target)
			require.Equal(t, MountBind, c.Mounts[0].Type)
			require.True(t, c.Mounts[0].ReadOnly)
		}},
		{"device", "docker run --device /dev/sda:/dev/xvda:rwm img", func(t *testing.T, c *Container) {
			require.Equal(t, "/dev/sda", c.Devices[0].Host)
			require.Equal(t, "rwm", c.Devices[0].Permissions)
		}},
		{"env forms", "docker run -e A=1 -e B --env C= img", func(t *testing.T, c *Container) {
			require.Len(t, c.Env, 3)
			require.True(t, c.Env[0].Literal)
			require.False(t, c.Env[1].Literal)
			require.True(t, c.Env[2].Literal)
		}},
		{"namespaces", "docker run --network host --pid=host --ipc host --uts host --userns host --cgroupns host img", func(t *testing.T, c *Container) {
			for _, v := range []Value[string]{c.Namespace.Network, c.Namespace.PID, c.Namespace.IPC,
				c.Namespace.UTS, c.Namespace.User, c.Namespace.Cgroup} {
				require.Equal(t, "host", v.V)
			}
		}},
		{"restart with retries", "docker run --restart on-failure:3 img", func(t *testing.T, c *Container) {
			require.Equal(t, RestartPolicy{Name: "on-failure", MaxRetries: 3}, c.Restart.V)
		}},
		{"health check", "docker run --health-cmd 'curl -f http://x' img", func(t *testing.T, c *Container) {
			require.Equal(t, []string{"CMD-SHELL", "curl -f http://x"}, c.Healthcheck.V.Test)
		}},
		{"no health check", "docker run --no-healthcheck img", func(t *testing.T, c *Container) {
			require.True(t, c.Healthcheck.V.Disabled)
		}},
		{"sysctl", "docker run --sysctl net.core.somaxconn=1024 img", func(t *testing.T, c *Container) {
			require.Equal(t, "net.core.somaxconn", c.Sysctls[0].Name)
			require.Equal(t, "1024", c.Sysctls[0].Value)
		}},
		{"unknown flag is a note", "docker run --frobnicate img", func(t *testing.T, c *Container) {
			require.Equal(t, "img", c.Image.V)
			require.Len(t, c.Notes, 1)
			require.Contains(t, c.Notes[0].Message, "--frobnicate")
		}},
		{"invalid memory is a note", "docker run -m lots img", func(t *testing.T, c *Container) {
			require.True(t, c.Resources.Memory.Unknown)
			require.Len(t, c.Notes, 1)
		}},
		{"global flags before verb", "docker -H tcp://127.0.0.1:2375 --log-level debug run -u 0 img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker run", c.Command)
			require.Equal(t, "0", c.Security.User.V)
		}},
		{"container run verb", "docker container run --read-only img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker run", c.Command)
			require.True(t, c.Security.ReadOnlyRootfs.V)
		}},
		{"create verb", "docker create --privileged img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker create", c.Command)
		}},
		{"sudo and env prefix", "sudo -E FOO=1 /usr/bin/docker run img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker run", c.Command)
			require.Equal(t, "img", c.Image.V)
		}},
		{"podman run", "podman run --userns=keep-id --pod mypod --security-opt label=disable img", func(t *testing.T, c *Container) {
			require.Equal(t, "podman run", c.Command)
			require.Equal(t, "keep-id", c.Namespace.User.V)
			require.Empty(t, c.Notes)
			require.Equal(t, "img", c.Image.V)
		}},
		{"service create", "docker service create --name web --limit-memory 256M --limit-pids 50 " +
			"--publish published=8080,target=80 --restart-condition any --read-only img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker service create", c.Command)
			require.Equal(t, int64(256<<20), c.Resources.Memory.V)
			require.Equal(t, int64(50), c.Resources.PidsLimit.V)
			require.Equal(t, "8080", c.Ports[0].HostPort)
			require.Equal(t, "always", c.Restart.V.Name)
			require.Empty(t, c.Notes)
		}},
		{"exec", "docker exec -it --privileged -u root web sh", func(t *testing.T, c *Container) {
			require.Equal(t, "docker exec", c.Command)
			require.Equal(t, "web", c.Name)
			require.True(t, c.Security.Privileged.V)
			require.Equal(t, "root", c.Security.User.V)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, parseOne(t, tt.cmd))
		})
	}
}

func TestParseCommandPositions(t *testing.T) {
	c := parseOne(t, "#!/bin/sh\n\ndocker run \\\n  --user root \\\n  img:1\n")

	require.Equal(t, Pos{Path: "run.sh", Line: 3, Column: 1, EndLine: 5, EndColumn: 8}, c.Pos)
	require.Equal(t, 4, c.Security.User.Pos.Line)
	require.Equal(t, 3, c.Security.User.Pos.Column)
	require.Equal(t, Pos{Path: "run.sh", Line: 5, Column: 3}, c.Image.Pos)
}

func TestParseCommandUnknownValues(t *testing.T) {
	tests := []struct {
		name  string
		cmd   string
		check func(t *testing.T, c *Container)
	}{
		{"unset variable value", `docker run --user "$APP_UID" img`, func(t *testing.T, c *Container) {
			require.True(t, c.Security.User.Unknown)
			require.True(t, c.Security.User.Set)
		}},
		{"unset variable in equals form", `docker run --memory=${MEM} img`, func(t *testing.T, c *Container) {
			require.True(t, c.Resources.Memory.Unknown)
			require.Empty(t, c.Notes)
		}},
		{"variable assigned in script", "MEM=256m\ndocker run -m \"$MEM\" img", func(t *testing.T, c *Container) {
			require.Equal(t, int64(256<<20), c.Resources.Memory.V)
		}},
		{"default in expansion", "docker run -m ${MEM:-128m} img", func(t *testing.T, c *Container) {
			require.Equal(t, int64(128<<20), c.Resources.Memory.V)
		}},
		{"unresolved flag list", "docker run $DOCKER_OPTS img", func(t *testing.T, c *Container) {
			require.Len(t, c.UnknownArgs, 1)
			require.Equal(t, "img", c.Image.V)
		}},
		{"unresolved flags named image", "docker run $IMAGE_OPTS app:1", func(t *testing.T, c *Container) {
			require.Len(t, c.UnknownArgs, 1)
			require.Equal(t, "app:1", c.Image.V)
		}},
		{"unresolved image then command", "docker run --rm $APP_IMAGE sh -c true", func(t *testing.T, c *Container) {
			require.Empty(t, c.UnknownArgs)
			require.True(t, c.Image.Unknown)
		}},
		{"wrapper passes its arguments", `exec docker run --rm "$@"`, func(t *testing.T, c *Container) {
			require.Len(t, c.UnknownArgs, 1)
			require.True(t, c.Image.Unknown)
			require.Empty(t, c.Notes)
		}},
		{"arguments before the image", `docker run "$@" app:1`, func(t *testing.T, c *Container) {
			require.Len(t, c.UnknownArgs, 1)
			require.Equal(t, "app:1", c.Image.V)
		}},
		{"unresolved image", `docker run --rm "$IMAGE"`, func(t *testing.T, c *Container) {
			require.Empty(t, c.UnknownArgs)
			require.True(t, c.Image.Unknown)
		}},
		{"command substitution in volume", "docker run -v $(pwd):/src img", func(t *testing.T, c *Container) {
			require.True(t, c.Mounts[0].Unknown)
			require.Equal(t, "/src", c.Mounts[0].Target)
		}},
		{"literal secret from variable", "docker run -e TOKEN=$TOKEN img", func(t *testing.T, c *Container) {
			require.True(t, c.Env[0].Unknown)
			require.False(t, c.Env[0].Literal)
			require.Equal(t, "TOKEN", c.Env[0].Name)
		}},
		{"conditional assignment is unknown", "U=1000\nif [ -n \"$X\" ]; then U=0; fi\ndocker run -u $U img",
			func(t *testing.T, c *Container) {
				require.True(t, c.Security.User.Unknown)
			}},
		{"wrapper variable", "DOCKER=${DOCKER:-docker}\n$DOCKER run --privileged img", func(t *testing.T, c *Container) {
			require.True(t, c.Security.Privileged.V)
		}},
		{"unset wrapper variable", `"$DOCKER_BIN" run --pid host img`, func(t *testing.T, c *Container) {
			require.Equal(t, "host", c.Namespace.PID.V)
		}},
		{"wrapper function name", "dockerCmd create --rm --privileged img", func(t *testing.T, c *Container) {
			require.Equal(t, "docker create", c.Command)
		}},
		{"loop variable is unknown", "U=1000\nfor U in a b; do docker run -u $U img; done", func(t *testing.T, c *Container) {
			require.True(t, c.Security.User.Unknown)
		}},
		{"flags variable with an unset part", "FLAGS=\"--rm --privileged $UNSET_X\"\ndocker run $FLAGS alpine:3.20 true",
			func(t *testing.T, c *Container) {
				require.True(t, c.Security.Privileged.V)
				require.Equal(t, "alpine:3.20", c.Image.V)
				require.Len(t, c.UnknownArgs, 1)
				require.Equal(t, "$UNSET_X", c.UnknownArgs[0].Raw)
				require.Len(t, c.Notes, 1)
				require.Contains(t, c.Notes[0].Message, "$UNSET_X in $FLAGS cannot be resolved")
			}},
		{"flags variable with unset flag values", "M=-m\nF=\"--user=$U $M 64m --workdir=$V\"\ndocker run $F img",
			func(t *testing.T, c *Container) {
				require.True(t, c.Security.User.Unknown)
				require.Equal(t, int64(64<<20), c.Resources.Memory.V)
				require.Empty(t, c.UnknownArgs)
				require.Empty(t, c.Notes)
				require.Equal(t, "img", c.Image.V)
			}},
		{"conditionally set part of flags", "if [ -f x ]; then M=\"-v /a:/b\"; fi\nF=\"--privileged $M\"\n" +
			"docker create $F \\\n  -e X $IMG_NAME cmd", func(t *testing.T, c *Container) {
			require.True(t, c.Security.Privileged.V)
			require.Len(t, c.UnknownArgs, 1)
			require.Equal(t, "$M", c.UnknownArgs[0].Raw)
			require.True(t, c.Image.Unknown)
		}},
		{"quoted flags variable stays one word", "F=\"--rm $X\"\ndocker run \"$F\" img", func(t *testing.T, c *Container) {
			require.Empty(t, c.UnknownArgs)
			require.Equal(t, "img", c.Image.V)
		}},
		{"wholly unknown copy keeps its name", "IMAGE=$1\ndocker run --rm $IMAGE sh", func(t *testing.T, c *Container) {
			require.Empty(t, c.UnknownArgs)
			require.True(t, c.Image.Unknown)
			require.Equal(t, "$IMAGE", c.Image.Raw)
		}},
		{"home is never read", "docker run -v ~/.ssh:/root/.ssh img", func(t *testing.T, c *Container) {
			require.Equal(t, "~/.ssh", c.Mounts[0].Source)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, parseOne(t, tt.cmd))
		})
	}
}

func TestParseCommandIgnoresOtherCommands(t *testing.T) {
	for _, script := range []string{
		"docker build -t x .", "docker ps", "echo docker run img", "docker", "docker compose up",
		"podman images", "dockerd --debug", "docker-compose run web", "$DOCKER_OPTS run x",
	} {
		t.Run(script, func(t *testing.T) {
			res := ParseScripts("x.sh", ShellScripts([]byte(script)))
			require.Empty(t, res.Containers)
		})
	}
}
