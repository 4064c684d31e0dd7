package runtime

import (
	rt "github.com/dockward/dockward/internal/input/runtime"
)

// checkHostNamespace reports a namespace mode of "host".
func checkHostNamespace(v rt.Value[string], e *emitter, flag, compose, kube string) {
	if v.Unknown {
		e.unresolved(v.Pos, "the %s namespace mode comes from %s, so it may be host",
			nsName(flag), unresolvedText(v.Raw))
		return
	}
	if !rt.Is(v, "host") {
		return
	}
	e.at(v.Pos, "the container shares the host's %s namespace (%s)", nsName(flag),
		cli(e.c, "--"+flag+"=host", compose, kube))
}

func nsName(flag string) string {
	switch flag {
	case "network":
		return "network"
	case "pid":
		return "PID"
	case "ipc":
		return "IPC"
	case "uts":
		return "UTS"
	case "userns":
		return "user"
	case "cgroupns":
		return "cgroup"
	}
	return flag
}
