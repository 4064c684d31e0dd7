// Command secrets measures dockward's secret scanning: the throughput of
// every detector over generated text (source code, configuration, logs),
// and optionally a whole image scan as `dockward secrets IMAGE` runs it.
//
//	go run ./bench/secrets -mib 512
//	go run ./bench/secrets -image docker-archive:/tmp/debian.tar
//
// Both wall-clock and CPU time are printed: on a shared machine the wall
// time includes waiting for a core, while CPU time does not.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	inimage "github.com/dockward/dockward/internal/input/image"
	imagerules "github.com/dockward/dockward/internal/rules/image"
	secretrules "github.com/dockward/dockward/internal/rules/secrets"
	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
	srcimage "github.com/dockward/dockward/internal/source/image"
)

func main() {
	mib := flag.Int("mib", 512, "MiB of generated text to scan")
	fileKiB := flag.Int("file-kib", 256, "size of each generated file in KiB")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "files scanned at once")
	image := flag.String("image", "", "also scan this image as dockward secrets does")
	flag.Parse()

	if *mib > 0 {
		benchText(*mib, *fileKiB, *workers)
	}
	if *image != "" {
		benchImage(*image)
	}
}

func benchText(mib, fileKiB, workers int) {
	g := secrettest.NewGenerator(1)
	n := mib * 1024 / fileKiB
	files := make([][]byte, n)
	for i := range files {
		files[i] = g.Text(fileKiB << 10)
	}
	sc := secrets.Default()
	sc.Scan("warmup", files[0])

	var next, matches atomic.Int64
	start, cpu0 := time.Now(), cpuTime()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				matches.Add(int64(len(sc.Scan("bench.txt", files[i]))))
			}
		})
	}
	wg.Wait()
	wall, cpu := time.Since(start), cpuTime()-cpu0
	total := float64(n*fileKiB) / 1024
	fmt.Printf("text: %.0f MiB in %d files, %d detectors, %d workers, %d matches\n",
		total, n, len(secrets.Detectors()), workers, matches.Load())
	fmt.Printf("  wall %.2fs = %.0f MiB/s; cpu %.2fs = %.0f MiB per CPU-second (%.0f MiB/s on %d cores)\n",
		wall.Seconds(), total/wall.Seconds(), cpu.Seconds(), total/cpu.Seconds(),
		total/cpu.Seconds()*float64(workers), workers)
}

func benchImage(ref string) {
	ctx := context.Background()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu0 := time.Now(), cpuTime()

	im, err := srcimage.Open(ctx, ref, srcimage.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer im.Close()
	tree, _, err := im.Tree(ctx, inimage.Options{
		Request: inimage.Combine(secretrules.Request, imagerules.Request())})
	if err != nil {
		log.Fatal(err)
	}
	defer tree.Close()
	imFindings, _ := imagerules.Run(&imagerules.Input{Image: im.Name, Config: im.Config, Tree: tree})
	fs := secretrules.ScanTree(ctx, tree, secretrules.TreeOptions{Image: im.Name})

	wall, cpu := time.Since(start), cpuTime()-cpu0
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var entries, content int64
	for _, e := range tree.Entries() {
		entries++
		content += int64(len(e.Content))
	}
	fmt.Printf("image %s: %d entries, %.1f MiB of content searched, %d SE and %d IM findings\n",
		ref, entries, float64(content)/(1<<20), len(fs), len(imFindings))
	fmt.Printf("  wall %.2fs, cpu %.2fs, max RSS %d MiB (whole process)\n",
		wall.Seconds(), cpu.Seconds(), ru.Maxrss/1024)
	_ = os.Stdout.Sync()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
