package secrets

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Scanner runs the detector table over text with the allow-lists of one
// configuration. It is safe for concurrent use.
type Scanner struct {
	detectors []*Detector
	allow     *Allowlist

	keywords []string
	// triggers and requires map a keyword index to the detectors that the
	// keyword triggers and to the detectors that require it.
	triggers [][]int
	requires [][]int
	matcher  *keywordMatcher
	// anyBinary is true when some detector runs on binary files.
	anyBinary bool
}

var (
	defaultOnce    sync.Once
	defaultScanner *Scanner
)

// Default returns the scanner with every detector and the built-in
// allow-list.
func Default() *Scanner {
	defaultOnce.Do(func() {
		s, err := NewScanner(nil)
		if err != nil {
			panic(err) // the built-in table and allow-list are fixed
		}
		defaultScanner = s
	})
	return defaultScanner
}

// Detectors returns the detector table in rule order, for the rules'
// documentation and metadata. It does not compile the anchored patterns
// that scanning needs, which would cost every command's start-up; a
// Scanner does.
func Detectors() []*Detector {
	return table
}

var initTableOnce sync.Once

func initTable() {
	initTableOnce.Do(func() {
		for _, d := range table {
			d.init()
		}
	})
}

// NewScanner builds a scanner with every detector and the allow-list; a
// nil allow-list means the built-in one.
func NewScanner(allow *Allowlist) (*Scanner, error) {
	initTable()
	if allow == nil {
		allow = DefaultAllowlist()
	}
	s := &Scanner{detectors: table, allow: allow}
	index := map[string]int{}
	add := func(kw string) int {
		kw = strings.ToLower(kw)
		if i, ok := index[kw]; ok {
			return i
		}
		index[kw] = len(s.keywords)
		s.keywords = append(s.keywords, kw)
		s.triggers = append(s.triggers, nil)
		s.requires = append(s.requires, nil)
		return index[kw]
	}
	for di, d := range table {
		if len(d.Keywords) == 0 {
			return nil, fmt.Errorf("detector %s has no keywords", d.ID)
		}
		for _, kw := range d.Keywords {
			k := add(kw)
			s.triggers[k] = append(s.triggers[k], di)
		}
		for _, kw := range d.Require {
			k := add(kw)
			s.requires[k] = append(s.requires[k], di)
		}
		s.anyBinary = s.anyBinary || d.Binary
	}
	s.matcher = newKeywordMatcher(s.keywords)
	return s, nil
}

// scanState holds the keyword pass's results for one text.
type scanState struct {
	// lines[d] are the starts of the lines where detector d's keywords
	// occur, in order and without repeats; file[d] is set for file-scope
	// detectors.
	lines    map[int][]int
	hits     map[int][]int // anchored detector -> keyword start offsets
	file     map[int]bool
	required map[int]int // detector -> count of distinct required keywords seen
	seenReq  map[int]bool
}

// Scan returns the secrets in data, the content of the file at path (a
// slash-separated path used for the path allow-list; may be empty). Binary
// data (a NUL byte in the first 8 KiB) is searched only by detectors that
// ask for it.
func (s *Scanner) Scan(path string, data []byte) []Match {
	if s.allow.skipsPath(path) {
		return nil
	}
	binary := isBinary(data)
	if binary && !s.anyBinary {
		return nil
	}
	st := s.prefilter(data, binary, ExemptsGeneric(path))
	if st == nil {
		return nil
	}
	var ms []candidate
	for di, starts := range st.lines {
		if !s.satisfied(di, st) {
			continue
		}
		for _, start := range starts {
			end := bytes.IndexByte(data[start:], '\n')
			if end < 0 {
				end = len(data)
			} else {
				end += start
			}
			ms = s.collect(ms, di, data, start, end)
		}
	}
	for di, starts := range st.hits {
		if s.satisfied(di, st) {
			ms = s.collectAnchored(ms, di, data, starts)
		}
	}
	for di := range st.file {
		if s.satisfied(di, st) {
			ms = s.collect(ms, di, data, 0, len(data))
		}
	}
	return s.finish(data, ms)
}

func (s *Scanner) prefilter(data []byte, binary, noGeneric bool) *scanState {
	var st *scanState
	lastLine := map[int]int{}
	s.matcher.scan(data, func(k, end int) {
		if st == nil {
			st = &scanState{lines: map[int][]int{}, hits: map[int][]int{}, file: map[int]bool{},
				required: map[int]int{}, seenReq: map[int]bool{}}
		}
		for _, di := range s.requires[k] {
			key := di<<16 | k
			if !st.seenReq[key] {
				st.seenReq[key] = true
				st.required[di]++
			}
		}
		for _, di := range s.triggers[k] {
			d := s.detectors[di]
			if binary && !d.Binary || noGeneric && d.Generic {
				continue
			}
			if d.Scope == ScopeFile {
				st.file[di] = true
				continue
			}
			if d.Anchor != AnchorNone {
				st.hits[di] = append(st.hits[di], end-len(s.keywords[k]))
				continue
			}
			start := bytes.LastIndexByte(data[:end], '\n') + 1
			if prev, ok := lastLine[di]; ok && prev == start {
				continue
			}
			lastLine[di] = start
			st.lines[di] = append(st.lines[di], start)
		}
	})
	return st
}

func (s *Scanner) satisfied(di int, st *scanState) bool {
	return st.required[di] >= len(s.detectors[di].Require)
}

// candidate is a value that passed its detector's checks, before overlaps
// between detectors are resolved.
type candidate struct {
	detector   int
	start, end int
	note       string
	// name is the key of a generic detector's assignment.
	name string
}

// maxLineScan bounds the text a line-scope pattern runs over, so that a
// minified file with one enormous line is not searched again per keyword.
const maxLineScan = 64 << 10

func (s *Scanner) collect(ms []candidate, di int, data []byte, start, end int) []candidate {
	d := s.detectors[di]
	if d.Scope == ScopeLine && end-start > maxLineScan {
		return s.collectLong(ms, di, data, start, end)
	}
	text := data[start:end]
	for _, m := range d.Pattern.FindAllSubmatchIndex(text, -1) {
		if c, ok := s.candidateAt(d, di, text, start, m); ok {
			ms = append(ms, c)
		}
	}
	return ms
}

// collectAnchored runs an anchored pattern once at each keyword
// occurrence, bounded by the end of the line.
func (s *Scanner) collectAnchored(ms []candidate, di int, data []byte, starts []int) []candidate {
	d := s.detectors[di]
	last := -1
	lineEnd := -1
	for _, kw := range starts {
		if kw >= lineEnd {
			lineEnd = min(len(data), kw+maxLineScan)
			if nl := bytes.IndexByte(data[kw:lineEnd], '\n'); nl >= 0 {
				lineEnd = kw + nl
			}
		}
		if d.Follows != nil && !d.Follows(data[kw:lineEnd]) {
			continue
		}
		begin := kw
		switch d.Anchor {
		case AnchorKeyword:
			if kw > 0 && isWordByte(data[kw-1]) {
				continue
			}
		case AnchorName:
			for begin > 0 && isNameByte(data[begin-1]) && kw-begin < 256 {
				begin--
			}
		}
		if begin == last {
			continue
		}
		last = begin
		limit := lineEnd
		var m []int
		if d.Anchor == AnchorName {
			m = assignmentAt(data[begin:limit], d, begin > 0 && data[begin-1] == '<')
		} else {
			m = d.anchored.FindSubmatchIndex(data[begin:limit])
		}
		if m == nil {
			continue
		}
		if c, ok := s.candidateAt(d, di, data[begin:limit], begin, m); ok {
			ms = append(ms, c)
		}
	}
	return ms
}

// candidateAt checks one pattern match m within text, which starts at
// offset base of the scanned data.
func (s *Scanner) candidateAt(d *Detector, di int, text []byte, base int, m []int) (candidate, bool) {
	g := max(d.secretGroup, 0)
	if m[2*g] < 0 {
		return candidate{}, false
	}
	value := string(text[m[2*g]:m[2*g+1]])
	name := ""
	if d.nameGroup > 0 && m[2*d.nameGroup] >= 0 {
		name = string(text[m[2*d.nameGroup]:m[2*d.nameGroup+1]])
	}
	note, ok := s.accept(d, name, value)
	if !ok {
		return candidate{}, false
	}
	return candidate{detector: di, start: base + m[2*g], end: base + m[2*g+1], note: note, name: name}, true
}

// assignmentAt parses "name [quote] op [quote] value" at the start of
// text, where op is =, :, := or =>, or with element set the rest of an
// XML element "name>value</name>". It returns submatch indexes shaped
// like the detector's pattern: the whole match, then the name and secret
// groups at their pattern positions. A value must fully match the
// detector's Value pattern when one is set. Hand-written because the
// generic patterns, run once per mention of "token" or "password", would
// dominate the scan time.
func assignmentAt(text []byte, d *Detector, element bool) []int {
	i := 0
	for i < len(text) && isNameByte(text[i]) {
		i++
	}
	nameEnd := i
	if element && i < len(text) && text[i] == '>' {
		end := bytes.IndexByte(text[i+1:], '<')
		if end < 8 || end > 200 || !bytes.HasPrefix(text[i+1+end:], []byte("</")) {
			return nil
		}
		return assignmentMatch(text, d, nameEnd, i+1, i+1+end)
	}

	for i < len(text) && (text[i] == '"' || text[i] == '\'') {
		i++
	}
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i >= len(text) || text[i] != '=' && text[i] != ':' {
		return nil
	}
	i++
	if i < len(text) && (text[i] == '=' || text[i] == '>') {
		i++
	}

	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	for i < len(text) && (text[i] == '"' || text[i] == '\'') {
		i++
	}
	start := i
	for i < len(text) && i-start < 200 && !isValueEnd(text[i]) {
		i++
	}
	if i-start < 8 {
		return nil
	}
	return assignmentMatch(text, d, nameEnd, start, i)
}

// assignmentMatch builds the submatch indexes for a name ending at
// nameEnd and a value at [start, end), or nil when the detector's Value
// pattern rejects the value.
func assignmentMatch(text []byte, d *Detector, nameEnd, start, end int) []int {
	if d.Value != nil && !d.Value.Match(text[start:end]) {
		return nil
	}
	m := make([]int, 2*(d.Pattern.NumSubexp()+1))
	for k := range m {
		m[k] = -1
	}
	m[0], m[1] = 0, end
	if d.nameGroup > 0 {
		m[2*d.nameGroup], m[2*d.nameGroup+1] = 0, nameEnd
	}
	g := max(d.secretGroup, 0)
	m[2*g], m[2*g+1] = start, end
	return m
}

func isValueEnd(b byte) bool {
	switch b {
	case ' ', '\t', '\r', '\n', '"', '\'', '`', ',', ';':
		return true
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func isNameByte(b byte) bool { return isWordByte(b) || b == '.' || b == '-' }

// collectLong searches a very long line in overlapping windows.
func (s *Scanner) collectLong(ms []candidate, di int, data []byte, start, end int) []candidate {
	const overlap = 4 << 10
	seen := map[[2]int]bool{}
	for w := start; w < end; w += maxLineScan - overlap {
		we := min(w+maxLineScan, end)
		before := len(ms)
		ms = s.collect(ms, di, data[:we], w, we)
		kept := ms[:before]
		for _, c := range ms[before:] {
			if !seen[[2]int{c.start, c.end}] {
				seen[[2]int{c.start, c.end}] = true
				kept = append(kept, c)
			}
		}
		ms = kept
		if we == end {
			break
		}
	}
	return ms
}

// accept applies a detector's validation, entropy and the allow-lists to
// one candidate value.
func (s *Scanner) accept(d *Detector, name, value string) (string, bool) {
	if d.Generic && !isSecretName(name) {
		return "", false
	}
	if s.allow.allowsValue(value) {
		return "", false
	}
	if d.Generic && !plausibleLiteral(value) {
		return "", false
	}
	if d.MinEntropy > 0 {
		need := d.MinEntropy
		// Short values cannot reach a high entropy, so scale the threshold
		// to 85% of the maximum a value of this length can have.
		if limit := 0.85 * math.Log2(float64(len(value))); limit < need {
			need = limit
		}
		if entropy(value) < need {
			return "", false
		}
	}
	if d.Validate == nil {
		return "", true
	}
	return d.Validate(value)
}

// finish resolves overlaps, keeping the earlier detector in the table,
// and turns candidates into matches with positions.
func (s *Scanner) finish(data []byte, cs []candidate) []Match {
	if len(cs) == 0 {
		return nil
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		if a.detector != b.detector {
			return a.detector - b.detector
		}
		return a.start - b.start
	})
	// kept stays sorted by start and free of overlaps, so a candidate only
	// needs comparing with its two neighbours.
	var kept []candidate
	for _, c := range cs {
		i, _ := slices.BinarySearchFunc(kept, c.start, func(k candidate, start int) int { return k.start - start })
		if i > 0 && kept[i-1].end > c.start || i < len(kept) && kept[i].start < c.end {
			continue
		}
		kept = slices.Insert(kept, i, c)
	}

	lines := newLineIndex(data)
	out := make([]Match, 0, len(kept))
	for _, c := range kept {
		d := s.detectors[c.detector]
		m := Match{RuleID: d.ID, Detector: d.Name, Redacted: d.redact(string(data[c.start:c.end])),
			Start: c.start, End: c.end, Note: c.note}
		if d.Generic {
			m.Name = c.name
		}
		m.Line, m.Column = lines.position(c.start)
		m.EndLine, m.EndColumn = lines.position(c.end)
		out = append(out, m)
	}
	pairAWSKeys(out)
	return out
}

// pairAWSKeys notes, on each AWS secret access key, the access key ID in
// the same text, because the pair is what grants access.
func pairAWSKeys(ms []Match) {
	var id string
	for _, m := range ms {
		if m.RuleID == "SE001" {
			id = m.Redacted
			break
		}
	}
	if id == "" {
		return
	}
	for i := range ms {
		if ms[i].RuleID == "SE002" && ms[i].Note == "" {
			ms[i].Note = "in the same file as access key ID " + id
		}
	}
}

// lineIndex maps byte offsets to 1-based lines and columns.
type lineIndex struct{ starts []int }

func newLineIndex(data []byte) *lineIndex {
	li := &lineIndex{starts: []int{0}}
	for i, b := range data {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) position(off int) (line, col int) {
	i, found := slices.BinarySearch(li.starts, off)
	if !found {
		i--
	}
	return i + 1, off - li.starts[i] + 1
}

func isBinary(data []byte) bool {
	head := data[:min(len(data), 8192)]
	return bytes.IndexByte(head, 0) >= 0
}

// SkipsPath reports whether the allow-list excludes a slash-separated
// path, such as a test fixture, from scanning.
func (s *Scanner) SkipsPath(path string) bool { return s.allow.skipsPath(path) }
