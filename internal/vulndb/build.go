package vulndb

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/dockward/dockward/internal/finding"
)

// maxReferences bounds the links kept per advisory; the first ones are
// the advisory's own pages and fixes.
const maxReferences = 8

// Builder collects advisories and writes them as a new database.
type Builder struct {
	// packages maps a package key to its entries by advisory ID.
	packages map[string]map[string]*Entry
	// ecosystems maps an ecosystem to the advisory IDs that affect it.
	ecosystems map[string]map[string]struct{}
	sources    []string
	withdrawn  int
	malformed  int
	problems   []finding.Problem
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{
		packages:   map[string]map[string]*Entry{},
		ecosystems: map[string]map[string]struct{}{},
	}
}

// Problems returns the records that could not be imported.
func (b *Builder) Problems() []finding.Problem { return b.problems }

// Records returns the number of distinct advisories collected.
func (b *Builder) Records() int {
	ids := map[string]struct{}{}
	for _, es := range b.packages {
		for id := range es {
			ids[id] = struct{}{}
		}
	}
	return len(ids)
}

func (b *Builder) problem(path, reason string) {
	b.malformed++
	b.problems = append(b.problems, finding.Problem{Path: path, Kind: "decode", Reason: reason})
}

// AddOSVData decodes one OSV record read from path and adds it. A record
// that does not decode is recorded as a problem and skipped.
func (b *Builder) AddOSVData(path string, data []byte) {
	r, err := DecodeOSV(data)
	if err != nil {
		b.problem(path, err.Error()+"; record skipped")
		return
	}
	b.AddOSV(r)
}

// AddOSV adds a decoded record. Withdrawn records are counted and left out.
func (b *Builder) AddOSV(r *OSV) {
	if r.Withdrawn != nil && !r.Withdrawn.IsZero() {
		b.withdrawn++
		return
	}
	rating := sourceRating(r.DatabaseSpecific)
	refs := make([]string, 0, min(len(r.References), maxReferences))
	for _, ref := range r.References {
		if len(refs) == maxReferences {
			break
		}
		refs = append(refs, ref.URL)
	}
	for _, a := range r.Affected {
		e := &Entry{
			ID: r.ID, Aliases: r.Aliases, Summary: summary(r), Published: r.Published,
			Modified: r.Modified, Severity: append(slices.Clone(r.Severity), a.Severity...),
			Rating:   cmp.Or(sourceRating(a.EcosystemSpecific, a.DatabaseSpecific), rating),
			Versions: a.Versions, Imports: goImports(a.EcosystemSpecific), References: refs,
			Package: a.Package.Name,
		}
		for _, rg := range a.Ranges {
			if rg.Type != "GIT" {
				e.Ranges = append(e.Ranges, rg)
			}
		}
		b.add(a.Package.Ecosystem, e)
	}
}

// add stores an entry. A second entry of the same advisory for the same
// package merges into the first, because records may list a package once
// per range set.
func (b *Builder) add(ecosystem string, e *Entry) {
	key := string(packageKey(ecosystem, e.Package))
	byID := b.packages[key]
	if byID == nil {
		byID = map[string]*Entry{}
		b.packages[key] = byID
	}
	if old, ok := byID[e.ID]; ok {
		old.Ranges = append(old.Ranges, e.Ranges...)
		old.Versions = append(old.Versions, e.Versions...)
		old.Imports = append(old.Imports, e.Imports...)
	} else {
		byID[e.ID] = e
	}
	eco := canonicalEcosystem(ecosystem)
	if b.ecosystems[eco] == nil {
		b.ecosystems[eco] = map[string]struct{}{}
	}
	b.ecosystems[eco][e.ID] = struct{}{}
}

// summary returns the record's summary, or the first line of its details.
func summary(r *OSV) string {
	if r.Summary != "" {
		return r.Summary
	}
	line := r.Details
	for i, c := range line {
		if c == '\n' {
			line = line[:i]
			break
		}
	}
	if len(line) > 200 {
		line = line[:200] + "..."
	}
	return line
}

// Write writes the collected advisories as the database in dir. It builds
// the file next to the old one and renames it into place, so readers see
// either the old or the new database, and a failure leaves the old one.
func (b *Builder) Write(dir string, now time.Time) (Info, error) {
	info := Info{
		SchemaVersion: SchemaVersion, Sources: b.sources, Built: now.UTC(),
		Records: b.Records(), Ecosystems: map[string]int{},
		Withdrawn: b.withdrawn, Malformed: b.malformed,
	}
	for eco, ids := range b.ecosystems {
		info.Ecosystems[eco] = len(ids)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return info, fmt.Errorf("creating database directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".vulndb-*.tmp")
	if err != nil {
		return info, fmt.Errorf("creating database file: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath)

	if err := b.writeBolt(tmpPath, info); err != nil {
		return info, fmt.Errorf("writing database %s: %w", tmpPath, err)
	}
	if err := os.Chmod(tmpPath, 0o644); err != nil {
		return info, fmt.Errorf("writing database %s: %w", tmpPath, err)
	}
	if err := os.Rename(tmpPath, filepath.Join(dir, FileName)); err != nil {
		return info, fmt.Errorf("replacing database: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return info, nil
}

func (b *Builder) writeBolt(path string, info Info) error {
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second, NoFreelistSync: true})
	if err != nil {
		return err
	}
	// One fsync at the end is enough: the file is not visible until the
	// rename.
	db.NoSync = true
	err = db.Update(func(tx *bolt.Tx) error {
		if err := b.putPackages(tx); err != nil {
			return err
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		v, err := json.Marshal(info)
		if err != nil {
			return err
		}
		if err := meta.Put(keyInfo, v); err != nil {
			return err
		}
		return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
	if err == nil {
		err = db.Sync()
	}

	// bbolt grows its file in large steps, and the pages past the last
	// one in use are empty, so the file is cut to the size in use.
	var size int64
	if err == nil {
		err = db.View(func(tx *bolt.Tx) error {
			size = tx.Size()
			return nil
		})
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > 0 {
		err = os.Truncate(path, size)
	}
	return err
}

// putPackages writes the match data and details of every package in key
// order, which lets bbolt fill its pages completely.
func (b *Builder) putPackages(tx *bolt.Tx) error {
	pk, err := tx.CreateBucket(bucketPackages)
	if err != nil {
		return err
	}
	det, err := tx.CreateBucket(bucketDetails)
	if err != nil {
		return err
	}
	pk.FillPercent, det.FillPercent = 1.0, 1.0
	keys := make([]string, 0, len(b.packages))
	for k := range b.packages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		entries := make([]*Entry, 0, len(b.packages[k]))
		for _, e := range b.packages[k] {
			entries = append(entries, e)
		}
		slices.SortFunc(entries, func(x, y *Entry) int { return cmp.Compare(x.ID, y.ID) })
		if err := pk.Put([]byte(k), encodeMatchData(entries)); err != nil {
			return err
		}
		for _, e := range entries {
			if err := det.Put(detailsKey([]byte(k), e.ID), encodeDetails(e)); err != nil {
				return err
			}
		}
	}
	return nil
}
