package vulndb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout version of the database file. A change to
// the stored entries or buckets increments it.
const SchemaVersion = 1

// FileName is the database file inside the database directory.
const FileName = "vulndb.db"

// MaxAge is the age after which a scan warns that the database is stale.
const MaxAge = 7 * 24 * time.Hour

var (
	// ErrNoDatabase is returned by Open when the directory holds no
	// database.
	ErrNoDatabase = errors.New("no vulnerability database")
	// ErrNewerSchema is returned by Open for a database written by a newer
	// dockward.
	ErrNewerSchema = errors.New("vulnerability database schema is newer than this dockward supports")
)

var (
	bucketMeta     = []byte("meta")
	bucketPackages = []byte("packages")
	bucketDetails  = []byte("details")
	keySchema      = []byte("schema")
	keyInfo        = []byte("info")
)

// Info describes a database: where it came from, when it was built and
// how many advisories it holds per ecosystem.
type Info struct {
	SchemaVersion int            `json:"schema_version"`
	Sources       []string       `json:"sources"`
	Built         time.Time      `json:"built"`
	Records       int            `json:"records"`
	Ecosystems    map[string]int `json:"ecosystems"`
	// Skipped counts records left out: withdrawn or malformed.
	Withdrawn int `json:"withdrawn"`
	Malformed int `json:"malformed"`
}

// Entry is the stored form of one advisory for one package. Lookup fills
// the fields that matching reads (ID, Ranges, Versions, Imports), and
// Details fills the rest.
type Entry struct {
	ID         string          `json:"id"`
	Aliases    []string        `json:"aliases,omitempty"`
	Summary    string          `json:"summary,omitempty"`
	Published  time.Time       `json:"published,omitzero"`
	Modified   time.Time       `json:"modified,omitzero"`
	Severity   []Severity      `json:"severity,omitempty"`
	Rating     string          `json:"rating,omitempty"`
	Ranges     []Range         `json:"ranges,omitempty"`
	Versions   []string        `json:"versions,omitempty"`
	Imports    []ImportSymbols `json:"imports,omitempty"`
	References []string        `json:"references,omitempty"`
	// Package is the name as the advisory writes it; the key may be
	// normalised.
	Package string `json:"package"`
}

// DB is an open, read-only vulnerability database.
type DB struct {
	bolt *bolt.DB
	path string
	info Info
}

// DefaultDir returns the database directory in the user cache directory.
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache directory: %w; set --db-dir", err)
	}
	return filepath.Join(dir, "dockward", "vulndb"), nil
}

// Open opens the database in dir for reading.
func Open(dir string) (*DB, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s: create one with `dockward db update` "+
			"or `dockward db import PATH`", ErrNoDatabase, dir)
	}
	b, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening vulnerability database %s: %w; rebuild it with `dockward db update`, "+
			"or offline with `dockward db import PATH`", path, err)
	}
	d := &DB{bolt: b, path: path}
	if err := d.readInfo(); err != nil {
		b.Close()
		return nil, err
	}
	return d, nil
}

func (d *DB) readInfo() error {
	return d.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketPackages) == nil || tx.Bucket(bucketDetails) == nil {
			return fmt.Errorf("vulnerability database %s is incomplete: rebuild it with `dockward db update`, or offline with `dockward db import PATH`", d.path)
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil {
			return fmt.Errorf("vulnerability database %s has no schema version: rebuild it with `dockward db update`, or offline with `dockward db import PATH`", d.path)
		}
		if v > SchemaVersion {
			return fmt.Errorf("%w: %s has schema %d, this dockward reads up to %d; "+
				"upgrade dockward or rebuild the database with this version's `dockward db update`",
				ErrNewerSchema, d.path, v, SchemaVersion)
		}
		if err := json.Unmarshal(meta.Get(keyInfo), &d.info); err != nil {
			return fmt.Errorf("reading database info of %s: %w", d.path, err)
		}
		return nil
	})
}

// Info returns the database's description.
func (d *DB) Info() Info { return d.info }

// Path returns the database file.
func (d *DB) Path() string { return d.path }

// Close closes the database file.
func (d *DB) Close() error { return d.bolt.Close() }

// Lookup returns the advisories stored for a package of an ecosystem,
// with the fields that matching reads.
func (d *DB) Lookup(ecosystem, name string) ([]Entry, error) {
	var out []Entry
	err := d.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = lookupTx(tx, ecosystem, name)
		return err
	})
	return out, err
}

func lookupTx(tx *bolt.Tx, ecosystem, name string) ([]Entry, error) {
	v := tx.Bucket(bucketPackages).Get(packageKey(ecosystem, name))
	if v == nil {
		return nil, nil
	}
	out, err := decodeMatchData(v)
	if err != nil {
		return nil, fmt.Errorf("reading advisories of %s package %q: %w; rebuild the database with `dockward db update`",
			ecosystem, name, err)
	}
	return out, nil
}

func detailsKey(pkgKey []byte, id string) []byte {
	k := append([]byte{}, pkgKey...)
	k = append(k, 0)
	return append(k, id...)
}

// Details fills the descriptive fields of an entry returned by Lookup for
// the same ecosystem and name.
func (d *DB) Details(ecosystem, name string, e *Entry) error {
	return d.bolt.View(func(tx *bolt.Tx) error { return detailsTx(tx, ecosystem, name, e) })
}

func detailsTx(tx *bolt.Tx, ecosystem, name string, e *Entry) error {
	v := tx.Bucket(bucketDetails).Get(detailsKey(packageKey(ecosystem, name), e.ID))
	if v == nil {
		return fmt.Errorf("details of advisory %s are missing; rebuild the database with `dockward db update`", e.ID)
	}
	if err := decodeDetails(v, e); err != nil {
		return fmt.Errorf("reading details of advisory %s: %w; rebuild the database with `dockward db update`", e.ID, err)
	}
	return nil
}

// begin starts the read transaction of one matching run.
func (d *DB) begin() (*bolt.Tx, error) {
	tx, err := d.bolt.Begin(false)
	if err != nil {
		return nil, fmt.Errorf("reading vulnerability database %s: %w", d.path, err)
	}
	return tx, nil
}

// packageKey is the key of a package: the canonical ecosystem and the
// normalised name, separated by a zero byte.
func packageKey(ecosystem, name string) []byte {
	eco := canonicalEcosystem(ecosystem)
	var b bytes.Buffer
	b.WriteString(eco)
	b.WriteByte(0)
	b.WriteString(normalizeName(eco, name))
	return b.Bytes()
}

// canonicalEcosystem drops the parts of an OSV ecosystem name that do not
// change which packages an advisory covers: Ubuntu's ":LTS" tag.
func canonicalEcosystem(e string) string {
	e = strings.TrimSpace(e)
	if strings.HasPrefix(e, "Ubuntu:") {
		e = strings.TrimSuffix(e, ":LTS")
	}
	return e
}

// normalizeName applies the ecosystem's own name equivalence: PyPI names
// are case-insensitive and treat runs of "-", "_" and "." alike (PEP 503).
func normalizeName(ecosystem, name string) string {
	base, _, _ := strings.Cut(ecosystem, ":")
	switch base {
	case "PyPI":
		name = strings.ToLower(name)
		return strings.Join(strings.FieldsFunc(name, func(r rune) bool {
			return r == '-' || r == '_' || r == '.'
		}), "-")
	case "crates.io", "Debian", "Ubuntu", "Alpine":
		return strings.ToLower(name)
	}
	return name
}
