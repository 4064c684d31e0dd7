// Package eol records when distributions and language runtimes used as base
// images stop receiving security updates. The Dockerfile rules read it for
// base image tags and the image rules for os-release; both take the date to
// compare against from their caller, so tests can set the clock.
package eol

import (
	"cmp"
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed data.yaml
var dataYAML []byte

// Entry is one release cycle of one product.
type Entry struct {
	Product  string `yaml:"product"`
	Cycle    string `yaml:"cycle"`
	Codename string `yaml:"codename"`
	EOL      Date   `yaml:"eol"`
	Source   string `yaml:"source"`

	// Before is set for a release older than every entry of its product:
	// it is the oldest entry, whose end of life bounds this one's.
	Before *Entry `yaml:"-"`
}

// Date is a calendar day.
type Date struct{ time.Time }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: invalid date %q", n.Line, n.Value)
	}
	d.Time = t
	return nil
}

// Ended reports whether the cycle's support ended before now.
func (e Entry) Ended(now time.Time) bool { return !now.Before(e.EOL.AddDate(0, 0, 1)) }

// Name returns the product and cycle as people write them: "Debian 10
// (buster)", or "Go 1.18 (older than Go 1.19)" for a release before the
// table starts.
func (e Entry) Name() string {
	if e.Before != nil {
		return displayNames[e.Product] + " " + e.Cycle + " (older than " + e.Before.Name() + ")"
	}
	name := displayNames[e.Product] + " " + e.Cycle
	if e.Codename != "" {
		name += " (" + e.Codename + ")"
	}
	return name
}

var displayNames = map[string]string{
	"debian": "Debian", "ubuntu": "Ubuntu", "alpine": "Alpine Linux", "centos": "CentOS",
	"fedora": "Fedora", "amazonlinux": "Amazon Linux", "python": "Python", "node": "Node.js",
	"golang": "Go", "postgres": "PostgreSQL", "ruby": "Ruby", "php": "PHP",
}

var (
	loadOnce sync.Once
	entries  []Entry
)

// All returns every entry of the table.
func All() []Entry {
	loadOnce.Do(func() {
		var doc struct {
			Entries []Entry `yaml:"entries"`
		}
		if err := yaml.Unmarshal(dataYAML, &doc); err != nil {
			panic(fmt.Sprintf("eol: embedded data.yaml: %v", err))
		}
		entries = doc.Entries
	})
	return entries
}

// Lookup finds a product's cycle by version ("10", "3.8") or codename.
func Lookup(product, cycle string) (Entry, bool) {
	for _, e := range All() {
		if e.Product == product && (e.Cycle == cycle || (e.Codename != "" && e.Codename == cycle)) {
			return e, true
		}
	}
	return Entry{}, false
}

// ForOS finds the entry of an os-release ID and VERSION_ID, such as
// "debian" and "10" or "alpine" and "3.15.4". A numeric release older than
// the oldest entry of its distribution gets an entry whose Before field
// names that oldest entry, as ForImage does for image tags.
func ForOS(id, versionID string) (Entry, bool) {
	id = strings.ToLower(id)
	switch id {
	case "alpine":
		versionID = majorMinor(versionID)
	case "centos", "fedora", "amzn", "debian":
		if id == "amzn" {
			id = "amazonlinux"
			// Amazon Linux 1 (the Amazon Linux AMI) numbers its releases
			// by date, such as VERSION_ID="2018.03".
			if amazonLinux1.MatchString(versionID) {
				versionID = "1"
			}
		}
		versionID, _, _ = strings.Cut(versionID, ".")
	}
	if !dottedNumber.MatchString(versionID) {
		return Lookup(id, versionID)
	}
	return lookupOrOlder(id, versionID)
}

var amazonLinux1 = regexp.MustCompile(`^20[01][0-9]\.[0-9]+$`)

// ProductName returns the product as people write it, such as "Debian" or
// "Alpine Linux".
func (e Entry) ProductName() string { return displayNames[e.Product] }

// imageProducts maps official image names to products.
var imageProducts = map[string]string{
	"debian": "debian", "ubuntu": "ubuntu", "alpine": "alpine", "centos": "centos",
	"fedora": "fedora", "amazonlinux": "amazonlinux", "python": "python", "node": "node",
	"golang": "golang", "postgres": "postgres", "ruby": "ruby", "php": "php",
}

// variant tags name the distribution an official language image is built on.
var (
	alpineVariant = regexp.MustCompile(`(?:^|-)alpine(3\.[0-9]+)`)
	versionPrefix = regexp.MustCompile(`^v?([0-9]+(?:\.[0-9]+)?)`)
)

// ForImage returns the entries that describe an image reference's name and
// tag: "python:3.8-slim-buster" gives Python 3.8 and Debian 10. The name is
// the repository path without registry, such as "library/python" or
// "python".
func ForImage(repository, tag string) []Entry {
	name := repository
	if i := strings.LastIndex(name, "/"); i >= 0 {
		ns := name[:i]
		if ns != "library" && !strings.HasSuffix(ns, "/library") {
			return nil
		}
		name = name[i+1:]
	}
	product, ok := imageProducts[name]
	if !ok || tag == "" {
		return nil
	}
	var out []Entry
	if e, ok := productFromTag(product, tag); ok {
		out = append(out, e)
	}
	if product != "debian" && product != "ubuntu" && product != "alpine" {
		out = append(out, variantDistro(tag)...)
	}
	return out
}

// lookupOrOlder finds a cycle, or reports a cycle older than the oldest
// entry of its product as ended no later than that entry.
func lookupOrOlder(product, cycle string) (Entry, bool) {
	if e, ok := Lookup(product, cycle); ok {
		return e, true
	}
	var oldest *Entry
	for _, e := range All() {
		if e.Product == product && (oldest == nil || compareCycles(e.Cycle, oldest.Cycle) < 0) {
			e := e
			oldest = &e
		}
	}
	if oldest == nil || compareCycles(cycle, oldest.Cycle) >= 0 {
		return Entry{}, false
	}
	return Entry{Product: product, Cycle: cycle, EOL: oldest.EOL, Source: oldest.Source, Before: oldest}, true
}

// compareCycles orders dotted numeric release cycles: "1.9" < "1.10".
// A part that is not a number compares as zero.
func compareCycles(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return 0
}

func productFromTag(product, tag string) (Entry, bool) {
	first, _, _ := strings.Cut(tag, "-")
	if e, ok := Lookup(product, first); ok { // codename tags: buster, focal
		return e, true
	}
	m := versionPrefix.FindStringSubmatch(tag)
	if m == nil {
		return Entry{}, false
	}
	v := m[1]
	switch product {
	case "debian", "centos", "fedora", "amazonlinux", "node", "postgres":
		if (product == "postgres" && strings.HasPrefix(v, "9.")) || (product == "node" && strings.HasPrefix(v, "0.")) {
			return Lookup(product, v)
		}
		v, _, _ = strings.Cut(v, ".")
	}
	if !dottedNumber.MatchString(v) {
		return Lookup(product, v)
	}
	return lookupOrOlder(product, v)
}

var dottedNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)

func variantDistro(tag string) []Entry {
	var out []Entry
	for _, part := range strings.Split(tag, "-") {
		for _, p := range []string{"debian", "ubuntu"} {
			if e, ok := Lookup(p, part); ok && e.Codename == part {
				out = append(out, e)
			}
		}
	}
	if m := alpineVariant.FindStringSubmatch(tag); m != nil {
		if e, ok := lookupOrOlder("alpine", m[1]); ok {
			out = append(out, e)
		}
	}
	return out
}

func majorMinor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}
