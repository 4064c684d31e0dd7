package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/report"
	"github.com/dockward/dockward/internal/rules"
	imrules "github.com/dockward/dockward/internal/rules/image"
	secretrules "github.com/dockward/dockward/internal/rules/secrets"
	"github.com/dockward/dockward/internal/sbom"
	"github.com/dockward/dockward/internal/secrets"
	srcimage "github.com/dockward/dockward/internal/source/image"
	"github.com/dockward/dockward/internal/vulndb"
)

// Scanners that scan runs.
const (
	scannerVuln   = "vuln"
	scannerConfig = "config"
	scannerSecret = "secret"
)

var allScanners = []string{scannerVuln, scannerConfig, scannerSecret}

// insecureRegistryUsage is the help of --insecure-registry.
const insecureRegistryUsage = "allow plain HTTP to the registry of a reference, for test registries " +
	"(registries on localhost and 127.0.0.1 may use it without this flag, as in Docker)"

// scanMemoryLimit is the Go runtime's soft memory limit during a scan
// unless GOMEMLIMIT sets another.
const scanMemoryLimit = 96 << 20

// setScanCollector tunes the garbage collector for reading an image.
// Contents kept for analysis are capped at 64 MiB, and a soft limit of
// 96 MiB makes the collector return the garbage of a 1 GiB image's read
// early. Below that limit, GOGC=400 lets the heap grow to five times the
// live data: the tar reader allocates a header per entry, and at the
// default GOGC=100 the collector competed with the digest check for the
// CPU, adding about 20 ms to a 170 MiB scan on two cores
// (docs/benchmarks.md). GOGC and GOMEMLIMIT in the environment take
// precedence.
func setScanCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scanMemoryLimit)
	}
}

type scanOptions struct {
	out              outputOptions
	platform         string
	insecureRegistry bool
	scanners         []string
	configPath       string
	dbDir            string
	now              string
	ignoreUnfixed    bool
	linkedOnly       bool
	vex              []string
}

func newScanCommand(g *globals) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [flags] IMAGE | scan rootfs DIR",
		Short: "Scan an image or root file system: config, files, packages, vulnerabilities and secrets",
		Long: "scan reads an image layer by layer, without extracting it, and reports what makes it\n" +
			"unsafe: its user, health check and history (IM rules), risky files, known\n" +
			"vulnerabilities of its packages, and secrets in its files, config and history.\n\n" +
			"IMAGE is a docker save archive, an OCI layout (directory or tar), an image in the\n" +
			"Docker Engine (DOCKER_HOST is honoured) or a registry reference. A prefix picks the\n" +
			"source: " + strings.Join(srcimage.Kinds, ":, ") + ":. Without one, an existing path wins\n" +
			"over an image name, and a name is looked up in the Docker Engine, then its registry.\n\n" +
			"Exit status: 0 when no unsuppressed finding reaches --fail-on, 1 when one does,\n" +
			"2 for usage errors and images that cannot be read.",
		Example: "  dockward scan debian:12\n" +
			"  dockward scan docker-archive:app.tar --format sarif --output scan.sarif\n" +
			"  dockward scan oci-dir:./layout:1.0 --platform linux/arm64\n" +
			"  dockward scan --scanners config,secret registry:127.0.0.1:5000/app:1 --insecure-registry\n" +
			"  dockward scan rootfs ./rootfs",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, g, o, args)
		},
	}

	addOutputFlags(cmd, &o.out)
	f := cmd.Flags()
	f.Lookup("format").Usage = "report format: " + strings.Join(scanFormats(), ", ") +
		" (the SBOM formats write the package inventory instead of findings)"
	f.StringVar(&o.platform, "platform", "", "image to pick from a multi-platform index, as os/arch[/variant]")
	f.BoolVar(&o.insecureRegistry, "insecure-registry", false,
		insecureRegistryUsage)
	f.StringSliceVar(&o.scanners, "scanners", allScanners,
		"what to scan for, comma-separated: vuln (package vulnerabilities), config (IM rules), secret")
	f.StringVarP(&o.configPath, "config", "c", "", "configuration file (default: .dockward.yaml in the current directory)")
	f.StringVar(&o.dbDir, "db-dir", "", "vulnerability database directory (default: the user cache directory)")
	f.BoolVar(&o.ignoreUnfixed, "ignore-unfixed", false, "hide vulnerabilities that have no fixed version yet")
	f.BoolVar(&o.linkedOnly, "linked-only", false,
		"hide Go vulnerabilities whose vulnerable functions are not linked into the binary")
	f.StringSliceVar(&o.vex, "vex", nil,
		"OpenVEX document whose not_affected and fixed statements suppress vulnerabilities, repeatable")
	f.StringVar(&o.now, "now", "", "date to check end-of-life dates against, as YYYY-MM-DD (default: today)")
	_ = f.MarkHidden("now")
	return cmd
}

func scanFormats() []string { return slices.Concat(report.Formats, sbom.Formats) }

// imageRef turns the arguments of command into a reference: "rootfs DIR"
// is dir:DIR.
func imageRef(command string, args []string) (string, error) {
	switch {
	case len(args) == 1:
		return args[0], nil
	case args[0] == "rootfs":
		return srcimage.KindDir + ":" + args[1], nil
	}
	return "", fmt.Errorf("%s takes one IMAGE, or rootfs DIR; got %q", command, strings.Join(args, " "))
}

func (o *scanOptions) validate() error {
	for _, s := range o.scanners {
		if !slices.Contains(allScanners, s) {
			return fmt.Errorf("invalid --scanners value %q: use %s", s, strings.Join(allScanners, ", "))
		}
	}
	if o.isSBOM() {
		o.out.format = strings.ToLower(o.out.format)
		return nil
	}
	return o.out.validate()
}

func (o *scanOptions) isSBOM() bool { return containsFold(sbom.Formats, o.out.format) }

func (o *scanOptions) runs(s string) bool { return slices.Contains(o.scanners, s) }

func runScan(cmd *cobra.Command, g *globals, o *scanOptions, args []string) error {
	ref, err := imageRef("scan", args)
	if err != nil {
		return usageError(err)
	}
	if err := o.validate(); err != nil {
		return usageError(err)
	}
	if o.isSBOM() {
		for _, name := range []string{"fail-on", "severity"} {
			if cmd.Flags().Changed(name) {
				return usageError(fmt.Errorf("--%s applies to findings, and --format %s writes the package "+
					"inventory instead; run scan once for the SBOM and once with --format json, table or sarif "+
					"for the findings", name, o.out.format))
			}
		}
	}
	now := time.Now()
	if o.now != "" {
		if now, err = time.Parse(time.DateOnly, o.now); err != nil {
			return usageError(fmt.Errorf("invalid --now %q: write it as YYYY-MM-DD", o.now))
		}
	}
	cfg, err := scanConfig(o.configPath)
	if err != nil {
		return usageError(err)
	}

	setScanCollector()

	ctx := cmd.Context()
	im, err := srcimage.Open(ctx, ref, srcimage.Options{Platform: o.platform,
		InsecureRegistry: o.insecureRegistry, Logger: g.logger})
	if err != nil {
		if errors.Is(err, srcimage.ErrNotFound) {
			return usageError(err)
		}
		return &ExitError{Code: 2, Err: err}
	}
	defer im.Close()

	s := &imageScan{opts: o, g: g, cfg: cfg, now: now, im: im}
	if err := s.read(ctx); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	defer s.tree.Close()
	if o.isSBOM() {
		s.problems = append(s.problems, s.tree.Verify()...)
		return s.writeSBOM(ctx)
	}
	if err := s.run(ctx); err != nil {
		return err
	}
	s.problems = append(s.problems, s.tree.Verify()...)
	return o.out.write(g, s.report(ref))
}

func scanConfig(path string) (*config.Config, error) {
	if path != "" {
		return config.Load(path)
	}
	return config.Find(".")
}

// imageScan is one run of scan over an opened image.
type imageScan struct {
	opts *scanOptions
	g    *globals
	cfg  *config.Config
	now  time.Time
	im   *srcimage.Image

	tree     *inimage.FileTree
	inv      *pkgdb.Inventory
	findings []finding.Finding
	problems []finding.Problem
}

// read streams the image once with the combined request of every
// scanner that runs.
func (s *imageScan) read(ctx context.Context) error {
	reqs := []inimage.Request{imrules.Request()}
	if s.opts.runs(scannerVuln) || s.opts.isSBOM() {
		reqs = append(reqs, pkgdb.Request())
	}
	if s.opts.runs(scannerSecret) && !s.opts.isSBOM() {
		reqs = append(reqs, secretrules.Request)
	}
	tree, problems, err := s.im.Tree(ctx, inimage.Options{Request: inimage.Combine(reqs...), Logger: s.g.logger,
		DeferDigests: true})
	if err != nil {
		return fmt.Errorf("reading image %q: %w", s.im.Ref, err)
	}
	s.tree = tree
	s.problems = append(slices.Clone(s.im.Problems), problems...)
	if s.opts.runs(scannerVuln) || s.opts.isSBOM() {
		inv, problems := pkgdb.Catalog(ctx, tree)
		s.inv = inv
		s.problems = append(s.problems, problems...)
		warnEmptyInventory(s.g, s.im.Name, inv)
	}
	return nil
}

func (s *imageScan) run(ctx context.Context) error {
	if s.opts.runs(scannerConfig) {
		osr := pkgdb.DetectOS(s.tree)
		if s.inv != nil {
			osr = s.inv.OS
		}
		fs, problems := imrules.Run(&imrules.Input{Image: s.im.Name, Config: s.im.Config, Tree: s.tree,
			OS: osr, Now: s.now})
		s.findings = append(s.findings, fs...)
		s.problems = append(s.problems, problems...)
	}
	if s.opts.runs(scannerSecret) {
		if err := s.scanSecrets(ctx); err != nil {
			return usageError(err)
		}
	}
	if s.opts.runs(scannerVuln) {
		if err := s.scanVulns(ctx); err != nil {
			return err
		}
	}
	eng := engine.New(rules.Registry())
	s.findings = eng.Apply(s.findings, nil, s.cfg, s.now)
	return nil
}

func (s *imageScan) scanSecrets(ctx context.Context) error {
	sc, err := secrets.ForConfig(s.cfg)
	if err != nil {
		return fmt.Errorf("secrets configuration: %w", err)
	}
	fs := secretrules.ScanTree(ctx, s.tree, secretrules.TreeOptions{Image: s.im.Name, Scanner: sc,
		Skip: imrules.ReportsFile, Workers: freeCores(s.tree)})
	s.findings = append(s.findings, fs...)
	return nil
}

// scanVulns matches the inventory against the local database. A missing
// database fails the scan when vuln was asked for by name; when it runs
// by default, the report records the missing database instead.
func (s *imageScan) scanVulns(ctx context.Context) error {
	dir := s.opts.dbDir
	if dir == "" {
		d, err := vulndb.DefaultDir()
		if err != nil {
			return usageError(err)
		}
		dir = d
	}

	db, err := vulndb.Open(dir)
	if err != nil {
		if errors.Is(err, vulndb.ErrNoDatabase) && !s.opts.explicitScanners() {
			s.g.logger.Warn("vulnerabilities not scanned", slog.Any("error", err))
			s.problems = append(s.problems, finding.Problem{Path: s.im.Name, Kind: "skipped",
				Reason: "vulnerabilities not scanned: " + err.Error()})
			return nil
		}
		return &ExitError{Code: 2, Err: err}
	}
	defer db.Close()

	fs, problems := (&vulndb.Matcher{DB: db, Now: s.now, Logger: s.g.logger}).Match(ctx, s.inv)
	policy, err := vulndb.PolicyFromConfig(s.cfg)
	if err != nil {
		return usageError(err)
	}
	vexDocs, err := vulndb.LoadVEX(s.opts.vex)
	if err != nil {
		return usageError(err)
	}
	policy.VEX = append(policy.VEX, vexDocs...)
	policy.IgnoreUnfixed = policy.IgnoreUnfixed || s.opts.ignoreUnfixed
	policy.LinkedOnly, policy.Now = s.opts.linkedOnly, s.now
	fs = policy.Apply(fs)
	for i := range fs {
		fs[i].Location.Image = s.im.Name
	}
	s.findings = append(s.findings, fs...)
	s.problems = append(s.problems, problems...)
	return nil
}

// explicitScanners reports whether --scanners differs from the default.
func (o *scanOptions) explicitScanners() bool { return !slices.Equal(o.scanners, allScanners) }

func (s *imageScan) report(ref string) *finding.Report {
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Command: "scan", Targets: []string{ref},
		Findings: s.findings, Problems: s.problems}
	if rep.Findings == nil {
		rep.Findings = []finding.Finding{}
	}
	if rep.Problems == nil {
		rep.Problems = []finding.Problem{}
	}
	finding.Sort(rep.Findings, rep.Problems)
	rep.Summarize()
	return rep
}

// writeSBOM writes the package inventory in an SBOM format.
func (s *imageScan) writeSBOM(ctx context.Context) error {
	for _, p := range s.problems {
		s.g.logger.Warn("incomplete inventory", slog.String("path", p.Path), slog.String("reason", p.Reason))
	}
	var buf bytes.Buffer
	err := sbom.Write(&buf, s.opts.out.format, s.inv, sbom.Options{
		Subject: sbom.Subject{Name: s.im.Name, Image: s.im.Kind != srcimage.KindDir, Digest: s.im.Digest,
			ConfigDigest: s.im.ConfigDigest},
		ToolVersion: version(),
	})
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if s.opts.out.output == "" {
		if _, err := s.g.stdout.Write(buf.Bytes()); err != nil {
			return err
		}
		return fatalError(s.problems)
	}
	err = writeFileAtomic(s.opts.out.output, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return fatalError(s.problems)
}

// freeCores returns how many cores are left for analysis while the digest
// checks of uncompressed layers still run, at least one. Running more
// workers than that only slowed the hashing down, which ends the scan.
func freeCores(tree *inimage.FileTree) int {
	return max(runtime.GOMAXPROCS(0)-tree.Hashing(), 1)
}
