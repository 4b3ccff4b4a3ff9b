package systemtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	mdLink       = regexp.MustCompile(`\[[^\]]*\]\(([^)\s]+)\)`)
	mdHeading    = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)
	mdInlineCode = regexp.MustCompile("`[^`]*`")
)

// mdPage is what the link check needs of a Markdown file: its links and
// the anchors of its headings, both outside code.
type mdPage struct {
	links   []string
	anchors map[string]bool
}

func readMarkdown(t *testing.T, path string) mdPage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := mdPage{anchors: map[string]bool{}}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			a := anchorOf(m[1])
			if n := seen[a]; n > 0 {
				p.anchors[a+"-"+strconv.Itoa(n)] = true
			} else {
				p.anchors[a] = true
			}
			seen[a]++
		}
		for _, m := range mdLink.FindAllStringSubmatch(mdInlineCode.ReplaceAllString(line, ""), -1) {
			p.links = append(p.links, m[1])
		}
	}
	return p
}

// anchorOf is the anchor GitHub gives a heading: lower case, without
// punctuation, spaces as hyphens.
func anchorOf(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Every relative link in README.md and docs/ names a file that exists
// and, after '#', a heading of that file; every page of docs/ is linked
// from README.md.
func TestDocs_LinksResolve(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no docs pages: %v", err)
	}
	readme := filepath.Join("..", "README.md")
	linked := map[string]bool{}
	for _, page := range append(pages, readme) {
		for _, link := range readMarkdown(t, page).links {
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(link, "#")
			target := page
			if file != "" {
				target = filepath.Join(filepath.Dir(page), filepath.FromSlash(file))
			}
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: link %s: %v", page, link, err)
				continue
			}
			if page == readme {
				linked[filepath.Clean(target)] = true
			}
			if anchor != "" && !readMarkdown(t, target).anchors[anchor] {
				t.Errorf("%s: link %s: %s has no heading with anchor #%s", page, link, target, anchor)
			}
		}
	}
	for _, page := range pages {
		if !linked[filepath.Clean(page)] {
			t.Errorf("README.md does not link to %s", page)
		}
	}
}

// The anchors GitHub derives from headings, as the link check computes them.
func TestDocs_AnchorOf(t *testing.T) {
	for heading, want := range map[string]string{
		"Dealers and agents":                   "dealers-and-agents",
		"`make test`":                          "make-test",
		"Identity: how hints become a person":  "identity-how-hints-become-a-person",
		"HTTPS for the HTTP API":               "https-for-the-http-api",
		"Design notes: libraries and why":      "design-notes-libraries-and-why",
		"Environment variables for tests":      "environment-variables-for-tests",
		"Service and setup commands":           "service-and-setup-commands",
		"A node whose Raft log cannot be read": "a-node-whose-raft-log-cannot-be-read",
	} {
		if got := anchorOf(heading); got != want {
			t.Errorf("anchorOf(%q) = %q, want %q", heading, got, want)
		}
	}
}
