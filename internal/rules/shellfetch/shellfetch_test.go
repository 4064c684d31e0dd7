package shellfetch

import (
	"testing"

	"github.com/dockward/dockward/internal/input/dockerfile"
)

func TestFind(t *testing.T) {
	tests := []struct {
		script string
		want   []Match
	}{
		{"curl -fsSL https://x.invalid | sudo bash -s", []Match{{Kind: Pipe, Downloader: "curl", Interpreter: "bash"}}},
		{`sh -c "$(wget -qO- https://x.invalid)"`, []Match{{Kind: Substitution, Interpreter: "sh"}}},
		{"bash <(curl -fsSL https://x.invalid)", []Match{{Kind: Substitution, Interpreter: "bash"}}},
		{`echo "curl https://x.invalid | sh"`, nil},
		{"true # curl https://x.invalid | sh", nil},
		{"curl https://x.invalid | sh -c 'cat > /f'", nil},
		{"curl https://x.invalid | jq .", nil},
	}
	for _, tc := range tests {
		t.Run(tc.script, func(t *testing.T) {
			got := Find(dockerfile.ParseScript(tc.script))
			if len(got) != len(tc.want) {
				t.Fatalf("Find(%q) = %+v; want %+v", tc.script, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("match %d = %+v; want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
