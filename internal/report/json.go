package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/dockward/dockward/internal/finding"
)

// WriteJSON writes the report as indented JSON in the schema documented in
// docs/json-schema.md.
//
// The output is the same as encoding the whole report with an indenting
// json.Encoder, but the findings, which are nearly all of a large report,
// are encoded on all cores and written as they come.
func WriteJSON(w io.Writer, rep *finding.Report) error {
	out := *rep
	out.Findings = []finding.Finding{}
	if out.Problems == nil {
		out.Problems = []finding.Problem{}
	}
	if out.Targets == nil {
		out.Targets = []string{}
	}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	if len(rep.Findings) == 0 {
		_, err := w.Write(head.Bytes())
		return err
	}
	// Only the top-level key is indented by two spaces. A string value
	// cannot contain this text, because the encoder escapes its quotes.
	const empty = "\n  \"findings\": []"
	before, after, ok := bytes.Cut(head.Bytes(), []byte(empty))
	if !ok {
		return errors.New("writing JSON failed: the encoded report has no top-level findings key")
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.Write(before)
	bw.WriteString("\n  \"findings\": [\n    ")
	if err := writeFindings(bw, rep.Findings); err != nil {
		return err
	}
	bw.WriteString("\n  ]")
	bw.Write(after)
	return bw.Flush()
}

// findingChunk is how many findings one encoding job takes.
const findingChunk = 256

// writeFindings writes the findings as indented array elements, separated
// as an indenting encoder separates them. Chunks of findings are encoded
// concurrently and written in order.
func writeFindings(w *bufio.Writer, fs []finding.Finding) error {
	type job struct {
		fs   []finding.Finding
		done chan struct{}
		buf  bytes.Buffer
		err  error
	}
	jobs := make(chan *job)
	results := make(chan *job, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				j.err = encodeFindings(&j.buf, j.fs)
				close(j.done)
			}
		})
	}
	go func() {
		defer close(results)
		for start := 0; start < len(fs); start += findingChunk {
			j := &job{fs: fs[start:min(start+findingChunk, len(fs))], done: make(chan struct{})}
			results <- j // The buffer size bounds the chunks held in memory.
			jobs <- j
		}
		close(jobs)
	}()
	var err error
	first := true
	for j := range results {
		<-j.done
		if err == nil && j.err != nil {
			err = j.err
		}
		if err == nil {
			if !first {
				w.WriteString(",\n    ")
			}
			first = false
			_, err = w.Write(j.buf.Bytes())
		}
	}
	wg.Wait()
	return err
}

// encodeFindings writes fs as array elements at depth two of the report.
func encodeFindings(dst *bytes.Buffer, fs []finding.Finding) error {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	for i := range fs {
		raw.Reset()
		if err := enc.Encode(&fs[i]); err != nil {
			return err
		}
		if i > 0 {
			dst.WriteString(",\n    ")
		}
		if err := json.Indent(dst, bytes.TrimRight(raw.Bytes(), "\n"), "    ", "  "); err != nil {
			return err
		}
	}
	return nil
}
