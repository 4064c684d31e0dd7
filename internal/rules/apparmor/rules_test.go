package apparmor

import "testing"

func TestInvalidProfile(t *testing.T) {
	runRuleCases(t, "AA000", []ruleCase{
		{"valid", tight, nil},
		{"missing comma", "profile app {\n  /srv/** r\n}\n", []string{`2 "/srv/** r" is missing its trailing comma`}},
		{"unknown capability", "profile app {\n  capability sys_foo,\n}\n", []string{`2 invalid capability "sys_foo"`}},
	})
}

func TestBareFile(t *testing.T) {
	runRuleCases(t, "AA001", []ruleCase{
		{"narrow paths", tight, nil},
		{"deny file is not an allow", "profile app {\n  deny file,\n}\n", nil},
		{"bare file", "profile app {\n  file,\n}\n", []string{
			"2 profile app allows every file operation on every path except what its deny rules name"}},
	})
}

func TestBareCapability(t *testing.T) {
	runRuleCases(t, "AA002", []ruleCase{
		{"named capabilities", tight, nil},
		{"bare capability", "profile app {\n  audit capability,\n}\n", []string{
			"2 profile app allows every capability the process holds"}},
	})
}

func TestBareNetwork(t *testing.T) {
	runRuleCases(t, "AA003", []ruleCase{
		{"named family", tight, nil},
		{"bare network", "profile app {\n  network,\n}\n", []string{
			"2 profile app allows sockets of every address family and type"}},
	})
}

func TestMountAllowed(t *testing.T) {
	runRuleCases(t, "AA004", []ruleCase{
		{"no mount", tight, nil},
		{"deny mount", "profile app {\n  deny mount,\n}\n", nil},
		{"bare mount", "profile app {\n  mount,\n}\n", []string{"2 profile app allows mount: any file system anywhere"}},
		{"remount with options", "profile app {\n  remount options=(ro) /,\n}\n", []string{
			"2 profile app allows remount: options=(ro) /"}},
	})
}

func TestProcSysWritable(t *testing.T) {
	runRuleCases(t, "AA005", []ruleCase{
		{"no writes", tight, nil},
		{"writes denied", "@{PROC}=/proc/\nprofile app {\n  /** rw,\n  deny @{PROC}/sys/** w,\n" +
			"  deny @{PROC}/sysrq-trigger rwklx,\n  deny /sys/** wklx,\n}\n", nil},
		{"everything writable", "profile app {\n  /** rw,\n}\n", []string{
			"2 profile app allows writes to /proc/sys/kernel/core_pattern, /proc/sysrq-trigger, " +
				"/proc/sys/vm/drop_caches, /sys/kernel/uevent_helper, /sys/power/state"}},
		{"only sys left", "@{PROC}=/proc/\nprofile app {\n  file,\n  deny @{PROC}/** w,\n}\n", []string{
			"3 profile app allows writes to /sys/kernel/uevent_helper, /sys/power/state"}},
	})
}

func TestUnconfinedExec(t *testing.T) {
	runRuleCases(t, "AA006", []ruleCase{
		{"inherit", tight, nil},
		{"profile transition", "profile app {\n  /usr/bin/helper Px -> helper,\n}\n", nil},
		{"change to a named profile", "profile app {\n  change_profile -> app//worker,\n}\n", nil},
		{"change to unconfined", "profile app {\n  change_profile -> unconfined,\n  change_profile,\n}\n", []string{
			"2 profile app allows change_profile -> unconfined, which leaves confinement",
			"3 profile app allows change_profile to any profile, unconfined included"}},
		{"unconfined", "profile app {\n  /usr/bin/helper Ux,\n  /usr/bin/tool pux,\n}\n", []string{
			"2 profile app runs /usr/bin/helper with Ux, which can execute it unconfined",
			"3 profile app runs /usr/bin/tool with pux, which can execute it unconfined"}},
	})
}

func TestBroadPtrace(t *testing.T) {
	runRuleCases(t, "AA007", []ruleCase{
		{"own profile", tight, nil},
		{"traced by others only", "profile app {\n  ptrace (tracedby) peer=unconfined,\n}\n", nil},
		{"any peer", "profile app {\n  ptrace,\n}\n", []string{"2 profile app allows ptrace (all access) of any process"}},
		{"unconfined peer", "profile app {\n  ptrace (trace) peer=unconfined,\n}\n", []string{
			"2 profile app allows ptrace (trace) of unconfined"}},
	})
}

func TestNameMismatch(t *testing.T) {
	tests := []struct {
		name    string
		runtime string
		want    []string
	}{
		{"same name", "app", nil},
		{"kubernetes localhost prefix", "localhost/app", nil},
		{"child profile", "app//worker", nil},
		{"other name", "nginx", []string{`2 the runtime uses profile "nginx", but the file declares "app", "worker"`}},
	}
	text := "@{PROC}=/proc/\nprofile app {\n  /srv/** r,\n  profile worker {\n    /srv/** r,\n  }\n}\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := noIncludes
			opts.Name = tt.runtime
			fs, _, err := Lint("p", []byte(text), opts)
			if err != nil {
				t.Fatal(err)
			}
			got := messagesOf(fs, "AA008")
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("AA008 = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWeakerThanDefault(t *testing.T) {
	runRuleCases(t, "AA009", []ruleCase{
		{"narrow profile", tight, nil},
		{"broad with the default's denies", `@{PROC}=/proc/
profile app {
  file,
  deny mount,
  deny @{PROC}/* w,
  deny @{PROC}/sys/** w,
  deny @{PROC}/sysrq-trigger rwklx,
  deny @{PROC}/kcore rwklx,
  deny /sys/firmware/** rwklx,
  deny /sys/kernel/** rwklx,
  deny /sys/devices/virtual/powercap/** rwklx,
}
`, nil},
		{"complain mode", "profile app flags=(attach_disconnected, complain) {\n  /srv/** r,\n}\n", []string{
			"1 profile app has flags=(complain), so it enforces none of the denials of Docker's default profile"}},
		{"broad without denies", "profile app {\n  file,\n  mount,\n}\n", []string{
			"1 profile app allows what Docker's default profile denies: mount, write /proc/sys/net/ipv4/ip_forward, " +
				"write /proc/sys/kernel/core_pattern, write /proc/sysrq-trigger, write /proc/timer_list, read /proc/kcore, " +
				"read /sys/firmware/**, read /sys/kernel/security/**, read /sys/devices/virtual/powercap/**, write /sys/kernel/**"}},
	})
}
