package packaging

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// describePattern matches `git describe --tags --always --dirty`: a release
// tag, commits after it, and -dirty; or a bare commit hash.
var describePattern = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-(\d+)-g([0-9a-f]+))?(-dirty)?$`)

var hashPattern = regexp.MustCompile(`^[0-9a-f]{4,40}(-dirty)?$`)

// Versions are one build's version in each package format's syntax.
type Versions struct {
	Linux string // deb and rpm: 1.4.2, 1.4.2+3.gabc1234, 0.0.0+gabc1234
	MSI   string // major.minor.build, each field in range, rising with every commit
}

// PackageVersions converts a build version (the binary's main.version)
// for the packages. Builds between tags sort after their tag; builds
// without a tag are 0.0.0 with the commit.
func PackageVersions(build string) (Versions, error) {
	if m := describePattern.FindStringSubmatch(build); m != nil {
		major, minor, patch := atoi(m[1]), atoi(m[2]), atoi(m[3])
		commits := atoi(m[4])
		if major > 255 || minor > 255 || patch > 650 {
			return Versions{}, fmt.Errorf("version %q: an .msi allows major and minor up to 255 and this scheme patch up to 650", build)
		}
		linux := fmt.Sprintf("%d.%d.%d", major, minor, patch)
		var meta []string
		if commits > 0 {
			meta = append(meta, fmt.Sprintf("%d.g%s", commits, m[5]))
		}
		if m[6] != "" {
			meta = append(meta, "dirty")
		}
		if len(meta) > 0 {
			linux += "+" + strings.Join(meta, ".")
		}
		// Windows Installer compares only the first three fields, so the
		// commits since the tag go into the third: patch*100 + commits.
		return Versions{Linux: linux, MSI: fmt.Sprintf("%d.%d.%d", major, minor, patch*100+min(commits, 99))}, nil
	}
	if hashPattern.MatchString(build) {
		return Versions{Linux: "0.0.0+g" + strings.Replace(build, "-dirty", ".dirty", 1), MSI: "0.0.0"}, nil
	}
	if build == "dev" {
		return Versions{Linux: "0.0.0+dev", MSI: "0.0.0"}, nil
	}
	return Versions{}, fmt.Errorf("version %q: want vMAJOR.MINOR.PATCH as `git describe` prints it", build)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
