package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestImageConfigFromDockerfile(t *testing.T) {
	src := "FROM golang:1.23 AS build\nUSER 1000\nRUN go build\n\n" +
		"FROM scratch AS app\nCOPY --from=build /out /app\nUSER 65534\n" +
		"HEALTHCHECK CMD [\"/app\", \"health\"]\n\n" +
		"FROM app AS debug\nUSER root\nHEALTHCHECK NONE\n"

	tests := []struct {
		name     string
		target   string
		user     string
		userLine int
		health   []string
		disabled bool
		base     string
	}{
		{"last stage inherits and overrides", "", "root", 11, []string{"NONE"}, true, ""},
		{"named stage from scratch", "app", "65534", 7, []string{"CMD", "/app", "health"}, false, ""},
		{"stage on an external image", "build", "1000", 2, nil, false, "golang:1.23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := ImageConfigFromDockerfile("Dockerfile", []byte(src), tt.target)
			require.NoError(t, err)
			require.Equal(t, tt.user, ic.User.V)
			require.Equal(t, tt.userLine, ic.User.Pos.Line)
			require.Equal(t, tt.health, ic.Healthcheck.V.Test)
			require.Equal(t, tt.disabled, ic.Healthcheck.V.Disabled)
			require.Equal(t, tt.base, ic.Base)
		})
	}
}

func TestImageConfigFromDockerfileErrors(t *testing.T) {
	_, err := ImageConfigFromDockerfile("Dockerfile", []byte("FROM alpine\n"), "missing")
	require.ErrorContains(t, err, `no stage "missing"`)

	_, err = ImageConfigFromDockerfile("Dockerfile", []byte("# only a comment\n"), "")
	require.Error(t, err)
}

func TestImageConfigExposedPorts(t *testing.T) {
	src := "FROM scratch AS base\nEXPOSE 80 53/udp\n\nFROM base\nEXPOSE 8443/TCP $PORT\n"

	ic, err := ImageConfigFromDockerfile("Dockerfile", []byte(src), "")
	require.NoError(t, err)

	require.Equal(t, []string{"53/udp", "80/tcp", "$PORT", "8443/tcp"}, ic.ExposedPorts)
}
