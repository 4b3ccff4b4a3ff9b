package packaging

import "testing"

// Build versions become package versions that sort the way the builds do:
// a build after a tag sorts after the tag and before the next one.
func TestPackageVersions_SortLikeBuilds(t *testing.T) {
	tests := []struct {
		build      string
		linux, msi string
		wantErr    bool
	}{
		{build: "v1.4.2", linux: "1.4.2", msi: "1.4.200"},
		{build: "1.4.2", linux: "1.4.2", msi: "1.4.200"},
		{build: "v1.4.2-3-gabc1234", linux: "1.4.2+3.gabc1234", msi: "1.4.203"},
		{build: "v1.4.2-3-gabc1234-dirty", linux: "1.4.2+3.gabc1234.dirty", msi: "1.4.203"},
		{build: "v1.4.2-150-gabc1234", linux: "1.4.2+150.gabc1234", msi: "1.4.299"},
		{build: "v1.4.3", linux: "1.4.3", msi: "1.4.300"},
		{build: "e262039", linux: "0.0.0+ge262039", msi: "0.0.0"},
		{build: "e262039-dirty", linux: "0.0.0+ge262039.dirty", msi: "0.0.0"},
		{build: "dev", linux: "0.0.0+dev", msi: "0.0.0"},
		{build: "v256.0.0", wantErr: true},
		{build: "v1.2.0-rc.1", wantErr: true},
		{build: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := PackageVersions(tt.build)
		if tt.wantErr {
			if err == nil {
				t.Errorf("%q: no error, got %+v", tt.build, got)
			}
			continue
		}
		if err != nil || got.Linux != tt.linux || got.MSI != tt.msi {
			t.Errorf("%q = %+v, %v; want linux %s, msi %s", tt.build, got, err, tt.linux, tt.msi)
		}
	}
}
