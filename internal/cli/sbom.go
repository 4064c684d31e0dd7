package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	inimage "github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/sbom"
	srcimage "github.com/dockward/dockward/internal/source/image"
)

// sbomFormatJSON writes dockward's own inventory, the form the
// vulnerability matcher reads.
const sbomFormatJSON = "json"

type sbomOptions struct {
	format           string
	output           string
	platform         string
	insecureRegistry bool
}

func newSBOMCommand(g *globals) *cobra.Command {
	o := &sbomOptions{}
	formats := append(slices.Clone(sbom.Formats), sbomFormatJSON)
	cmd := &cobra.Command{
		Use:   "sbom [flags] IMAGE | sbom rootfs DIR",
		Short: "Write the software bill of materials of an image or root file system",
		Long: "sbom catalogues the OS and language packages of an image and writes them as an SBOM.\n" +
			"IMAGE takes the same forms as scan: a prefix (" + strings.Join(srcimage.Kinds, ":, ") +
			":) picks the source; without one an existing path wins over an image name.\n" +
			"\"rootfs DIR\" is the same as dir:DIR.\n\n" +
			"Exit status: 0 when the SBOM is written; 2 when the image cannot be read, or when part of\n" +
			"it is missing or does not match its digest (the SBOM is still written, and a warning\n" +
			"names the layer).",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := imageRef("sbom", args)
			if err != nil {
				return usageError(err)
			}
			if !slices.Contains(formats, strings.ToLower(o.format)) {
				return usageError(fmt.Errorf("invalid --format %q: use one of %s", o.format,
					strings.Join(formats, ", ")))
			}
			return runSBOM(cmd, g, o, ref)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", sbom.FormatCycloneDX,
		"SBOM format: cyclonedx (CycloneDX 1.6 JSON), spdx-json (SPDX 2.3 JSON) or json "+
			"(dockward's package inventory)")
	f.StringVarP(&o.output, "output", "o", "", "write the SBOM to this file instead of standard output")
	f.StringVar(&o.platform, "platform", "",
		"image to pick from a multi-platform index, as os/arch[/variant]")
	f.BoolVar(&o.insecureRegistry, "insecure-registry", false,
		insecureRegistryUsage)
	return cmd
}

func runSBOM(cmd *cobra.Command, g *globals, o *sbomOptions, ref string) error {
	setScanCollector()
	ctx := cmd.Context()
	im, err := srcimage.Open(ctx, ref, srcimage.Options{
		Platform: o.platform, InsecureRegistry: o.insecureRegistry, Logger: g.logger,
	})
	if err != nil {
		if errors.Is(err, srcimage.ErrNotFound) {
			return usageError(err)
		}
		return &ExitError{Code: 2, Err: err}
	}
	defer im.Close()

	tree, problems, err := im.Tree(ctx, inimage.Options{Request: pkgdb.Request(), Logger: g.logger,
		DeferDigests: true})
	if err != nil {
		return &ExitError{Code: 2, Err: fmt.Errorf("reading image %q: %w", ref, err)}
	}
	defer tree.Close()
	inv, catalogProblems := pkgdb.Catalog(ctx, tree)
	warnEmptyInventory(g, im.Name, inv)
	problems = slices.Concat(im.Problems, problems, catalogProblems, tree.Verify())
	for _, p := range problems {
		g.logger.Warn("incomplete inventory", slog.String("path", p.Path), slog.String("reason", p.Reason))
	}

	var buf bytes.Buffer
	if strings.EqualFold(o.format, sbomFormatJSON) {
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(inv)
	} else {
		err = sbom.Write(&buf, o.format, inv, sbom.Options{
			Subject: sbom.Subject{Name: im.Name, Image: im.Kind != srcimage.KindDir, Digest: im.Digest,
				ConfigDigest: im.ConfigDigest},
			ToolVersion: version(),
		})
	}
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}

	if o.output == "" {
		if _, err := g.stdout.Write(buf.Bytes()); err != nil {
			return err
		}
		return fatalError(problems)
	}
	if err := os.WriteFile(o.output, buf.Bytes(), 0o644); err != nil {
		return &ExitError{Code: 2, Err: fmt.Errorf("writing SBOM: %w", err)}
	}
	return fatalError(problems)
}

// warnEmptyInventory logs a warning when an image yields no package at
// all, so that an empty SBOM or a clean vulnerability report is not read
// as an image without software.
func warnEmptyInventory(g *globals, image string, inv *pkgdb.Inventory) {
	if len(inv.Packages) > 0 {
		return
	}
	osName := "unknown (no os-release file)"
	if inv.OS != nil {
		osName = strings.TrimSpace(inv.OS.ID + " " + inv.OS.VersionID)
	}
	g.logger.Warn("no packages found: the image has no package database or package manifest that dockward "+
		"reads, so programs copied in by hand, such as a static busybox, are not listed",
		slog.String("image", image), slog.String("os", osName))
}
