package seccomp

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// decoder turns a node tree into a Profile and records type errors.
type decoder struct {
	errs    []*FieldError
	unknown []UnknownKey
}

// Keys each object of a profile may have.
var (
	// defaultErrno and errno are the errno names that containers/common
	// (podman, CRI-O) reads beside the numeric fields.
	profileKeys = []string{"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap",
		"syscalls", "flags", "listenerPath", "listenerMetadata", "baseProfileName", "disabled"}
	ruleKeys    = []string{"names", "name", "action", "errnoRet", "errno", "args", "includes", "excludes", "comment"}
	argKeys     = []string{"index", "value", "valueTwo", "op"}
	filterKeys  = []string{"caps", "arches", "minKernel"}
	archMapKeys = []string{"architecture", "subArchitectures"}
)

// checkKeys records the keys of n that are not in known.
func (d *decoder) checkKeys(n *node, known []string) {
	for _, f := range n.fields {
		if !slices.Contains(known, f.key) {
			d.unknown = append(d.unknown, UnknownKey{Key: f.key, Known: known, Pos: f.keyPos})
		}
	}
}

func (d *decoder) fail(n *node, field, format string, args ...any) {
	d.errs = append(d.errs, &FieldError{Pos: n.pos, Field: field, Reason: fmt.Sprintf(format, args...)})
}

func decodeProfile(n *node, format Format) *Profile {
	d := &decoder{}
	p := &Profile{Format: format, Pos: n.pos}
	d.checkKeys(n, profileKeys)
	for _, f := range n.fields {
		v := f.value
		switch f.key {
		case "defaultAction":
			p.DefaultAction = d.str(v, f.key)
		case "defaultErrnoRet":
			p.DefaultErrnoRet = d.errno(v, f.key)
		case "architectures":
			p.Architectures = d.strs(v, f.key)
		case "archMap":
			p.ArchMap = d.archMap(v)
		case "syscalls":
			p.Syscalls = d.rules(v)
		case "flags":
			p.Flags = d.strs(v, f.key)
		case "listenerPath":
			p.ListenerPath = d.str(v, f.key)
		case "baseProfileName":
			p.BaseProfileName = d.str(v, f.key)
		}
	}
	p.Errors = d.errs
	p.UnknownKeys = d.unknown
	return p
}

func (d *decoder) str(n *node, field string) String {
	switch n.kind {
	case kindString:
		return String{Value: n.text, Pos: n.pos}
	case kindNull:
		return String{Pos: n.pos}
	}
	d.fail(n, field, "must be a string, not %s", describe(n.kind))
	return String{Pos: n.pos}
}

func (d *decoder) strs(n *node, field string) []String {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindArray {
		d.fail(n, field, "must be an array of strings, not %s", describe(n.kind))
		return nil
	}
	out := make([]String, 0, len(n.items))
	for _, item := range n.items {
		out = append(out, d.str(item, field))
	}
	return out
}

func (d *decoder) number(n *node, field string, max uint64) Number {
	switch n.kind {
	case kindNull:
		return Number{Pos: n.pos}
	case kindNumber:
		v, err := strconv.ParseUint(n.text, 0, 64)
		if err != nil || v > max {
			d.fail(n, field, "must be an integer from 0 to %d, not %s", max, n.text)
			return Number{Pos: n.pos}
		}
		return Number{Value: v, Pos: n.pos}
	}
	d.fail(n, field, "must be a non-negative integer, not %s", describe(n.kind))
	return Number{Pos: n.pos}
}

// errno reads errnoRet or defaultErrnoRet. Runtimes decode them as
// unsigned integers, so the name of an errno is invalid; the message gives
// its number.
func (d *decoder) errno(n *node, field string) *Number {
	if n.kind == kindNull {
		return nil
	}
	if n.kind == kindString {
		hint := ""
		if e, ok := errnoNumber(n.text); ok {
			hint = fmt.Sprintf(": write %d for %s", e, strings.ToUpper(n.text))
		}
		d.fail(n, field, "must be a non-negative integer, not the string %q%s", n.text, hint)
		return nil
	}
	v := d.number(n, field, math.MaxUint32)
	return &v
}

func (d *decoder) archMap(n *node) []ArchMap {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindArray {
		d.fail(n, "archMap", "must be an array of objects, not %s", describe(n.kind))
		return nil
	}
	var out []ArchMap
	for _, item := range n.items {
		if item.kind != kindObject {
			d.fail(item, "archMap", "entries must be objects, not %s", describe(item.kind))
			continue
		}
		am := ArchMap{Pos: item.pos}
		d.checkKeys(item, archMapKeys)
		for _, f := range item.fields {
			switch f.key {
			case "architecture":
				am.Arch = d.str(f.value, "archMap.architecture")
			case "subArchitectures":
				am.SubArches = d.strs(f.value, "archMap.subArchitectures")
			}
		}
		out = append(out, am)
	}
	return out
}

func (d *decoder) rules(n *node) []*Rule {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindArray {
		d.fail(n, "syscalls", "must be an array of rules, not %s", describe(n.kind))
		return nil
	}
	out := make([]*Rule, 0, len(n.items))
	for _, item := range n.items {
		if item.kind != kindObject {
			d.fail(item, "syscalls", "rules must be objects, not %s", describe(item.kind))
			continue
		}
		out = append(out, d.rule(item))
	}
	return out
}

func (d *decoder) rule(n *node) *Rule {
	r := &Rule{Pos: n.pos}
	d.checkKeys(n, ruleKeys)
	for _, f := range n.fields {
		v := f.value
		switch f.key {
		case "names":
			r.HasNames = true
			r.Names = append(r.Names, d.strs(v, "names")...)
		case "name":
			name := d.str(v, "name")
			if name.Value != "" {
				r.HasNames = true
				r.Legacy = true
				r.Names = append(r.Names, name)
			}
		case "action":
			r.Action = d.str(v, "action")
		case "errnoRet":
			r.ErrnoRet = d.errno(v, "errnoRet")
		case "args":
			r.Args = d.args(v)
		case "includes":
			r.Includes = d.filter(v, "includes")
		case "excludes":
			r.Excludes = d.filter(v, "excludes")
		case "comment":
			r.Comment = d.str(v, "comment").Value
		}
	}
	return r
}

func (d *decoder) args(n *node) []Arg {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindArray {
		d.fail(n, "args", "must be an array of objects, not %s", describe(n.kind))
		return nil
	}
	var out []Arg
	for _, item := range n.items {
		if item.kind != kindObject {
			d.fail(item, "args", "entries must be objects, not %s", describe(item.kind))
			continue
		}
		a := Arg{Pos: item.pos, Index: Number{Pos: item.pos}, Op: String{Pos: item.pos}}
		d.checkKeys(item, argKeys)
		for _, f := range item.fields {
			switch f.key {
			case "index":
				a.Index = d.number(f.value, "args.index", math.MaxUint32)
			case "value":
				a.Value = d.number(f.value, "args.value", math.MaxUint64)
			case "valueTwo":
				a.ValueTwo = d.number(f.value, "args.valueTwo", math.MaxUint64)
			case "op":
				a.Op = d.str(f.value, "args.op")
			}
		}
		out = append(out, a)
	}
	return out
}

func (d *decoder) filter(n *node, field string) *Filter {
	if n.kind == kindNull {
		return nil
	}
	if n.kind != kindObject {
		d.fail(n, field, "must be an object, not %s", describe(n.kind))
		return nil
	}
	flt := &Filter{Pos: n.pos}
	d.checkKeys(n, filterKeys)
	for _, f := range n.fields {
		switch f.key {
		case "caps":
			flt.Caps = d.strs(f.value, field+".caps")
		case "arches":
			flt.Arches = d.strs(f.value, field+".arches")
		case "minKernel":
			flt.MinKernel = d.str(f.value, field+".minKernel")
		}
	}
	return flt
}

func describe(k nodeKind) string {
	switch k {
	case kindNull:
		return "null"
	case kindArray, kindObject:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// errnoNumber returns the number of an errno name such as "EPERM".
func errnoNumber(name string) (uint, bool) {
	name = strings.ToUpper(strings.TrimSpace(name))
	for e := syscall.Errno(1); e < 4096; e++ {
		if unix.ErrnoName(e) == name {
			return uint(e), true
		}
	}
	return 0, false
}
