package vulndb

import (
	"encoding/binary"
	"errors"
	"time"
)

// The packages bucket stores, per package, only what matching reads:
// advisory IDs, ranges, listed versions and Go symbols, in a compact
// binary form that decodes several times faster than JSON. The rest of
// an advisory is in the details bucket, in the same form, and is read
// only for hits.
//
// Layout, with every count and string length as a uvarint:
//
//	entries: count, then per entry
//	  id
//	  ranges: count, then per range: type, events (count, then kind byte and version)
//	  versions: count, then each version
//	  imports: count, then per import: path, symbols, goos and goarch
//	    (each a count, then each string)

const (
	eventIntroduced byte = iota
	eventFixed
	eventLastAffected
	eventLimit
)

var errTruncated = errors.New("truncated package record")

type encoder struct{ b []byte }

func (e *encoder) uint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) str(s string) {
	e.uint(len(s))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func encodeMatchData(entries []*Entry) []byte {
	var e encoder
	e.uint(len(entries))
	for _, en := range entries {
		e.str(en.ID)
		e.uint(len(en.Ranges))
		for _, r := range en.Ranges {
			e.str(r.Type)
			e.uint(len(r.Events))
			for _, ev := range r.Events {
				kind, v := eventKind(ev)
				e.b = append(e.b, kind)
				e.str(v)
			}
		}
		e.strs(en.Versions)
		e.uint(len(en.Imports))
		for _, imp := range en.Imports {
			e.str(imp.Path)
			e.strs(imp.Symbols)
			e.strs(imp.GOOS)
			e.strs(imp.GOARCH)
		}
	}
	return e.b
}

func eventKind(ev Event) (byte, string) {
	switch {
	case ev.Introduced != "":
		return eventIntroduced, ev.Introduced
	case ev.Fixed != "":
		return eventFixed, ev.Fixed
	case ev.LastAffected != "":
		return eventLastAffected, ev.LastAffected
	}
	return eventLimit, ev.Limit
}

// decoder reads from one string copy of the stored bytes, so decoded
// strings share it instead of allocating each.
type decoder struct {
	s   string
	err error
}

func (d *decoder) uint() int {
	if d.err != nil {
		return 0
	}
	var n uint64
	var shift uint
	for i := 0; i < len(d.s); i++ {
		c := d.s[i]
		if shift >= 63 {
			break
		}
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			d.s = d.s[i+1:]
			if n > uint64(len(d.s)) {
				d.err = errTruncated
				return 0
			}
			return int(n)
		}
		shift += 7
	}
	d.err = errTruncated
	return 0
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.s) == 0 {
		d.err = errTruncated
		return 0
	}
	c := d.s[0]
	d.s = d.s[1:]
	return c
}

func (d *decoder) str() string {
	n := d.uint()
	if d.err != nil || n > len(d.s) {
		d.err = errTruncated
		return ""
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

func (d *decoder) strs() []string {
	n := d.uint()
	if n == 0 || d.err != nil {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func decodeMatchData(b []byte) ([]Entry, error) {
	d := &decoder{s: string(b)}
	out := make([]Entry, d.uint())
	for i := range out {
		e := &out[i]
		e.ID = d.str()
		if n := d.uint(); n > 0 && d.err == nil {
			e.Ranges = make([]Range, n)
			for j := range e.Ranges {
				e.Ranges[j] = d.rng()
			}
		}
		e.Versions = d.strs()
		if n := d.uint(); n > 0 && d.err == nil {
			e.Imports = make([]ImportSymbols, n)
			for j := range e.Imports {
				e.Imports[j] = ImportSymbols{Path: d.str(), Symbols: d.strs(), GOOS: d.strs(), GOARCH: d.strs()}
			}
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	return out, d.err
}

func (d *decoder) rng() Range {
	r := Range{Type: d.str()}
	n := d.uint()
	if d.err != nil {
		return r
	}
	r.Events = make([]Event, n)
	for i := range r.Events {
		kind, v := d.byte(), d.str()
		switch kind {
		case eventIntroduced:
			r.Events[i].Introduced = v
		case eventFixed:
			r.Events[i].Fixed = v
		case eventLastAffected:
			r.Events[i].LastAffected = v
		default:
			r.Events[i].Limit = v
		}
	}
	return r
}

// encodeDetails writes the descriptive fields of an entry: aliases,
// summary, published and modified times (Unix seconds, 0 for none),
// severities as type and score pairs, rating, references and the package
// name.
func encodeDetails(e *Entry) []byte {
	var en encoder
	en.strs(e.Aliases)
	en.str(e.Summary)
	en.time(e.Published)
	en.time(e.Modified)
	en.uint(len(e.Severity))
	for _, s := range e.Severity {
		en.str(s.Type)
		en.str(s.Score)
	}
	en.str(e.Rating)
	en.strs(e.References)
	en.str(e.Package)
	return en.b
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = binary.AppendVarint(e.b, 0)
		return
	}
	e.b = binary.AppendVarint(e.b, t.Unix())
}

func (d *decoder) time() time.Time {
	if d.err != nil {
		return time.Time{}
	}
	n, k := binary.Varint([]byte(d.s[:min(len(d.s), binary.MaxVarintLen64)]))
	if k <= 0 {
		d.err = errTruncated
		return time.Time{}
	}
	d.s = d.s[k:]
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

func decodeDetails(b []byte, e *Entry) error {
	d := &decoder{s: string(b)}
	e.Aliases = d.strs()
	e.Summary = d.str()
	e.Published = d.time()
	e.Modified = d.time()
	if n := d.uint(); n > 0 && d.err == nil {
		e.Severity = make([]Severity, n)
		for i := range e.Severity {
			e.Severity[i] = Severity{Type: d.str(), Score: d.str()}
		}
	}
	e.Rating = d.str()
	e.References = d.strs()
	e.Package = d.str()
	return d.err
}
