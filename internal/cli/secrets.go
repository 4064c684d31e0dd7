package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
	"github.com/dockward/dockward/internal/finding"
	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/rules"
	imagerules "github.com/dockward/dockward/internal/rules/image"
	secretrules "github.com/dockward/dockward/internal/rules/secrets"
	"github.com/dockward/dockward/internal/secrets"
	srcimage "github.com/dockward/dockward/internal/source/image"
)

type secretsOptions struct {
	out              outputOptions
	configPath       string
	platform         string
	insecureRegistry bool
}

func newSecretsCommand(g *globals) *cobra.Command {
	o := &secretsOptions{}
	cmd := &cobra.Command{
		Use:   "secrets [flags] PATH|IMAGE...",
		Short: "Find secrets in a project tree or an image; values are always redacted",
		Long: "secrets searches every file under each PATH, or every layer of each IMAGE, for\n" +
			"credentials: cloud, source-forge, registry, chat and payment tokens, private keys,\n" +
			"JWTs, database URLs with passwords and password assignments (rules SE001 and up).\n" +
			"For an image it also checks the config environment, labels and history (IM003,\n" +
			"IM004) and credential files (IM012), and files deleted in a later layer, naming the\n" +
			"layer that still holds them. Reports show at most the documented prefix of a token,\n" +
			"such as ghp_, and none of a password.\n\n" +
			"An existing directory or text file is a PATH. An image archive (docker save, OCI\n" +
			"tar), an OCI layout directory, a prefix such as docker-archive: or oci-dir:, or an\n" +
			"image name is an IMAGE.\n\n" +
			"Exit status: 0 when no unsuppressed finding reaches --fail-on, 1 when one does, 2 for\n" +
			"usage errors and inputs that cannot be read.",
		Example: "  dockward secrets .\n" +
			"  dockward secrets --format sarif -o secrets.sarif .\n" +
			"  dockward secrets docker-archive:app.tar",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSecrets(cmd, g, o, args)
		},
	}
	addOutputFlags(cmd, &o.out)
	f := cmd.Flags()
	f.StringVarP(&o.configPath, "config", "c", "",
		"configuration file (default: .dockward.yaml in the first PATH when it is a directory)")
	f.StringVar(&o.platform, "platform", "", "image to pick from a multi-platform index, as os/arch[/variant]")
	f.BoolVar(&o.insecureRegistry, "insecure-registry", false,
		insecureRegistryUsage)
	return cmd
}

func runSecrets(cmd *cobra.Command, g *globals, o *secretsOptions, args []string) error {
	if err := o.out.validate(); err != nil {
		return err
	}
	var cfg *config.Config
	if o.configPath != "" {
		c, err := config.Load(o.configPath)
		if err != nil {
			return usageError(err)
		}
		cfg = c
	}

	reg := rules.Registry()
	eng := engine.New(reg, secretrules.Analyzer{Alone: true})
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Command: "secrets", Targets: args,
		Findings: []finding.Finding{}, Problems: []finding.Problem{}}
	var paths []string
	for _, a := range args {
		if isImageRef(a) {
			fs, ps, err := scanImageSecrets(cmd, g, o, eng, cfg, a)
			if err != nil {
				return err
			}
			rep.Findings = append(rep.Findings, fs...)
			rep.Problems = append(rep.Problems, ps...)
			continue
		}
		paths = append(paths, a)
	}
	if len(paths) > 0 {
		sub, err := eng.Check(cmd.Context(), paths, engine.Options{Config: cfg, Logger: g.logger})
		if err != nil {
			if errors.Is(err, engine.ErrUnreadableTarget) {
				return &ExitError{Code: 2, Err: err}
			}
			return usageError(err)
		}
		rep.Findings = append(rep.Findings, sub.Findings...)
		rep.Problems = append(rep.Problems, sub.Problems...)
	}
	finding.Sort(rep.Findings, rep.Problems)
	rep.Summarize()
	return o.out.write(g, rep)
}

// isImageRef decides whether an argument names an image: a source
// prefix, an OCI layout, a tar archive, or something that is not a path.
func isImageRef(arg string) bool {
	if kind, _ := srcimage.SplitKind(arg); kind != "" {
		return true
	}
	info, err := os.Stat(arg)
	if err != nil {
		return true
	}
	if info.IsDir() {
		_, err := os.Stat(filepath.Join(arg, "oci-layout"))
		return err == nil
	}
	return isTarArchive(arg)
}

// isTarArchive reports whether a file starts like a tar archive, plain or
// gzip-compressed, as docker save and OCI archives do.
func isTarArchive(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		return strings.HasSuffix(path, ".tar.gz") || strings.HasSuffix(path, ".tgz")
	}
	return n >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

func scanImageSecrets(cmd *cobra.Command, g *globals, o *secretsOptions, eng *engine.Engine,
	cfg *config.Config, ref string) ([]finding.Finding, []finding.Problem, error) {
	ctx := cmd.Context()
	im, err := srcimage.Open(ctx, ref, srcimage.Options{Platform: o.platform,
		InsecureRegistry: o.insecureRegistry, Logger: g.logger})
	if err != nil {
		if errors.Is(err, srcimage.ErrNotFound) {
			return nil, nil, usageError(err)
		}
		return nil, nil, &ExitError{Code: 2, Err: err}
	}
	defer im.Close()

	tree, problems, err := im.Tree(ctx, inimage.Options{Logger: g.logger,
		Request: inimage.Combine(secretrules.Request, imagerules.Request()), DeferDigests: true})
	if err != nil {
		return nil, nil, &ExitError{Code: 2, Err: fmt.Errorf("reading image %q: %w", ref, err)}
	}
	defer tree.Close()

	imFindings, imProblems := imagerules.Run(&imagerules.Input{Image: im.Name, Config: im.Config, Tree: tree})
	var fs []finding.Finding
	for _, f := range imFindings {
		switch f.RuleID {
		case "IM003", "IM004", "IM012":
			fs = append(fs, f)
		}
	}
	scanner, err := secrets.ForConfig(cfg)
	if err != nil {
		return nil, nil, usageError(err)
	}
	fs = append(fs, secretrules.ScanTree(ctx, tree, secretrules.TreeOptions{Image: im.Name, Scanner: scanner,
		Skip: imagerules.ReportsFile, Workers: freeCores(tree)})...)
	if cfg == nil {
		cfg = config.Default()
	}
	fs = eng.Apply(fs, nil, cfg, time.Now())
	all := slices.Concat(im.Problems, problems, imProblems, tree.Verify())
	for _, p := range all {
		g.logger.Warn("image partly unread", slog.String("image", ref), slog.String("reason", p.Reason))
	}
	return fs, all, nil
}
