package pkgdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// RPM header tags and types that the cataloger reads (rpm's
// include/rpm/rpmtag.h).
const (
	rpmTagName      = 1000
	rpmTagVersion   = 1001
	rpmTagRelease   = 1002
	rpmTagEpoch     = 1003
	rpmTagVendor    = 1011
	rpmTagLicense   = 1014
	rpmTagArch      = 1022
	rpmTagSourceRPM = 1044

	rpmTypeInt32       = 4
	rpmTypeString      = 6
	rpmTypeStringArray = 8
	rpmTypeI18NString  = 9
)

// maxRPMHeaderEntries is rpm's own limit on index entries (HEADER_TAGS_MAX).
const maxRPMHeaderEntries = 0xffff

// rpmHeader is a decoded header blob as rpm stores it in its databases:
// the index-entry count and data length (big-endian), the 16-byte index
// entries, then the data store.
type rpmHeader struct {
	entries map[int32]rpmIndexEntry
	store   []byte
}

type rpmIndexEntry struct {
	typ    uint32
	offset uint32
	count  uint32
}

func parseRPMHeader(blob []byte) (*rpmHeader, error) {
	if len(blob) < 8 {
		return nil, fmt.Errorf("rpm header of %d bytes is shorter than its 8-byte preamble", len(blob))
	}
	il := binary.BigEndian.Uint32(blob[0:4])
	dl := binary.BigEndian.Uint32(blob[4:8])
	if il == 0 || il > maxRPMHeaderEntries {
		return nil, fmt.Errorf("rpm header has %d index entries: expected 1 to %d", il, maxRPMHeaderEntries)
	}
	need := 8 + 16*uint64(il) + uint64(dl)
	if need > uint64(len(blob)) {
		return nil, fmt.Errorf("rpm header needs %d bytes but the blob has %d", need, len(blob))
	}

	storeStart := 8 + 16*int(il)
	h := &rpmHeader{entries: make(map[int32]rpmIndexEntry, il), store: blob[storeStart : storeStart+int(dl)]}
	for i := range int(il) {
		b := blob[8+16*i:]
		tag := int32(binary.BigEndian.Uint32(b[0:4]))
		e := rpmIndexEntry{
			typ:    binary.BigEndian.Uint32(b[4:8]),
			offset: binary.BigEndian.Uint32(b[8:12]),
			count:  binary.BigEndian.Uint32(b[12:16]),
		}
		if e.offset >= dl {
			continue // region trailers and damaged entries point past the store
		}
		h.entries[tag] = e
	}
	return h, nil
}

// str returns the first string of a string-typed tag.
func (h *rpmHeader) str(tag int32) string {
	e, ok := h.entries[tag]
	if !ok {
		return ""
	}
	switch e.typ {
	case rpmTypeString, rpmTypeStringArray, rpmTypeI18NString:
	default:
		return ""
	}
	data := h.store[e.offset:]
	if i := bytes.IndexByte(data, 0); i >= 0 {
		data = data[:i]
	}
	return string(data)
}

// int32Value returns the first value of an INT32 tag.
func (h *rpmHeader) int32Value(tag int32) (int32, bool) {
	e, ok := h.entries[tag]
	if !ok || e.typ != rpmTypeInt32 || e.count == 0 || uint64(e.offset)+4 > uint64(len(h.store)) {
		return 0, false
	}
	return int32(binary.BigEndian.Uint32(h.store[e.offset:])), true
}

// errRPMPseudo marks headers that describe no software, such as the
// gpg-pubkey entries rpm keeps for imported signing keys.
var errRPMPseudo = errors.New("pseudo package")

// rpmPackage turns a header blob into a Package. The version is
// "epoch:version-release", without "epoch:" when the epoch is unset or 0.
func rpmPackage(blob []byte) (Package, error) {
	h, err := parseRPMHeader(blob)
	if err != nil {
		return Package{}, err
	}
	p := Package{Name: h.str(rpmTagName), Type: "rpm", Arch: h.str(rpmTagArch)}
	version, release := h.str(rpmTagVersion), h.str(rpmTagRelease)
	if p.Name == "" || version == "" {
		return Package{}, errors.New("rpm header without name or version")
	}
	if p.Name == "gpg-pubkey" {
		return Package{}, errRPMPseudo
	}

	// An epoch of 0 sorts as no epoch, so it is left out as rpm -q does.
	epoch := ""
	if n, ok := h.int32Value(rpmTagEpoch); ok && n != 0 {
		epoch = strconv.Itoa(int(n)) + ":"
	}
	p.Version = epoch + version
	if release != "" {
		p.Version += "-" + release
	}
	if lic := h.str(rpmTagLicense); lic != "" {
		p.Licenses = []string{lic}
	}
	if name, ver, ok := splitSourceRPM(h.str(rpmTagSourceRPM)); ok {
		p.SourceName, p.SourceVersion = name, epoch+ver
	}
	return p, nil
}

// splitSourceRPM splits "bash-4.2.46-34.el7.src.rpm" into "bash" and
// "4.2.46-34.el7".
func splitSourceRPM(s string) (string, string, bool) {
	s, ok := strings.CutSuffix(s, ".rpm")
	if !ok {
		return "", "", false
	}
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[:i] // architecture: src or nosrc
	}
	r := strings.LastIndexByte(s, '-')
	if r <= 0 {
		return "", "", false
	}
	v := strings.LastIndexByte(s[:r], '-')
	if v <= 0 {
		return "", "", false
	}
	return s[:v], s[v+1:], true
}
