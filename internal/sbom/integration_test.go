package sbom

import (
	"bytes"
	"context"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/input/image"
	"github.com/dockward/dockward/internal/input/pkgdb"
	"github.com/dockward/dockward/internal/testenv"
)

// TestDebianRootfsSBOMIntegration writes both formats for the debootstrap
// root file system, whose copyright files give free-text licences, and
// checks them with the CycloneDX schema and the SPDX parser.
func TestDebianRootfsSBOMIntegration(t *testing.T) {
	dir := testenv.DebianRootfs(t)
	ctx := context.Background()
	tree, _, err := image.ReadDir(ctx, dir, image.Options{Request: pkgdb.Request()})
	require.NoError(t, err)
	defer tree.Close()
	inv, problems := pkgdb.Catalog(ctx, tree)
	require.Empty(t, problems)
	require.Greater(t, len(inv.Packages), 50)
	opts := Options{Subject: Subject{Name: dir}, ToolVersion: "test"}

	var cdx bytes.Buffer
	require.NoError(t, Write(&cdx, FormatCycloneDX, inv, opts))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(cdx.Bytes()))
	require.NoError(t, err)
	require.NoError(t, cycloneDXSchema(t).Validate(doc))

	var spdx bytes.Buffer
	require.NoError(t, Write(&spdx, FormatSPDXJSON, inv, opts))
	parsed, err := spdxjson.Read(bytes.NewReader(spdx.Bytes()))
	require.NoError(t, err)
	require.Len(t, parsed.Packages, len(inv.Packages)+2, "packages plus the subject and the OS")
}
