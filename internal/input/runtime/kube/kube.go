// Package kube reads Kubernetes manifests into the runtime model: one
// runtime.Container for every container, init container and ephemeral
// container of every workload in a file. It understands Pod, Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController,
// PodTemplate and List, in multi-document YAML or JSON, such as the output
// of helm template. Other kinds are skipped.
//
// The typed values come from the k8s.io/api types. Their positions come
// from a YAML node index of the same bytes, so each value points at the
// line that set it, also through anchors and merge keys.
//
// Known limits: the pod's restartPolicy is not mapped to the restart
// policy, because the kubelet backs off restarts. A port counts as
// published only with a hostPort, also under hostNetwork. A container
// without a seccomp profile has the seccomp value unset, although the
// kubelet runs it Unconfined unless its seccompDefault option is on.
package kube

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"

	"github.com/dockward/dockward/internal/finding"
	"github.com/dockward/dockward/internal/input/runtime"
	"github.com/dockward/dockward/internal/input/yamlpos"
)

// templatePaths maps each workload kind to the keys leading from the
// object to its pod template. An empty path means the object is a pod.
var templatePaths = map[string][]string{
	"Pod":                   nil,
	"PodTemplate":           {"template"},
	"Deployment":            {"spec", "template"},
	"StatefulSet":           {"spec", "template"},
	"DaemonSet":             {"spec", "template"},
	"ReplicaSet":            {"spec", "template"},
	"ReplicationController": {"spec", "template"},
	"Job":                   {"spec", "template"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template"},
}

// maxListDepth bounds nested List objects.
const maxListDepth = 8

// Reader reads manifests. The zero value discards its log.
type Reader struct {
	// Logger receives debug records for skipped kinds; nil discards them.
	Logger *slog.Logger
}

// Result is the outcome of reading one manifest file.
type Result struct {
	Containers []*runtime.Container
	// Problems are documents that could not be decoded. The other
	// documents of the file are still read.
	Problems []finding.Problem
}

// Read decodes every document of a manifest file. path is used in
// positions and problems.
func (r Reader) Read(path string, data []byte) Result {
	var res Result
	docs, err := yamlpos.Parse(path, data)
	accounts := serviceAccounts(docs)
	for _, doc := range docs {
		r.readObject(path, doc, &res, accounts, 0)
	}
	if err != nil {
		pe := yamlpos.NewError(path, err)
		res.Problems = append(res.Problems, finding.Problem{
			Path: path, Line: pe.Line, Kind: "decode",
			Reason: "invalid YAML: " + pe.Reason + "; documents after this line were not read",
		})
	}
	return res
}

func (r Reader) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func (r Reader) readObject(path string, obj *yaml.Node, res *Result,
	accounts map[string]*yaml.Node, depth int,
) {
	obj = yamlpos.Resolve(obj)
	if obj == nil || obj.Kind != yaml.MappingNode {
		if !yamlpos.IsNull(obj) {
			r.logger().Debug("skipping a manifest document that is not a mapping",
				slog.String("path", path), slog.Int("line", obj.Line))
		}
		return
	}
	kind := yamlpos.ScalarValue(yamlpos.Get(obj, "kind"))
	if strings.HasSuffix(kind, "List") {
		if depth >= maxListDepth {
			return
		}
		for _, item := range yamlpos.Items(yamlpos.Get(obj, "items")) {
			r.readObject(path, item, res, accounts, depth+1)
		}
		return
	}
	keys, ok := templatePaths[kind]
	if !ok {
		r.logger().Debug("skipping a manifest kind without pods",
			slog.String("path", path), slog.Int("line", obj.Line), slog.String("kind", kind))
		return
	}

	tmpl := obj
	if len(keys) > 0 {
		tmpl = yamlpos.Get(obj, keys...)
	}
	if tmpl == nil || tmpl.Kind != yaml.MappingNode {
		return
	}
	var pt corev1.PodTemplateSpec
	if err := decode(tmpl, &pt); err != nil {
		res.Problems = append(res.Problems, finding.Problem{
			Path: path, Line: obj.Line, Kind: "decode",
			Reason: fmt.Sprintf("invalid %s: %v", kind, err),
		})
		return
	}

	name := yamlpos.ScalarValue(yamlpos.Get(obj, "metadata", "name"))
	account := pt.Spec.ServiceAccountName
	if account == "" {
		account = "default"
	}
	namespace := yamlpos.ScalarValue(yamlpos.Get(obj, "metadata", "namespace"))
	w := &workload{
		path:     path,
		name:     kind + "/" + name,
		account:  accounts[namespace+"/"+account],
		meta:     &pt.ObjectMeta,
		spec:     &pt.Spec,
		metaNode: yamlpos.Get(tmpl, "metadata"),
		specNode: yamlpos.Get(tmpl, "spec"),
	}
	res.Containers = append(res.Containers, w.containers()...)
}

// decode converts a node to JSON and decodes it into v, so that the
// Kubernetes types apply their own JSON rules (quantities, int-or-string).
func decode(n *yaml.Node, v any) error {
	b, err := yamlpos.JSON(n)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return describeJSONError(err)
	}
	return nil
}

func describeJSONError(err error) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Errorf("field %s: cannot use %s as %s", te.Field, te.Value, te.Type)
	}
	return err
}

var (
	apiVersionRE = regexp.MustCompile(`(?m)^\s*"?apiVersion"?\s*:`)
	kindRE       = regexp.MustCompile(`(?m)^\s*"?kind"?\s*:`)
)

// Detect reports whether data looks like a Kubernetes manifest: some
// document has both an apiVersion and a kind key. It reads no further
// than needed and decodes nothing.
func Detect(data []byte) bool {
	if !bytes.Contains(data, []byte("apiVersion")) || !bytes.Contains(data, []byte("kind")) {
		return false
	}
	return apiVersionRE.Match(data) && kindRE.Match(data)
}

// serviceAccounts indexes the automountServiceAccountToken value nodes of
// the ServiceAccounts in a file by namespace/name. A pod that does not
// set the field itself inherits its service account's.
func serviceAccounts(docs []*yaml.Node) map[string]*yaml.Node {
	out := make(map[string]*yaml.Node)
	var add func(n *yaml.Node, depth int)
	add = func(n *yaml.Node, depth int) {
		kind := yamlpos.ScalarValue(yamlpos.Get(n, "kind"))
		if strings.HasSuffix(kind, "List") && depth < maxListDepth {
			for _, item := range yamlpos.Items(yamlpos.Get(n, "items")) {
				add(item, depth+1)
			}
			return
		}
		v := yamlpos.Get(n, "automountServiceAccountToken")
		if kind != "ServiceAccount" || v == nil || v.Kind != yaml.ScalarNode {
			return
		}
		name := yamlpos.ScalarValue(yamlpos.Get(n, "metadata", "name"))
		namespace := yamlpos.ScalarValue(yamlpos.Get(n, "metadata", "namespace"))
		out[namespace+"/"+name] = v
	}
	for _, d := range docs {
		add(d, 0)
	}
	return out
}
