package image

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/rule"
	"github.com/dockward/dockward/internal/secrets"
)

// tf is one file of a crafted layer.
type tf struct {
	path     string
	body     string
	mode     int64
	uid, gid int
	typ      byte
	link     string
}

func reg(p, body string) tf         { return tf{path: p, body: body, mode: 0o644, typ: tar.TypeReg} }
func exe(p string) tf               { return tf{path: p, body: "\x7fELF", mode: 0o755, typ: tar.TypeReg} }
func dirEntry(p string, m int64) tf { return tf{path: p, mode: m, typ: tar.TypeDir} }
func link(p, target string) tf      { return tf{path: p, link: target, mode: 0o777, typ: tar.TypeSymlink} }

func (f tf) owned(uid, gid int) tf { f.uid, f.gid = uid, gid; return f }
func (f tf) withMode(m int64) tf   { f.mode = m; return f }

func layerOf(t testing.TB, files ...tf) inimage.Layer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		hdr := &tar.Header{Name: strings.TrimPrefix(f.path, "/"), Typeflag: f.typ, Mode: f.mode, Uid: f.uid,
			Gid: f.gid, Linkname: f.link, Size: int64(len(f.body)), Format: tar.FormatPAX}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(f.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	b := buf.Bytes()
	return inimage.Layer{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

const debianPasswd = "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n"

var now = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

func runRules(t *testing.T, cfg *v1.ConfigFile, layers ...inimage.Layer) ([]finding.Finding, []finding.Problem) {
	t.Helper()
	tree, problems, err := inimage.Read(context.Background(), layers, inimage.Options{
		Request: inimage.Combine(Request(), pkgdb.Request()), Name: "test:1"})
	require.NoError(t, err)
	defer tree.Close()
	fs, ruleProblems := Run(&Input{Image: "test:1", Config: cfg, Tree: tree, OS: pkgdb.DetectOS(tree), Now: now})
	return fs, append(problems, ruleProblems...)
}

// messagesOf returns the messages of one rule's findings.
func messagesOf(fs []finding.Finding, r *rule.Rule) []string {
	var out []string
	for _, f := range fs {
		if f.RuleID == r.ID {
			out = append(out, f.Message)
		}
	}
	return out
}

func config(mutate func(c *v1.Config)) *v1.ConfigFile {
	cfg := &v1.ConfigFile{OS: "linux", Architecture: "amd64",
		Config: v1.Config{User: "1000", Healthcheck: &v1.HealthConfig{Test: []string{"CMD", "/app", "health"}}}}
	if mutate != nil {
		mutate(&cfg.Config)
	}
	return cfg
}

type ruleCase struct {
	name   string
	cfg    *v1.ConfigFile
	layers [][]tf
	want   []string // substrings, one per finding of the rule, in order
}

func runCases(t *testing.T, r *rule.Rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var layers []inimage.Layer
			for _, files := range tc.layers {
				layers = append(layers, layerOf(t, files...))
			}
			if len(layers) == 0 {
				layers = append(layers, layerOf(t, reg("/etc/passwd", debianPasswd)))
			}
			fs, _ := runRules(t, tc.cfg, layers...)
			got := messagesOf(fs, r)
			require.Len(t, got, len(tc.want), "findings: %q", got)
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
		})
	}
}

func TestIM001RootUser(t *testing.T) {
	toor := reg("/etc/passwd", debianPasswd+"toor:x:0:0::/root:/bin/sh\n")
	runCases(t, im001, []ruleCase{
		{name: "no user", cfg: config(func(c *v1.Config) { c.User = "" }),
			want: []string{"sets no User, so containers run as root"}},
		{name: "root by name", cfg: config(func(c *v1.Config) { c.User = "root" }),
			want: []string{`User "root", which is root`}},
		{name: "uid zero with group", cfg: config(func(c *v1.Config) { c.User = "0:1000" }),
			want: []string{`User "0:1000", which is root`}},
		{name: "alias of root", cfg: config(func(c *v1.Config) { c.User = "toor" }), layers: [][]tf{{toor}},
			want: []string{`User "toor", whose UID in /etc/passwd is 0`}},
		{name: "numeric non-root", cfg: config(func(c *v1.Config) { c.User = "10001:10001" })},
		{name: "named non-root", cfg: config(func(c *v1.Config) { c.User = "app" })},
	})
}

func TestIM002Healthcheck(t *testing.T) {
	runCases(t, im002, []ruleCase{
		{name: "none set", cfg: config(func(c *v1.Config) { c.Healthcheck = nil }),
			want: []string{"has no health check"}},
		{name: "disabled", cfg: config(func(c *v1.Config) { c.Healthcheck = &v1.HealthConfig{Test: []string{"NONE"}} }),
			want: []string{"disables its health check with HEALTHCHECK NONE"}},
		{name: "set", cfg: config(nil)},
	})
}

func TestIM002IgnoresHistory(t *testing.T) {
	// HEALTHCHECK NONE in the history was overridden by a later
	// HEALTHCHECK; only the config field counts.
	cfg := config(nil)
	cfg.History = []v1.History{{CreatedBy: "HEALTHCHECK NONE", EmptyLayer: true},
		{CreatedBy: `HEALTHCHECK &{["CMD" "/app" "health"] "30s" "0s" "0s" "0s" '\x00'}`, EmptyLayer: true}}
	runCases(t, im002, []ruleCase{{name: "overridden none", cfg: cfg}})
}

func TestIM003ConfigSecrets(t *testing.T) {
	runCases(t, im003, []ruleCase{
		{name: "env password", cfg: config(func(c *v1.Config) { c.Env = []string{"DB_PASSWORD=Hunter2-prod-9f3kQ"} }),
			want: []string{"environment variable DB_PASSWORD holds a"}},
		{name: "label token", cfg: config(func(c *v1.Config) {
			c.Labels = map[string]string{"ci.token": "ghp_" + strings.Repeat("a1B2c3D4e5", 3) + "abcdef"}
		}), want: []string{"label ci.token holds a"}},
		{name: "official image environment", cfg: config(func(c *v1.Config) {
			c.Env = []string{"GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
				"PYTHON_SHA256=2a9920c7a0cd236de33644ed980a13cbbc21058bfdc528febb6081575ed73be3",
				"PHP_ASC_URL=https://www.php.net/distributions/php-8.3.13.tar.xz.asc", "NODE_VERSION=22.11.0"}
			c.Labels = map[string]string{"org.opencontainers.image.source": "https://github.com/example/app"}
		})},
		{name: "reference and file", cfg: config(func(c *v1.Config) {
			c.Env = []string{"DB_PASSWORD_FILE=/run/secrets/db", "TOKEN=${TOKEN}", "PATH=/usr/bin"}
		})},
	})
}

func TestIM003Redacts(t *testing.T) {
	secret := "Hunter2-prod-9f3kQ"
	fs, _ := runRules(t, config(func(c *v1.Config) { c.Env = []string{"DB_PASSWORD=" + secret} }),
		layerOf(t, reg("/etc/passwd", debianPasswd)))
	got := messagesOf(fs, im003)
	require.Len(t, got, 1)
	require.NotContains(t, got[0], secret)
}

func TestIM004HistorySecrets(t *testing.T) {
	history := func(entries ...string) *v1.ConfigFile {
		cfg := config(nil)
		for _, e := range entries {
			cfg.History = append(cfg.History, v1.History{CreatedBy: e, EmptyLayer: true})
		}
		return cfg
	}
	runCases(t, im004, []ruleCase{
		{name: "build argument", cfg: history(
			"RUN |2 DB_PASSWORD=Hunter2-prod-9f3kQ VERSION=1.2 /bin/sh -c make install # buildkit"),
			want: []string{"build argument DB_PASSWORD holds a password or secret assignment: ****, shown in history entry 0 (RUN)"}},
		{name: "classic build argument", cfg: history("|1 API_TOKEN=Zx81-Kq77-Lm22-Pp90 /bin/sh -c ./build.sh"),
			want: []string{"build argument API_TOKEN holds a"}},
		{name: "arg default", cfg: history("ARG DB_PASSWORD=Hunter2-prod-9f3kQ"),
			want: []string{"build argument DB_PASSWORD holds a"}},
		{name: "env removed later", cfg: history("ENV DB_PASSWORD=Hunter2-prod-9f3kQ", "ENV DB_PASSWORD="),
			want: []string{"environment variable DB_PASSWORD holds a"}},
		{name: "token in command", cfg: history(
			"/bin/sh -c echo //registry.npmjs.org/:_authToken=npm_" + strings.Repeat("a1B2c3", 6) + " > ~/.npmrc"),
			want: []string{"a RUN command holds a"}},
		{name: "builder metadata", cfg: history(
			"RUN /bin/sh -c apt-get update |force-mtime=10", "COPY . /app # buildkit", "HEALTHCHECK NONE")},
	})
}

func TestIM004OneFindingPerArgument(t *testing.T) {
	cfg := config(nil)
	names := []string{"DB_PASS", "PASSWD", "TOKEN", "PRIVATE_KEY"}
	var runArgs []string
	for _, n := range names {
		cfg.History = append(cfg.History, v1.History{CreatedBy: "/bin/sh -c #(nop)  ARG " + n + "=Qm7Lx2Vb9Tz4Rk8W", EmptyLayer: true})
		runArgs = append(runArgs, n+"=Qm7Lx2Vb9Tz4Rk8W")
	}
	for _, cmd := range []string{"true", "make", "make install"} {
		cfg.History = append(cfg.History, v1.History{
			CreatedBy: "|4 " + strings.Join(runArgs, " ") + " /bin/sh -c " + cmd, EmptyLayer: true})
	}
	// A different value under the same name is a second secret.
	cfg.History = append(cfg.History, v1.History{CreatedBy: "|1 TOKEN=Zx81-Kq77-Lm22-Pp90 /bin/sh -c true", EmptyLayer: true})
	fs, _ := runRules(t, cfg, layerOf(t))
	got := messagesOf(fs, im004)
	require.Len(t, got, len(names)+1, "findings: %q", got)
	for i, n := range names {
		require.Contains(t, got, fmt.Sprintf("build argument %s holds a password or secret assignment: ****, "+
			"shown in history entries %d (ARG), 4 (RUN), 5 (RUN) and 6 (RUN)", n, i))
	}
	require.Contains(t, got, "build argument TOKEN holds a password or secret assignment: ****, shown in history entry 7 (RUN)")
	for _, m := range got {
		require.NotContains(t, m, "Qm7Lx2Vb9Tz4Rk8W")
	}
}

func TestIM004ListsAtMostEightEntries(t *testing.T) {
	cfg := config(nil)
	for range 11 {
		cfg.History = append(cfg.History, v1.History{
			CreatedBy: "|1 DB_PASSWORD=Hunter2-prod-9f3kQ /bin/sh -c true", EmptyLayer: true})
	}
	fs, _ := runRules(t, cfg, layerOf(t))
	got := messagesOf(fs, im004)
	require.Len(t, got, 1)
	require.Contains(t, got[0], "history entries 0 (RUN), 1 (RUN)")
	require.Contains(t, got[0], "7 (RUN) and 3 more")
}

// IM004 must classify names exactly as RT031 does, through
// secrets.Classify, including names the classifier may learn later.
func TestIM004NamesFollowClassifier(t *testing.T) {
	for _, name := range []string{"DBPASS", "AUTH", "SSH_KEY", "PGPASSWORD", "DB_PASS", "TOKEN", "VERSION"} {
		t.Run(name, func(t *testing.T) {
			cfg := config(nil)
			cfg.History = []v1.History{{CreatedBy: "ARG " + name + "=Qm7Lx2Vb9Tz4Rk8W", EmptyLayer: true}}
			fs, _ := runRules(t, cfg, layerOf(t))
			_, want := secrets.Classify(name, "Qm7Lx2Vb9Tz4Rk8W")
			require.Equal(t, want, len(messagesOf(fs, im004)) == 1)
		})
	}
}

func TestIM004LayerOfHistory(t *testing.T) {
	cfg := config(nil)
	cfg.History = []v1.History{{CreatedBy: "ADD rootfs.tar /"}, {CreatedBy: "ARG X", EmptyLayer: true},
		{CreatedBy: "RUN |1 DB_PASSWORD=Hunter2-prod-9f3kQ /bin/sh -c true"}}
	l0, l1 := layerOf(t, reg("/etc/passwd", debianPasswd)), layerOf(t)
	cfg.RootFS.DiffIDs = []v1.Hash{{Algorithm: "sha256", Hex: strings.Repeat("a", 64)},
		{Algorithm: "sha256", Hex: strings.Repeat("b", 64)}}
	fs, _ := runRules(t, cfg, l0, l1)
	for _, f := range fs {
		if f.RuleID == im004.ID {
			require.NotNil(t, f.Location.LayerIndex)
			require.Equal(t, 1, *f.Location.LayerIndex)
			require.Equal(t, "sha256:"+strings.Repeat("b", 64), f.Location.Layer)
			return
		}
	}
	t.Fatal("no IM004 finding")
}

func TestIM005Setuid(t *testing.T) {
	runCases(t, im005, []ruleCase{
		{name: "setuid and setgid", cfg: config(nil), layers: [][]tf{{
			exe("/usr/bin/passwd").withMode(0o4755), exe("/usr/bin/wall").withMode(0o2755).owned(0, 5),
			exe("/usr/bin/ls")}},
			want: []string{"/usr/bin/passwd is setuid (mode 04755", "/usr/bin/wall is setgid (mode 02755, owner 0:5)"}},
		{name: "none", cfg: config(nil), layers: [][]tf{{exe("/usr/bin/ls")}}},
	})
}

func TestIM006WorldWritable(t *testing.T) {
	runCases(t, im006, []ruleCase{
		{name: "file and directory", cfg: config(nil), layers: [][]tf{{
			dirEntry("/app", 0o777), reg("/app/config.yml", "a: 1").withMode(0o666),
			dirEntry("/tmp", 0o1777), reg("/tmp/shared", "x").withMode(0o666), link("/bin/sh", "dash"),
			tf{path: "/dev/null", typ: tar.TypeChar, mode: 0o666}}},
			want: []string{"/app is a world-writable directory without the sticky bit", "/app/config.yml is a world-writable file"}},
		{name: "clean", cfg: config(nil), layers: [][]tf{{dirEntry("/tmp", 0o1777), dirEntry("/app", 0o755)}}},
	})
}

func TestDeviceNodes(t *testing.T) {
	dev := func(p string, typ byte, mode int64) tf { return tf{path: p, typ: typ, mode: mode} }
	layer := layerOf(t, dev("/dev/sda", tar.TypeBlock, 0o4666), dev("/dev/mem", tar.TypeChar, 0o666),
		dev("/dev/null", tar.TypeChar, 0o666), dev("/dev/tty", tar.TypeChar, 0o666),
		dev("/srv/disk", tar.TypeBlock, 0o666), dev("/srv/private", tar.TypeBlock, 0o600),
		dev("/dev/sdb", tar.TypeBlock, 0o660))
	fs, _ := runRules(t, config(nil), layer)
	severities := map[string]finding.Severity{}
	var im005Messages, im006Messages []string
	for _, f := range fs {
		switch f.RuleID {
		case im005.ID:
			im005Messages = append(im005Messages, f.Message)
		case im006.ID:
			im006Messages = append(im006Messages, f.Message)
		default:
			continue
		}
		severities[f.RuleID+" "+f.Location.ImagePath] = f.Severity
	}
	require.Len(t, im005Messages, 1, "IM005: %q", im005Messages)
	require.Contains(t, im005Messages[0], "/dev/sda is a block device with the setuid bit (mode 04666")
	require.Len(t, im006Messages, 3, "IM006: %q", im006Messages)
	require.Contains(t, im006Messages, "/dev/mem is a world-writable character device (mode 0666); the container "+
		"engine mounts its own /dev over the image's, so the node is hidden at run time, but it suggests a /dev copied from a host")
	require.Equal(t, map[string]finding.Severity{"IM005 /dev/sda": finding.Low, "IM006 /dev/sda": finding.Low,
		"IM006 /dev/mem": finding.Low, "IM006 /srv/disk": finding.Medium}, severities)
}

func TestIM006CapsFindings(t *testing.T) {
	var files []tf
	for i := range 30 {
		files = append(files, reg("/data/f"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x").withMode(0o666))
	}
	fs, _ := runRules(t, config(nil), layerOf(t, files...))
	got := messagesOf(fs, im006)
	require.Len(t, got, maxPathFindings+1)
	require.Contains(t, got[len(got)-1], "5 more world-writable paths")
}

func TestIM007UserWritable(t *testing.T) {
	passwd := reg("/etc/passwd", debianPasswd)
	runCases(t, im007, []ruleCase{
		{name: "owned code", cfg: config(func(c *v1.Config) { c.User = "app"; c.WorkingDir = "/srv/app" }),
			layers: [][]tf{{passwd, reg("/srv/app/main.py", "print(1)").owned(1000, 1000),
				exe("/usr/local/bin/tool").owned(0, 1000).withMode(0o775),
				reg("/home/app/.profile", "x").owned(1000, 1000), reg("/var/log/app.log", "").owned(1000, 1000)}},
			want: []string{`the image user "app" (UID 1000, GID 1000) owns the file /srv/app/main.py`,
				"has group write on the file /usr/local/bin/tool"}},
		{name: "unknown uid gets gid 0", cfg: config(func(c *v1.Config) { c.User = "10001" }),
			layers: [][]tf{{passwd, reg("/app/main.py", "print(1)").withMode(0o664)}},
			want:   []string{`the image user "10001" (UID 10001, GID 0) has group write on the file /app/main.py`}},
		{name: "root owned code", cfg: config(func(c *v1.Config) { c.User = "app" }),
			layers: [][]tf{{passwd, reg("/app/main.py", "print(1)")}}},
		{name: "runs as root", cfg: config(func(c *v1.Config) { c.User = "" }),
			layers: [][]tf{{passwd, reg("/app/main.py", "print(1)")}}},
	})
}

func TestIM007HomeExemption(t *testing.T) {
	passwd := func(home string) tf {
		return reg("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::"+home+":/bin/sh\n")
	}
	asApp := func(mutate func(c *v1.Config)) *v1.ConfigFile {
		return config(func(c *v1.Config) {
			c.User = "app"
			if mutate != nil {
				mutate(c)
			}
		})
	}
	owned := func(p string) tf { return reg(p, "x").owned(1000, 1000) }
	runCases(t, im007, []ruleCase{
		{name: "home is the app directory", cfg: asApp(nil),
			layers: [][]tf{{passwd("/app"), owned("/app/main.py")}},
			want:   []string{"owns the file /app/main.py"}},
		{name: "home is the working directory", cfg: asApp(func(c *v1.Config) { c.WorkingDir = "/home/app" }),
			layers: [][]tf{{passwd("/home/app"), owned("/home/app/server.js")}},
			want:   []string{"owns the file /home/app/server.js"}},
		{name: "working directory inside home", cfg: asApp(func(c *v1.Config) { c.WorkingDir = "/home/app/src" }),
			layers: [][]tf{{passwd("/home/app"), owned("/home/app/lib/util.js")}},
			want:   []string{"owns the file /home/app/lib/util.js"}},
		{name: "entrypoint inside home", cfg: asApp(func(c *v1.Config) { c.Entrypoint = []string{"node", "/home/app/index.js"} }),
			layers: [][]tf{{passwd("/home/app"), owned("/home/app/index.js")}},
			want:   []string{"owns the file /home/app/index.js"}},
		{name: "home under srv", cfg: asApp(nil),
			layers: [][]tf{{passwd("/srv/app"), owned("/srv/app/run.py")}},
			want:   []string{"owns the file /srv/app/run.py"}},
		{name: "ordinary home", cfg: asApp(func(c *v1.Config) { c.WorkingDir = "/app"; c.Cmd = []string{"/app/run"} }),
			layers: [][]tf{{passwd("/home/app"), owned("/home/app/.bashrc"), owned("/home/app/.config/x.json")}}},
		{name: "state home", cfg: asApp(nil),
			layers: [][]tf{{passwd("/var/lib/app"), owned("/var/lib/app/db")}}},
	})
}

func TestIM008OSEndOfLife(t *testing.T) {
	runCases(t, im008, []ruleCase{
		{name: "debian 10", cfg: config(nil), layers: [][]tf{{reg("/etc/passwd", debianPasswd),
			reg("/usr/lib/os-release", "ID=debian\nVERSION_ID=\"10\"\n"), link("/etc/os-release", "../usr/lib/os-release")}},
			want: []string{"the image is based on Debian 10 (buster), whose support ended on 2024-06-30"}},
		{name: "debian 12", cfg: config(nil), layers: [][]tf{{reg("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")}}},
		{name: "unknown os", cfg: config(nil), layers: [][]tf{{reg("/etc/os-release", "ID=mystery\nVERSION_ID=1\n")}}},
	})
}

func TestIM008OlderThanTable(t *testing.T) {
	osRelease := func(id, version string) []tf {
		return []tf{reg("/usr/lib/os-release", "ID="+id+"\nVERSION_ID=\""+version+"\"\n"),
			link("/etc/os-release", "../usr/lib/os-release")}
	}
	runCases(t, im008, []ruleCase{
		{name: "debian 6", cfg: config(nil), layers: [][]tf{{reg("/etc/debian_version", "6.0.10\n")}},
			want: []string{"based on Debian 6, older than Debian 7 (wheezy), whose support ended on 2018-05-31"}},
		{name: "ubuntu 12.04", cfg: config(nil), layers: [][]tf{osRelease("ubuntu", "12.04")},
			want: []string{"based on Ubuntu 12.04, older than Ubuntu 14.04 (trusty)"}},
		{name: "alpine 3.9.6", cfg: config(nil), layers: [][]tf{{reg("/etc/alpine-release", "3.9.6\n")}},
			want: []string{"based on Alpine Linux 3.9, older than Alpine Linux 3.10, whose support ended on 2021-05-01"}},
		{name: "alpine 3.5.0", cfg: config(nil), layers: [][]tf{osRelease("alpine", "3.5.0")},
			want: []string{"based on Alpine Linux 3.5, older than Alpine Linux 3.10"}},
		{name: "centos 5", cfg: config(nil), layers: [][]tf{osRelease("centos", "5")},
			want: []string{"based on CentOS 5, older than CentOS 6"}},
		{name: "fedora 30", cfg: config(nil), layers: [][]tf{osRelease("fedora", "30")},
			want: []string{"based on Fedora 30, older than Fedora 37"}},
		{name: "amazon linux 1", cfg: config(nil), layers: [][]tf{osRelease("amzn", "2018.03")},
			want: []string{"based on Amazon Linux 1, whose support ended on 2023-12-31"}},
		{name: "newer than table", cfg: config(nil), layers: [][]tf{osRelease("alpine", "3.99.1")}},
		{name: "amazon linux 2023", cfg: config(nil), layers: [][]tf{osRelease("amzn", "2023")}},
	})
}

func TestIM008LocationThroughSymlink(t *testing.T) {
	fs, _ := runRules(t, config(nil), layerOf(t, reg("/usr/lib/os-release", "ID=ubuntu\nVERSION_ID=\"12.04\"\n"),
		link("/etc/os-release", "../usr/lib/os-release")))
	for _, f := range fs {
		if f.RuleID == im008.ID {
			require.Equal(t, "/usr/lib/os-release", f.Location.ImagePath)
			return
		}
	}
	t.Fatal("no IM008 finding")
}

func TestIM009PackageCaches(t *testing.T) {
	runCases(t, im009, []ruleCase{
		{name: "apt lists and pip", cfg: config(nil), layers: [][]tf{{
			reg("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", strings.Repeat("x", 2048)),
			reg("/var/lib/apt/lists/lock", ""), reg("/root/.cache/pip/http/a/b", "x")}},
			want: []string{"pip cache left in the image: 1 files", "APT package index lists left in the image: 1 files, 2.0 KiB"}},
		{name: "every kind", cfg: config(nil), layers: [][]tf{{
			reg("/var/cache/apt/archives/curl_8.5.0_amd64.deb", "d"), reg("/var/cache/apt/pkgcache.bin", "b"),
			reg("/var/cache/apk/APKINDEX.tar.gz", "a"), reg("/var/cache/yum/x86_64/repomd.xml", "y"),
			reg("/var/cache/libdnf5/fedora/repodata.xml", "f"), reg("/var/cache/zypp/raw/repo", "z"),
			reg("/home/app/.npm/_cacache/index-v5/aa", "n"), reg("/usr/local/share/.cache/yarn/v6/pkg", "y"),
			reg("/home/dev/.cache/composer/files/x.zip", "c"), reg("/srv/root/.cache/pip/x", "not a home"),
			reg("/var/cache/apt/archives/partial/x.deb", "not directly in archives")}},
			want: []string{"npm cache left", "Composer cache left", "Yarn cache left", "APK cache left",
				"APT downloaded packages left in the image: 1 files", "APT package cache left in the image",
				"DNF cache left", "YUM cache left", "Zypper cache left"}},
		{name: "cleaned", cfg: config(nil), layers: [][]tf{{dirEntry("/var/lib/apt/lists", 0o755),
			reg("/var/lib/apt/lists/lock", ""), dirEntry("/var/lib/apt/lists/partial", 0o700)}}},
	})
}

func TestIM010AttackSurface(t *testing.T) {
	runCases(t, im010, []ruleCase{
		{name: "busybox applets", cfg: config(nil), layers: [][]tf{{exe("/bin/busybox"), link("/bin/sh", "busybox"),
			link("/bin/wget", "/bin/busybox"), link("/bin/nc", "busybox"), exe("/usr/bin/apt-get")}},
			want: []string{"shells present: sh, busybox", "network tools present: wget, nc",
				"package managers present: apt-get"}},
		{name: "static binary only", cfg: config(nil), layers: [][]tf{{exe("/app")}}},
		{name: "dangling link", cfg: config(nil), layers: [][]tf{{link("/bin/sh", "/nowhere")}}},
	})
}

func TestIM011Accounts(t *testing.T) {
	runCases(t, im011, []ruleCase{
		{name: "backdoor and empty", cfg: config(nil), layers: [][]tf{{
			reg("/etc/passwd", debianPasswd+"toor:x:0:0::/root:/bin/sh\nguest::1001:1001::/home/guest:/bin/sh\n"),
			reg("/etc/shadow", "root:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\n")}},
			want: []string{`account "toor" has UID 0`, `account "guest" has an empty password field in /etc/passwd`,
				`account "app" has an empty password field in /etc/shadow`}},
		{name: "locked", cfg: config(nil), layers: [][]tf{{reg("/etc/passwd", debianPasswd),
			reg("/etc/shadow", "root:*:19000::::::\napp:!:19000::::::\n")}}},
	})
}

func TestIM011MalformedPasswd(t *testing.T) {
	fs, problems := runRules(t, config(nil), layerOf(t,
		reg("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nthis line has no colons\nbad:x:zero:0::/:/bin/sh\n")))
	require.Empty(t, messagesOf(fs, im011))
	require.Len(t, problems, 2)
	require.Contains(t, problems[0].Reason, "/etc/passwd line 2: malformed entry skipped")
	require.Contains(t, problems[1].Reason, "/etc/passwd line 3: malformed entry skipped")
}

const testKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\n-----END OPENSSH PRIVATE KEY-----\n"

func TestOversizedPasswdIsReported(t *testing.T) {
	big := strings.Repeat("x", maxCredentialSize+1)
	layers := []inimage.Layer{layerOf(t, reg("/etc/passwd", big), reg("/etc/os-release", "ID=debian\n#"+big))}
	tree, problems, err := inimage.Read(context.Background(), layers, inimage.Options{
		Request: Request(), Name: "test:1", MaxContent: 4 << 10})
	require.NoError(t, err)
	defer tree.Close()
	var reasons []string
	for _, p := range problems {
		require.Equal(t, "skipped", p.Kind)
		reasons = append(reasons, p.Reason)
	}
	require.Len(t, reasons, 2, "problems: %q", reasons)
	require.Contains(t, reasons[0], "/etc/passwd is 1048577 bytes, over the 4096-byte content cap")
	require.Contains(t, reasons[1], "/etc/os-release is 1048588 bytes")
}

func TestRequestAccountFilesAtAnySize(t *testing.T) {
	req := Request()
	for _, p := range []string{"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/os-release"} {
		require.Equal(t, inimage.WantContent, req(p, 0o644, 50<<20), p)
	}
	require.Equal(t, inimage.WantNone, req("/app/.env", 0o644, 50<<20))
	require.Equal(t, inimage.WantContent, req("/app/.env", 0o644, 100))
}

func TestIM012CredentialFiles(t *testing.T) {
	runCases(t, im012, []ruleCase{
		{name: "keys env git and docker", cfg: config(nil), layers: [][]tf{{
			reg("/root/.ssh/id_ed25519", testKey), reg("/app/.env", "DEBUG=1\n"), dirEntry("/app/.git", 0o755),
			reg("/app/.git/HEAD", "ref: refs/heads/main\n"),
			reg("/root/.docker/config.json", `{"auths":{"registry.example":{"auth":"dXNlcjpwYXNz"}}}`)}},
			want: []string{"/app/.env holds environment settings", "/app/.git is a Git directory",
				"/root/.docker/config.json holds Docker registry credentials", "/root/.ssh/id_ed25519 holds a private key"}},
		{name: "deleted in later layer", cfg: config(nil), layers: [][]tf{
			{reg("/build/deploy.pem", testKey)}, {reg("/build/.wh.deploy.pem", "")}},
			want: []string{"/build/deploy.pem holds a private key (detected: OpenSSH private key); " +
				"layer 1 deleted or replaced it, but it is still readable in layer 0"}},
		{name: "fixtures and harmless", cfg: config(nil), layers: [][]tf{{
			reg("/usr/lib/python3/dist-packages/x/tests/key.pem", testKey), reg("/etc/ssl/certs/ca.pem",
				"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
			reg("/app/.env.example", "TOKEN=\n"), reg("/root/.docker/config.json", `{"credsStore":"pass"}`),
			reg("/app/node_modules/dotenv-demo/.env", "A=1\n"), dirEntry("/app/node_modules/lib/.git", 0o755)}}},
	})
}

func TestIM012DeletedKeyLocation(t *testing.T) {
	fs, _ := runRules(t, config(nil), layerOf(t, reg("/k.pem", testKey)), layerOf(t, reg("/.wh.k.pem", "")))
	for _, f := range fs {
		if f.RuleID == im012.ID {
			require.Equal(t, "/k.pem", f.Location.ImagePath)
			require.Equal(t, 0, *f.Location.LayerIndex)
			return
		}
	}
	t.Fatal("no IM012 finding")
}

func TestIM012ChmodLayerReportsOnce(t *testing.T) {
	key := reg("/app/k.pem", testKey)
	fs, _ := runRules(t, config(nil), layerOf(t, key), layerOf(t, key.withMode(0o600)))
	got := messagesOf(fs, im012)
	require.Len(t, got, 1, "findings: %q", got)
	require.NotContains(t, got[0], "deleted or replaced")
}

func TestIM013RemoteFetch(t *testing.T) {
	history := func(entries ...string) *v1.ConfigFile {
		cfg := config(nil)
		for _, e := range entries {
			cfg.History = append(cfg.History, v1.History{CreatedBy: e, EmptyLayer: true})
		}
		return cfg
	}
	runCases(t, im013, []ruleCase{
		{name: "remote add", cfg: history("ADD https://example.com/tool.tgz /opt/ # buildkit"),
			want: []string{"history entry 0 (ADD) adds a file from a URL without a checksum"}},
		{name: "curl pipe sh", cfg: history(
			"RUN /bin/sh -c curl -fsSL https://get.example.com | sudo bash -s -- --yes # buildkit",
			"/bin/sh -c wget -qO- http://example.com/i.sh | sh",
			`RUN /bin/sh -c bash -c "$(curl -fsSL https://example.com/install.sh)"`,
			"RUN |1 V=2 /bin/sh -c curl -fsSL https://example.com/get.py | python3 -",
			"RUN /bin/bash -o pipefail -c set -e; bash <(curl -fsSL https://example.com/i.sh) # buildkit",
			"/bin/sh -c #(nop) WORKDIR /app", `/bin/sh -c echo ok && wget -O- https://example.com/i.sh | sh -s -- -y`),
			want: []string{"history entry 0 (RUN) pipes the output of curl into bash",
				"history entry 1 (RUN) pipes the output of wget into sh",
				"history entry 2 (RUN) runs a script downloaded by a command substitution with bash",
				"history entry 3 (RUN) pipes the output of curl into python3",
				"history entry 4 (RUN) runs a script downloaded by a command substitution with bash",
				"history entry 6 (RUN) pipes the output of wget into sh"}},
		{name: "only printed", cfg: history(
			`RUN /bin/sh -c echo "curl -fsSL https://x.invalid | sh"`,
			`RUN |1 V=1 /bin/sh -c printf '%s\n' 'wget -O- https://x.invalid/i.sh | bash' > /notes.txt # buildkit`,
			"RUN /bin/sh -c true # curl -fsSL https://x.invalid | sh",
			"/bin/sh -c cat <<'EOF' > /README\ncurl https://x.invalid | sh\nEOF",
			"RUN /bin/sh -c curl -fsSLo /tmp/i.sh https://x.invalid/i.sh | tee /log | sh /tmp/other.sh",
			"RUN /bin/sh -c if [ (; then curl https://x.invalid | sh")},
		{name: "checked and metadata", cfg: history(
			"ADD --checksum=sha256:abc https://example.com/tool.tgz /opt/",
			"/bin/sh -c #(nop) ADD file:0a1b2c in / ",
			"RUN /bin/sh -c curl -fsSLo /tmp/x https://example.com/x && sha256sum -c sums |force-mtime=10",
			"RUN /bin/sh -c curl https://example.com/data.json | jq .")},
	})
}

func TestIM014SensitivePorts(t *testing.T) {
	runCases(t, im014, []ruleCase{
		{name: "ssh and docker", cfg: config(func(c *v1.Config) {
			c.ExposedPorts = map[string]struct{}{"22/tcp": {}, "2375/tcp": {}, "8080/tcp": {}}
		}), want: []string{"port 22/tcp (SSH)", "port 2375/tcp (Docker Engine API without TLS)"}},
		{name: "web only", cfg: config(func(c *v1.Config) { c.ExposedPorts = map[string]struct{}{"443/tcp": {}} })},
	})
}

func TestRunWithoutConfig(t *testing.T) {
	fs, _ := runRules(t, nil, layerOf(t, reg("/etc/passwd", debianPasswd), exe("/bin/sh")))
	for _, f := range fs {
		require.NotContains(t, []string{"IM001", "IM002", "IM003", "IM004", "IM013", "IM014"}, f.RuleID)
	}
	require.NotEmpty(t, messagesOf(fs, im010))
}

func TestParseCreatedBy(t *testing.T) {
	tests := []struct {
		in          string
		instruction string
		args        string
		buildArgs   []string
	}{
		{"/bin/sh -c #(nop)  CMD [\"bash\"]", "CMD", `["bash"]`, nil},
		{"/bin/sh -c apt-get update", "RUN", "apt-get update", nil},
		{"RUN |2 A=1 B=2 /bin/sh -c make # buildkit", "RUN", "make", []string{"A=1", "B=2"}},
		{"|1 A=1 /bin/sh -c make", "RUN", "make", []string{"A=1"}},
		{"COPY . /app # buildkit", "COPY", ". /app", nil},
		{"RUN /bin/sh -c true |force-mtime=10", "RUN", "true", nil},
		{"RUN /bin/bash -o pipefail -c make # buildkit", "RUN", "make", nil},
		{"RUN |1 A=1 /bin/ash -eux -o pipefail -c make", "RUN", "make", []string{"A=1"}},
		{"HEALTHCHECK NONE", "HEALTHCHECK", "NONE", nil},
		{"", "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			h := parseCreatedBy(tc.in)
			require.Equal(t, tc.instruction, h.instruction)
			require.Equal(t, tc.args, h.args)
			require.Equal(t, tc.buildArgs, h.buildArgs)
		})
	}
}

func TestReportsFileMatchesIM012(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/app/.env", true},
		{"/app/node_modules/x/.env", false},
		{"/app/.env.example", false},
		{"/app/README.md", false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			e := &inimage.Entry{Path: tc.path, Mode: 0o644, Content: []byte("A=1\n")}
			require.Equal(t, tc.want, ReportsFile(e))
		})
	}
}
