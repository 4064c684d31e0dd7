package runtime

import "strings"

// flagSpec is one command-line flag: its long name, its one-letter form,
// whether it is a boolean, and how its value enters the model (nil when the
// value does not matter to any rule but must still be skipped).
type flagSpec struct {
	name  string
	short string
	bool  bool
	apply applyFunc
}

// flagSet maps long and short names to specs for one CLI verb.
type flagSet map[string]*flagSpec

// add registers specs given as space-separated "long|s" names.
func (fs flagSet) add(names string, isBool bool, apply applyFunc) {
	for n := range strings.FieldsSeq(names) {
		long, short, _ := strings.Cut(n, "|")
		s := &flagSpec{name: long, short: short, bool: isBool, apply: apply}
		fs["--"+long] = s
		if short != "" {
			fs["-"+short] = s
		}
	}
}

// The flag lists follow the docker CLI v29 (cli/command/container/opts.go,
// run.go, create.go, exec.go and service/opts.go) and podman 5 run. The
// CLI's own flag set is unexported, so the names are listed here and the
// values are decoded with the CLI's exported parsers where it has them.
const (
	runIgnoredValueFlags = "add-host annotation attach|a blkio-weight blkio-weight-device cidfile " +
		"cpu-count cpu-percent cpu-rt-period cpu-rt-runtime cpuset-mems detach-keys " +
		"device-read-bps device-read-iops device-write-bps device-write-iops " +
		"dns dns-opt dns-option dns-search domainname entrypoint group-add " +
		"health-interval health-retries health-start-interval health-start-period health-timeout " +
		"hostname|h io-maxbandwidth io-maxiops ip ip6 isolation kernel-memory label|l label-file " +
		"link link-local-ip log-driver log-opt mac-address memory-swappiness network-alias " +
		"net-alias oom-score-adj platform pull runtime shm-size stop-signal stop-timeout " +
		"storage-opt umask volume-driver workdir|w"
	runIgnoredBoolFlags = "detach|d disable-content-trust help init interactive|i oom-kill-disable " +
		"quiet|q rm sig-proxy tty|t use-api-socket"

	podmanIgnoredValueFlags = "pod pod-id-file uidmap gidmap subuidname subgidname arch os variant " +
		"authfile cert-dir creds decryption-key tz passwd-entry group-entry hostuser chrootdirs " +
		"cgroup-conf cgroups conmon-pidfile pidfile preserve-fds requires sdnotify secret " +
		"seccomp-policy systemd init-path image-volume personality env-merge unsetenv retry " +
		"retry-delay health-on-failure health-log-destination health-max-log-count " +
		"health-max-log-size health-startup-cmd health-startup-interval health-startup-retries " +
		"health-startup-success health-startup-timeout timeout log-level mount-label label-file " +
		"blkio-weight-device hosts-file arch variant"
	podmanIgnoredBoolFlags = "http-proxy replace rmi read-only-tmpfs env-host unsetenv-all passwd " +
		"no-hosts tls-verify rootfs sig-proxy"

	serviceIgnoredValueFlags = "config constraint container-label credential-spec dns dns-option " +
		"dns-search endpoint-mode entrypoint generic-resource group host hostname " +
		"isolation label|l log-driver log-opt max-concurrent mode placement-pref replicas " +
		"replicas-max-per-node reserve-cpu reserve-memory restart-delay restart-window " +
		"rollback-delay rollback-failure-action rollback-max-failure-ratio rollback-monitor " +
		"rollback-order rollback-parallelism secret stop-grace-period stop-signal update-delay " +
		"update-failure-action update-max-failure-ratio update-monitor update-order " +
		"update-parallelism workdir|w health-interval health-retries health-start-period " +
		"health-start-interval health-timeout oom-score-adj"
	serviceIgnoredBoolFlags = "detach|d init no-resolve-image quiet|q tty|t with-registry-auth help"

	execIgnoredValueFlags = "detach-keys workdir|w"
	execIgnoredBoolFlags  = "detach|d interactive|i tty|t help"

	// Global flags come between "docker" and the verb.
	dockerGlobalValueFlags = "config context|c host|H log-level|l tlscacert tlscert tlskey"
	dockerGlobalBoolFlags  = "debug|D tls tlsverify help"
	podmanGlobalValueFlags = "connection|c url identity root runroot storage-driver storage-opt " +
		"cgroup-manager log-level events-backend hooks-dir module network-cmd-path " +
		"network-config-dir runtime runtime-flag tmpdir volumepath conmon imagestore ssh"
	podmanGlobalBoolFlags = "remote|r syslog noout help"
)

func newRunFlags(podman bool) flagSet {
	fs := flagSet{}
	fs.add(runIgnoredValueFlags, false, nil)
	fs.add(runIgnoredBoolFlags, true, nil)
	if podman {
		fs.add(podmanIgnoredValueFlags, false, nil)
		fs.add(podmanIgnoredBoolFlags, true, nil)
	}
	fs.add("name", false, applyName)
	fs.add("user|u", false, applyUser)
	fs.add("privileged", true, applyPrivileged)
	fs.add("read-only", true, applyReadOnly)
	fs.add("cap-add", false, applyCapAdd)
	fs.add("cap-drop", false, applyCapDrop)
	fs.add("security-opt", false, applySecurityOpt)
	fs.add("tmpfs", false, applyTmpfs)
	fs.add("mount", false, applyMount)
	fs.add("volume|v", false, applyVolume)
	fs.add("device", false, applyDevice)
	fs.add("publish|p", false, applyPublish)
	fs.add("publish-all|P", true, applyPublishAll)
	fs.add("expose", false, applyExpose)
	fs.add("env|e", false, applyEnv)
	fs.add("env-file", false, applyEnvFile)
	fs.add("volumes-from", false, applyVolumesFrom)
	fs.add("gpus", false, applyGPUs)
	fs.add("device-cgroup-rule", false, applyDeviceCgroupRule)
	fs.add("sysctl", false, applySysctl)
	fs.add("ulimit", false, applyUlimit)
	fs.add("memory|m", false, applyMemory)
	fs.add("memory-swap", false, applyMemorySwap)
	fs.add("memory-reservation", false, applyMemoryReservation)
	fs.add("cpus", false, applyCPUs)
	fs.add("cpu-quota", false, applyInt(func(c *Container) *Value[int64] { return &c.Resources.CPUQuota }))
	fs.add("cpu-period", false, applyInt(func(c *Container) *Value[int64] { return &c.Resources.CPUPeriod }))
	fs.add("cpu-shares|c", false, applyInt(func(c *Container) *Value[int64] { return &c.Resources.CPUShares }))
	fs.add("pids-limit", false, applyInt(func(c *Container) *Value[int64] { return &c.Resources.PidsLimit }))
	fs.add("cpuset-cpus", false, applyString(func(c *Container) *Value[string] { return &c.Resources.CPUSetCPUs }))
	fs.add("cgroup-parent", false, applyString(func(c *Container) *Value[string] { return &c.Resources.CgroupParent }))
	fs.add("network net", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.Network }))
	fs.add("pid", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.PID }))
	fs.add("ipc", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.IPC }))
	fs.add("uts", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.UTS }))
	fs.add("userns", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.User }))
	fs.add("cgroupns", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.Cgroup }))
	fs.add("restart", false, applyRestart)
	fs.add("health-cmd", false, applyHealthCmd)
	fs.add("no-healthcheck", true, applyNoHealthcheck)
	return fs
}

func newServiceFlags() flagSet {
	fs := flagSet{}
	fs.add(serviceIgnoredValueFlags, false, nil)
	fs.add(serviceIgnoredBoolFlags, true, nil)
	fs.add("name", false, applyName)
	fs.add("user|u", false, applyUser)
	fs.add("read-only", true, applyReadOnly)
	fs.add("cap-add", false, applyCapAdd)
	fs.add("cap-drop", false, applyCapDrop)
	fs.add("mount", false, applyMount)
	fs.add("publish|p", false, applyServicePublish)
	fs.add("env|e", false, applyEnv)
	fs.add("env-file", false, applyEnvFile)
	fs.add("sysctl", false, applySysctl)
	fs.add("ulimit", false, applyUlimit)
	fs.add("limit-memory", false, applyMemory)
	fs.add("limit-cpu", false, applyCPUs)
	fs.add("limit-pids", false, applyInt(func(c *Container) *Value[int64] { return &c.Resources.PidsLimit }))
	fs.add("network", false, applyString(func(c *Container) *Value[string] { return &c.Namespace.Network }))
	fs.add("restart-condition", false, applyRestartCondition)
	fs.add("restart-max-attempts", false, applyRestartMaxAttempts)
	fs.add("health-cmd", false, applyHealthCmd)
	fs.add("no-healthcheck", true, applyNoHealthcheck)
	return fs
}

func newExecFlags() flagSet {
	fs := flagSet{}
	fs.add(execIgnoredValueFlags, false, nil)
	fs.add(execIgnoredBoolFlags, true, nil)
	fs.add("user|u", false, applyUser)
	fs.add("privileged", true, applyPrivileged)
	fs.add("env|e", false, applyEnv)
	fs.add("env-file", false, applyEnvFile)
	return fs
}

func newGlobalFlags(podman bool) flagSet {
	fs := flagSet{}
	if podman {
		fs.add(podmanGlobalValueFlags, false, nil)
		fs.add(podmanGlobalBoolFlags, true, nil)
		return fs
	}
	fs.add(dockerGlobalValueFlags, false, nil)
	fs.add(dockerGlobalBoolFlags, true, nil)
	return fs
}

var (
	dockerRunFlags = newRunFlags(false)
	podmanRunFlags = newRunFlags(true)
	serviceFlags   = newServiceFlags()
	execFlags      = newExecFlags()
	dockerGlobals  = newGlobalFlags(false)
	podmanGlobals  = newGlobalFlags(true)
)
