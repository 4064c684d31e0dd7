package vulndb

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws one line of download progress, redrawn in place at
// most ten times a second.
type progressBar struct {
	w     io.Writer
	label string
	total int64 // -1 when the server sent no length
	done  int64
	last  time.Time
	start time.Time
}

func newProgressBar(w io.Writer, label string, total int64) *progressBar {
	return &progressBar{w: w, label: label, total: total, start: time.Now()}
}

func (p *progressBar) Write(b []byte) (int, error) {
	p.done += int64(len(b))
	if time.Since(p.last) >= 100*time.Millisecond {
		p.draw()
		p.last = time.Now()
	}
	return len(b), nil
}

func (p *progressBar) draw() {
	const width = 30
	mib := func(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%-12s %s", p.label, mib(p.done))
		return
	}
	filled := int(int64(width) * p.done / p.total)
	filled = min(max(filled, 0), width)
	fmt.Fprintf(p.w, "\r%-12s [%s%s] %3d%% %s / %s", p.label, strings.Repeat("=", filled),
		strings.Repeat(" ", width-filled), 100*p.done/p.total, mib(p.done), mib(p.total))
}

func (p *progressBar) finish() {
	p.draw()
	fmt.Fprintf(p.w, " in %.1fs\n", time.Since(p.start).Seconds())
}
