package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
)

// ParseInspect reads the output of docker inspect: an array of containers,
// or one container object. Every value points at the line of its key.
func ParseInspect(path string, data []byte) ([]*Container, error) {
	data = bytes.TrimSpace(data)
	single := len(data) > 0 && data[0] == '{'
	var raws []json.RawMessage
	var err error
	if single {
		raws = []json.RawMessage{data}
	} else {
		err = json.Unmarshal(data, &raws)
	}
	if err != nil {
		return nil, jsonError(path, data, err)
	}

	idx, err := indexJSON(data)
	if err != nil {
		return nil, jsonError(path, data, err)
	}
	var out []*Container
	for i, raw := range raws {
		var resp container.InspectResponse
		if err := json.Unmarshal(raw, &resp); err != nil {
			return nil, jsonError(path, data, err)
		}
		prefix := strconv.Itoa(i) + "/"
		if single {
			prefix = ""
		}
		pos := func(field string) Pos {
			return idx.pos(path, prefix, field)
		}
		c := FromInspect(resp, raw, SourceInspect, pos)
		out = append(out, c)
	}
	return out, nil
}

// InspectError is invalid docker inspect JSON, with the line of the fault.
type InspectError struct {
	Path string
	Line int
	Err  error
}

func (e *InspectError) Error() string {
	return fmt.Sprintf("%s:%d: invalid docker inspect JSON: %v", e.Path, e.Line, e.Err)
}

func (e *InspectError) Unwrap() error { return e.Err }

func jsonError(path string, data []byte, err error) error {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	// A fault at the end of the input is on its last line that is not
	// blank, not on the blank lines after it, nor at the start, where a
	// decoder cut short reports it.
	end := int64(len(bytes.TrimRight(data, " \t\r\n")))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = end
	case errors.As(err, &se) && se.Offset >= end:
		off = end
	case se != nil:
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	return &InspectError{Path: path, Line: 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")), Err: err}
}

// jsonIndex maps slash-separated key paths, such as "0/HostConfig/Privileged",
// to the line and column of the key.
type jsonIndex struct {
	lines map[string][2]int
}

func (ix jsonIndex) pos(path, prefix, field string) Pos {
	key := strings.TrimSuffix(prefix+field, "/")
	for key != "" {
		if lc, ok := ix.lines[key]; ok {
			return Pos{Path: path, Line: lc[0], Column: lc[1]}
		}
		cut := strings.LastIndex(key, "/")
		if cut < 0 {
			break
		}
		key = key[:cut]
	}
	if lc, ok := ix.lines[strings.TrimSuffix(prefix, "/")]; ok {
		return Pos{Path: path, Line: lc[0], Column: lc[1]}
	}
	return Pos{Path: path, Line: 1, Column: 1}
}

// indexJSON records the position of every object key and array element.
func indexJSON(data []byte) (jsonIndex, error) {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	lineCol := func(off int) [2]int {
		l := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
		return [2]int{l + 1, off - starts[l] + 1}
	}

	ix := jsonIndex{lines: map[string][2]int{}}
	type frame struct {
		path      string
		array     bool
		n         int
		expectKey bool
		key       string // path of the key whose value comes next
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			return ix, nil
		}
		if err != nil {
			return ix, err
		}
		start := off + len(data[off:]) - len(bytes.TrimLeft(data[off:], " \t\r\n,:"))

		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && !top.array && top.expectKey {
			key, _ := tok.(string)
			top.key = join(top.path, key)
			top.expectKey = false
			ix.lines[top.key] = lineCol(start)
			continue
		}

		path := ""
		switch {
		case top == nil:
		case top.array:
			path = join(top.path, strconv.Itoa(top.n))
			top.n++
			ix.lines[path] = lineCol(start)
		default:
			path = top.key
			top.expectKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{path: path, expectKey: true})
		case json.Delim('['):
			stack = append(stack, frame{path: path, array: true})
		}
	}
}

func join(base, key string) string {
	if base == "" {
		return key
	}
	return base + "/" + key
}
