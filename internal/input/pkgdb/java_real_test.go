package pkgdb

import (
	"archive/zip"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

// debianMavenRepo is where Debian's Java packages lay out their jars as a
// Maven repository: GROUP/ARTIFACT/VERSION/ARTIFACT-VERSION.jar, linked to
// the files under /usr/share/java. A "debian" version directory aliases
// the packaged version.
const debianMavenRepo = "/usr/share/maven-repo"

// TestParseJavaArchiveDebianJarsIntegration reads every jar of the local
// Debian Maven repository, whose paths state each jar's coordinates.
func TestParseJavaArchiveDebianJarsIntegration(t *testing.T) {
	testenv.RequireIntegration(t)
	if _, err := os.Stat(debianMavenRepo); err != nil {
		testenv.Unavailable(t, "%s not found: install Debian's maven package", debianMavenRepo)
	}

	var checked, guessed, unknown int
	err := filepath.WalkDir(debianMavenRepo, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".jar") {
			return err
		}
		rel, _ := filepath.Rel(debianMavenRepo, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) < 4 {
			return nil
		}
		version, artifact := parts[len(parts)-2], parts[len(parts)-3]
		group := strings.Join(parts[:len(parts)-3], ".")
		if debianMavenAlias.MatchString(version) || filepath.Base(p) != artifact+"-"+version+".jar" {
			return nil // aliases such as "debian" or "3.x", and classifier jars
		}

		f, err := os.Open(p)
		require.NoError(t, err)
		defer f.Close()
		st, err := f.Stat()
		require.NoError(t, err)
		zr, err := zip.NewReader(f, st.Size())
		require.NoError(t, err)
		pkgs, err := ParseJavaArchive(p, f, st.Size())
		require.NoError(t, err, p)

		found := func(suffix string) bool {
			return slices.ContainsFunc(pkgs, func(pkg Package) bool {
				return strings.HasSuffix(pkg.Name+"@"+pkg.Version, suffix)
			})
		}
		own := "META-INF/maven/" + group + "/" + artifact + "/pom.properties"
		switch {
		case slices.ContainsFunc(zr.File, func(f *zip.File) bool { return f.Name == own }):
			checked++
			require.True(t, found(group+":"+artifact+"@"+version), "%s: no %s:%s@%s in %v",
				p, group, artifact, version, pkgs)
		case found(":" + artifact + "@" + version):
			guessed++
		default:
			unknown++
			t.Logf("%s: no metadata for %s@%s", p, artifact, version)
		}
		return nil
	})
	require.NoError(t, err)
	if checked == 0 {
		testenv.Unavailable(t, "no jars with Maven metadata in %s", debianMavenRepo)
	}
	t.Logf("%d jars named by pom.properties, %d identified from the manifest, %d unidentified",
		checked, guessed, unknown)
	// Jars that Debian builds with Ant carry neither Maven metadata nor a
	// versioned manifest; the manifests of the others must identify them.
	require.Greater(t, guessed, unknown)
}

// debianMavenAlias matches the version directories that Debian adds as
// aliases of a packaged version: "debian", "3.x", "0.1-SNAPSHOT".
var debianMavenAlias = regexp.MustCompile(`^debian$|(^|\.)x$|-SNAPSHOT$`)
