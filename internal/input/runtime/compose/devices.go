package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/moby/api/types/container"

	"github.com/dockward/dockward/internal/input/runtime"
)

// deviceAccess maps the keys that give a service host devices beyond
// devices: GPU requests, device reservations and device cgroup rules.
func (l *load) deviceAccess(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	l.deviceRequests(c, svc.Gpus, s, "gpus")
	if svc.Deploy != nil && svc.Deploy.Resources.Reservations != nil {
		l.deviceRequests(c, svc.Deploy.Resources.Reservations.Devices, s,
			"deploy", "resources", "reservations", "devices")
	}
	items := s.items("device_cgroup_rules")
	for _, r := range svc.DeviceCgroupRules {
		it, _ := s.match(items, func(e string, _ item) bool { return e == r })
		c.AddDeviceCgroupRule(r, s.l.vars.unresolved(it.raw), s.itemPos(it))
	}
}

// deviceRequests maps device requests in list order. Compose reserves
// every matching device when neither count nor device_ids is set.
func (l *load) deviceRequests(c *runtime.Container, reqs []types.DeviceRequest, s *service, keys ...string) {
	items := s.items(keys...)
	for i, d := range reqs {
		pos := s.pos(s.find(keys...))
		raw := ""
		if i < len(items) {
			pos, raw = s.itemPos(items[i]), rawText(items[i].value)
		}
		count := int(d.Count)
		if count == 0 && len(d.IDs) == 0 {
			count = -1
		}
		req := container.DeviceRequest{Driver: d.Driver, Count: count, DeviceIDs: d.IDs}
		if len(d.Capabilities) > 0 {
			req.Capabilities = [][]string{d.Capabilities}
		}
		c.AddAPIDeviceRequest(req, strings.TrimSpace(raw), pos)
		if s.l.vars.unresolved(raw) {
			c.DeviceRequests[len(c.DeviceRequests)-1].Unknown = true
		}
	}
}

// volumesFrom records volumes_from. An entry that names another service
// needs no note, because that service's own mounts are audited where it
// is defined. A container: entry names a container outside the file.
func (l *load) volumesFrom(c *runtime.Container, svc *types.ServiceConfig, s *service) {
	items := s.items("volumes_from")
	for _, v := range svc.VolumesFrom {
		it, _ := s.match(items, func(e string, _ item) bool { return e == v })
		val := runtime.Of(v, it.raw, s.itemPos(it))
		if s.l.vars.unresolved(it.raw) {
			val = runtime.UnknownAt[string](it.raw, s.itemPos(it))
		}
		c.VolumesFrom = append(c.VolumesFrom, val)
		name, ok := strings.CutPrefix(v, "container:")
		if !ok && !val.Unknown {
			continue
		}
		name = strings.TrimSuffix(strings.TrimSuffix(name, ":ro"), ":rw")
		c.NoteHiddenMounts(val.Pos, "container "+name)
	}
}
