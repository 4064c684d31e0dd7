package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBrokenContinuationHidesValues(t *testing.T) {
	const password = "Qz7kLm29vXpT4rW8sYbN"
	const stripe = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc123"
	tests := []struct {
		name   string
		lost   string
		want   string
		hidden []string
	}{
		{"env values", "-e DB_PASSWORD=" + password + " \\\n  -e STRIPE_KEY=" + stripe + " \\\n  img:1",
			"-e DB_PASSWORD=**** -e STRIPE_KEY=**** img:1", []string{password, stripe, "sk_live"}},
		{"env flag with equals", "--env=API_TOKEN=" + password + " img:1",
			"--env=API_TOKEN=**** img:1", []string{password}},
		{"label value", "--label api_key=" + password + " img:1",
			"--label api_key=**** img:1", []string{password}},
		{"plain setting value", "--label env=prod --read-only img:1",
			"--label env=**** --read-only img:1", nil},
		{"secret flag value", "img:1 --password " + password,
			"img:1 --password ****", []string{password}},
		{"token in a word", "img:1 run " + stripe, "img:1 run sk_live_****", []string{stripe}},
		{"mount keeps its target", "--mount type=bind,src=/srv/data,dst=/data --log-opt max-size=10m img:1",
			"--mount type=bind,src=/srv/data,dst=/data --log-opt max-size=10m img:1", nil},
		{"secret named assignment", "--build-arg=VERSION=1.2 -v DB_PASSWORD=" + password + ":/x img:1",
			"--build-arg=VERSION=**** -v DB_PASSWORD=**** img:1", []string{password}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auditScript(t, "docker run --rm \\ \n  "+tt.lost+"\n")

			msgs := messagesOf(got, "RT036")
			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], " it: "+tt.want)
			for _, s := range tt.hidden {
				require.NotContains(t, msgs[0], s)
			}
		})
	}
}

func TestBrokenContinuationNamesLostLines(t *testing.T) {
	one := messagesOf(auditScript(t, "docker run --rm \\ \n  --read-only img:1\n"), "RT036")
	require.Len(t, one, 1)
	require.Contains(t, one[0], "; line 2 never reaches it: --read-only img:1")

	two := messagesOf(auditScript(t, "docker run --rm \\ \n  --read-only \\\n  img:1\n"), "RT036")
	require.Len(t, two, 1)
	require.Contains(t, two[0], "; lines 2-3 never reach it: --read-only img:1")
}
