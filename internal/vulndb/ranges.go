package vulndb

import (
	"slices"

	"github.com/dockward/dockward/internal/vulndb/version"
)

// comparers holds the comparisons of one ecosystem for a matching run:
// its own order and SemVer for SEMVER ranges, both caching parsed
// versions.
type comparers struct {
	scheme version.Scheme
	eco    version.Compare
	semver version.Compare
}

func newComparers(s version.Scheme) *comparers {
	return &comparers{scheme: s, eco: s.Cached(), semver: version.SemVer.Cached()}
}

// affects reports whether version v is affected by the entry, and lists
// the fixed versions above v of the ranges that contain it, lowest first.
// An event whose version does not parse is skipped; an unparsable v is an
// error.
func affects(e *Entry, c *comparers, v string) (bool, []string, error) {
	if _, err := c.eco(v, v); err != nil {
		return false, nil, err
	}
	hit := false
	var fixed []string
	for _, rg := range e.Ranges {
		cmp := c.eco
		// Go's order is SemVer with its own spellings; other ecosystems'
		// SEMVER ranges use plain SemVer.
		if rg.Type == "SEMVER" && c.scheme.Name != version.Go.Name {
			cmp = c.semver
		}
		in, fx := inRange(rg.Events, cmp, v)
		if in {
			hit = true
			fixed = append(fixed, fx...)
		}
	}
	if !hit {
		hit = listed(e, c.eco, v)
	}
	if !hit {
		return false, nil, nil
	}
	slices.SortFunc(fixed, func(a, b string) int {
		r, _ := c.eco(a, b)
		return r
	})
	return true, slices.Compact(fixed), nil
}

// listed reports whether v is in the entry's explicit versions. Records
// that also have ranges list the same versions in their own spelling, so
// only an exact match counts there. Without ranges, equivalent spellings
// (1.1 and 1.1.0 in PEP 440) count too.
func listed(e *Entry, cmp version.Compare, v string) bool {
	if slices.Contains(e.Versions, v) {
		return true
	}
	if len(e.Ranges) > 0 {
		return false
	}
	for _, l := range e.Versions {
		if r, err := cmp(l, v); err == nil && r == 0 {
			return true
		}
	}
	return false
}

// inRange evaluates OSV range events for v. The events are ordered by
// version ("0" first) and walked. An introduced event at or below v opens
// the range, and a fixed event at or below v or a last_affected event
// below v closes it. A version at or above every limit event is outside
// the range.
func inRange(events []Event, cmp version.Compare, v string) (bool, []string) {
	var points []point
	var limits []string
	for _, e := range events {
		switch {
		case e.Introduced != "":
			if e.Introduced == "0" {
				points = append(points, point{"introduced", ""})
			} else if validFor(cmp, e.Introduced) {
				points = append(points, point{"introduced", e.Introduced})
			}
		case e.Fixed != "" && validFor(cmp, e.Fixed):
			points = append(points, point{"fixed", e.Fixed})
		case e.LastAffected != "" && validFor(cmp, e.LastAffected):
			points = append(points, point{"last_affected", e.LastAffected})
		case e.Limit == "*":
		case e.Limit != "" && validFor(cmp, e.Limit):
			limits = append(limits, e.Limit)
		}
	}
	slices.SortStableFunc(points, func(a, b point) int {
		switch {
		case a.ver == "" && b.ver == "":
			return 0
		case a.ver == "":
			return -1
		case b.ver == "":
			return 1
		}
		c, _ := cmp(a.ver, b.ver)
		return c
	})

	affected := false
	var fixedAbove []string
	for i, p := range points {
		c := 1
		if p.ver != "" {
			c, _ = cmp(v, p.ver)
		}
		switch p.kind {
		case "introduced":
			if c >= 0 {
				affected = true
				fixedAbove = nextFixed(points[i+1:])
			}
		case "fixed":
			if c >= 0 {
				affected = false
			}
		case "last_affected":
			if c > 0 {
				affected = false
			}
		}
	}
	if !affected {
		return false, nil
	}
	if len(limits) > 0 {
		below := false
		for _, l := range limits {
			if c, _ := cmp(v, l); c < 0 {
				below = true
			}
		}
		if !below {
			return false, nil
		}
	}
	return true, fixedAbove
}

// point is one range event with a comparable version; "" stands for the
// introduced version "0", which is below every version.
type point struct {
	kind string
	ver  string
}

// nextFixed returns the version of the first fixed event in points, which
// closes the range that the preceding introduced event opened.
func nextFixed(points []point) []string {
	for _, p := range points {
		switch p.kind {
		case "fixed":
			return []string{p.ver}
		case "introduced":
			return nil
		}
	}
	return nil
}

func validFor(cmp version.Compare, v string) bool {
	_, err := cmp(v, v)
	return err == nil
}
