package rule

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"builder", "builder", 0}, {"buidler", "builder", 2}, {"syscall", "syscalls", 1},
		{"", "abc", 3}, {"kitten", "sitting", 3},
	} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
