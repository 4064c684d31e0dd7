package runtime

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// githubPrefix is put before the options of a GitHub Actions job or
// service container so they parse as the docker create flags they are.
const githubPrefix = "docker create "

// GitHubContainers returns the job and service containers of a GitHub
// Actions workflow that pass docker create flags in options:, such as
//
//	container:
//	  image: node:22
//	  options: --privileged --cpus 2
//
// The runner adds flags of its own (network, mounts, environment) that
// the file does not show, so each container carries an unknown argument
// and rules about missing flags stay silent for it.
func GitHubContainers(path string, data []byte) []*Container {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	jobs := mappingValue(doc.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil
	}
	var out []*Container
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		job := jobs.Content[i+1]
		if job.Kind != yaml.MappingNode {
			continue
		}
		if c := githubContainer(path, jobs.Content[i].Value, mappingValue(job, "container")); c != nil {
			out = append(out, c)
		}
		services := mappingValue(job, "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for k := 0; k+1 < len(services.Content); k += 2 {
			if c := githubContainer(path, services.Content[k].Value, services.Content[k+1]); c != nil {
				out = append(out, c)
			}
		}
	}
	return out
}

func githubContainer(path, name string, n *yaml.Node) *Container {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	opts := mappingValue(n, "options")
	img := mappingValue(n, "image")
	if opts == nil || opts.Kind != yaml.ScalarNode || img == nil || img.Kind != yaml.ScalarNode {
		return nil
	}

	column := opts.Column
	if opts.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		column++
	}
	text := githubPrefix + strings.ReplaceAll(opts.Value, "\n", " ") + " " + shellQuote(img.Value)
	text = ciExpression.ReplaceAllStringFunc(text, func(s string) string { return unknownMarker(len(s)) })
	s := Script{Text: text, Line: opts.Line, Indent: column - 1 - len(githubPrefix)}
	cs, err := parseScript(path, s)
	if err != nil || len(cs) != 1 {
		return nil
	}

	c := cs[0]
	c.Name = name
	c.Pos = Pos{Path: path, Line: n.Line, Column: n.Column}
	imgPos := Pos{Path: path, Line: img.Line, Column: img.Column}
	if c.Image.Known() {
		c.Image.Pos = imgPos
	} else {
		c.Image = UnknownAt[string](img.Value, imgPos)
	}
	c.UnknownArgs = append(c.UnknownArgs, UnknownAt[string]("flags added by the runner", c.Pos))
	return c
}

// shellQuote quotes s as one shell word, unless it holds an expression
// that must stay unknown.
func shellQuote(s string) string {
	if strings.Contains(s, "${{") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
