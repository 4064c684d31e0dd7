package secrets_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/secrets"
	"github.com/dockward/dockward/internal/secrets/secrettest"
)

// TestRedactedShowsOnlyPublicPrefix checks that a redacted match keeps no
// characters beyond the documented prefix of its format, which each
// detector's Example spells out: ghp_, AKIA, sk_live_ and the like. A
// password or a base64 key has no such prefix and shows nothing.
func TestRedactedShowsOnlyPublicPrefix(t *testing.T) {
	byID := map[string]*secrets.Detector{}
	for _, d := range secrets.Detectors() {
		byID[d.ID] = d
	}
	for seed := uint64(1); seed <= 5; seed++ {
		for _, p := range secrettest.Plants(seed) {
			t.Run(p.RuleID, func(t *testing.T) {
				for _, m := range secrets.Default().Scan(p.Path, []byte(p.Content)) {
					if m.RuleID != p.RuleID {
						continue
					}
					head, _, masked := strings.Cut(m.Redacted, secrets.Mask)
					if !masked || head == "" {
						continue
					}
					require.Contains(t, byID[m.RuleID].Example, head,
						"seed %d: %s shows %q, which is not its public prefix", seed, m.RuleID, m.Redacted)
				}
			})
		}
	}
}

func TestPasswordURLFullyMasked(t *testing.T) {
	const password = "Qz7kLm29vXpT4rW8sYbN"
	for _, text := range []string{
		"DATABASE_URL=postgres://app:" + password + "@db:5432/app",
		"BROKER=amqp://app:" + password + "@mq:5672/",
		"git clone https://ci:" + password + "@git.example.com/app.git",
	} {
		ms := secrets.Default().Scan("run.sh", []byte(text+"\n"))
		require.NotEmpty(t, ms, text)
		require.Equal(t, secrets.Mask, ms[0].Redacted, text)
	}
}
