package runtime

import (
	"testing"

	rt "github.com/dockward/dockward/internal/input/runtime"
)

// FuzzAudit runs every runtime rule over the containers that arbitrary
// shell text and docker inspect JSON yield; no rule may panic.
func FuzzAudit(f *testing.F) {
	for _, r := range Rules {
		f.Add([]byte(r.Bad))
		f.Add([]byte(r.Good))
	}
	f.Add([]byte(`[{"Name":"/x","HostConfig":{"Privileged":true,"PortBindings":{"80/tcp":[{"HostPort":"80"}]}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := rt.ParseScripts("f.sh", rt.ShellScripts(data))
		Audit(res.Containers, testContext)
		if cs, err := rt.ParseInspect("i.json", data); err == nil {
			Audit(cs, testContext)
		}
	})
}
