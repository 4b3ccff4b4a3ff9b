package systemtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/touchpoint/touchpoint/"

// hubLayers ranks the hub's packages: a package imports only packages of
// a lower rank, so layers only look down and no server package imports
// another for a type.
var hubLayers = map[string]int{
	"hub/ca": 0, "hub/metrics": 0, "hub/raftlog": 0, "hub/fleet": 0, "hub/state/kv": 0,
	"hub/state": 1, "hub/state/badgerkv": 1, "hub/walmigrate": 1,
	"hub/cluster": 2,
	"hub/store":   3,
	"hub/httpapi": 4, "hub/agentlink": 4,
	"hub": 5,
}

// moduleImports lists, for each package of the module, the module's
// packages it imports (tests excluded), as paths relative to the module.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		graph[pkg] = nil
		for _, imp := range fields[1:] {
			if rel, ok := strings.CutPrefix(imp, module); ok {
				graph[pkg] = append(graph[pkg], rel)
			}
		}
	}
	return graph
}

// Every hub package has a layer, and imports only from layers below.
func TestLayers_HubPackagesImportOnlyDown(t *testing.T) {
	for pkg, imports := range moduleImports(t) {
		if pkg != "hub" && !strings.HasPrefix(pkg, "hub/") {
			continue
		}
		rank, ok := hubLayers[pkg]
		if !ok {
			t.Errorf("%s has no layer in hubLayers: give it one", pkg)
			continue
		}
		for _, imp := range imports {
			if r, ok := hubLayers[imp]; ok && r >= rank {
				t.Errorf("%s (layer %d) imports %s (layer %d)", pkg, rank, imp, r)
			}
		}
	}
}

// folderOf names the folder a package counts in: its top folder, and
// for the hub, the hub's own sub-folders (hub/state/kv is part of
// hub/state).
func folderOf(pkg string) string {
	parts := strings.Split(pkg, "/")
	if parts[0] == "hub" && len(parts) > 1 {
		return "hub/" + parts[1]
	}
	return parts[0]
}

// No two folders import each other, directly or around a loop.
func TestLayers_NoImportCycleBetweenFolders(t *testing.T) {
	folders := map[string][]string{}
	for pkg, imports := range moduleImports(t) {
		from := folderOf(pkg)
		for _, imp := range imports {
			if to := folderOf(imp); to != from && !slices.Contains(folders[from], to) {
				folders[from] = append(folders[from], to)
			}
		}
	}
	for start := range folders {
		if path := loopFrom(folders, start, []string{start}); path != nil {
			t.Errorf("folders import each other: %s", strings.Join(path, " → "))
		}
	}
}

// loopFrom returns a path from the last folder of path back to its first,
// or nil.
func loopFrom(graph map[string][]string, start string, path []string) []string {
	for _, next := range graph[path[len(path)-1]] {
		if next == start {
			return append(slices.Clone(path), next)
		}
		if slices.Contains(path, next) {
			continue
		}
		if found := loopFrom(graph, start, append(path, next)); found != nil {
			return found
		}
	}
	return nil
}
