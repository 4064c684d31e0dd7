package image

import (
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockward/dockward/internal/testenv"
)

// nxdomainTransport returns an HTTP transport whose resolver sends its
// queries to a DNS server on the loopback interface that answers each with
// NXDOMAIN, so a lookup fails as it does for an unknown host without
// sending anything to another host. The counter records the queries.
func nxdomainTransport(t *testing.T) (http.RoundTripper, *atomic.Int32) {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	queries := &atomic.Int32{}
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			queries.Add(1)
			if reply := nxdomainReply(buf[:n]); reply != nil {
				_, _ = conn.WriteTo(reply, from)
			}
		}
	}()

	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", conn.LocalAddr().String())
	}}
	return &http.Transport{DialContext: (&net.Dialer{Resolver: resolver}).DialContext}, queries
}

// nxdomainReply answers a DNS query (RFC 1035 section 4.1) with its ID,
// its question and the response code 3, NXDOMAIN.
func nxdomainReply(query []byte) []byte {
	if len(query) < 12 {
		return nil
	}
	end := 12
	for end < len(query) && query[end] != 0 {
		end += int(query[end]) + 1
	}
	end += 5 // the root label, then QTYPE and QCLASS
	if end > len(query) {
		return nil
	}
	reply := make([]byte, 12, end)
	copy(reply, query[:2])
	binary.BigEndian.PutUint16(reply[2:], 0x8000|uint16(query[2]&0x01)<<8|0x0080|3) // QR, RD, RA, NXDOMAIN
	binary.BigEndian.PutUint16(reply[4:], 1)
	return append(reply, query[12:end]...)
}

func TestRegistryUnresolvableHost(t *testing.T) {
	transport, queries := nxdomainTransport(t)
	_, err := Open(context.Background(), "registry:nosuch.invalid/image:1", Options{transport: transport})
	require.Positive(t, queries.Load(), "the loopback DNS server was not asked")
	require.ErrorIs(t, err, ErrRegistryUnreachable)
	require.NotErrorIs(t, err, ErrNotFound)
	require.ErrorContains(t, err, `image "nosuch.invalid/image:1": its registry host "nosuch.invalid" `+
		"could not be resolved (no such host): check the image name, or name a local image with a source prefix")
}

// TestRegistryUnresolvableHostDetected leaves out the prefix, so the
// Docker Engine is asked first when one runs.
func TestRegistryUnresolvableHostDetected(t *testing.T) {
	transport, queries := nxdomainTransport(t)
	_, err := Open(context.Background(), "nosuch.invalid/image:1", Options{transport: transport})
	require.Positive(t, queries.Load(), "the loopback DNS server was not asked")
	require.ErrorIs(t, err, ErrRegistryUnreachable)
	msg := err.Error()
	require.True(t, strings.HasPrefix(msg, `"nosuch.invalid/image:1" is not a file, not `), msg)
	require.Contains(t, msg, `and its registry host "nosuch.invalid" could not be resolved (no such host)`)
	require.Equal(t, 0, strings.Count(msg, "image not found"), msg)
}

func TestRegistryConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	_, err = Open(context.Background(), "registry:"+addr+"/app:1", Options{InsecureRegistry: true})
	require.ErrorIs(t, err, ErrRegistryUnreachable)
	require.ErrorContains(t, err, `its registry host "`+addr+`" could not be reached (`)
	require.ErrorContains(t, err, "connection refused")
}

func TestIntegrationRegistryNotFound(t *testing.T) {
	registry := lookPath(t, "docker-registry")
	skopeo := lookPath(t, "skopeo")
	testenv.RequireIntegration(t)
	addr := startRegistry(t, registry)
	layout := writeDir(t, ociLayout(t))
	out, err := exec.Command(skopeo, "copy", "--all", "--dest-tls-verify=false", "oci:"+layout+":1.0",
		"docker://"+addr+"/dockward-test/multi:1").CombinedOutput()
	require.NoError(t, err, "skopeo copy: %s", out)

	for _, ref := range []string{addr + "/dockward-test/none:1", addr + "/dockward-test/multi:2"} {
		t.Run(ref[strings.IndexByte(ref, '/')+1:], func(t *testing.T) {
			_, err := Open(context.Background(), "registry:"+ref, Options{InsecureRegistry: true})
			require.ErrorIs(t, err, ErrNotFound)
			require.NotErrorIs(t, err, ErrRegistryUnreachable)
			require.ErrorContains(t, err, `image "`+ref+`": image not found in registry `+addr+" (")
			require.ErrorContains(t, err, "HTTP 404; MANIFEST_UNKNOWN: ")
			require.NotContains(t, err.Error(), "map[", "the registry's error detail is left out")
		})
	}

	_, err = Open(context.Background(), "registry:"+addr+"/dockward-test/multi:1",
		Options{Platform: "linux/ppc64le", InsecureRegistry: true})
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorContains(t, err, "no image for platform linux/ppc64le; available: linux/amd64, linux/arm64; "+
		"choose one with --platform")
	require.NotContains(t, err.Error(), "no child")
}

func TestNXDomainReply(t *testing.T) {
	// A query for "a.invalid", type A, class IN, with recursion desired.
	query := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd', 0, 0, 1, 0, 1}
	reply := nxdomainReply(query)
	require.Equal(t, query[:2], reply[:2])
	require.Equal(t, uint16(0x8183), binary.BigEndian.Uint16(reply[2:]))
	require.Equal(t, query[12:], reply[12:])
	require.Nil(t, nxdomainReply(query[:20]), "truncated question")
}

// recordingTransport records the URL of each request and returns 404.
type recordingTransport struct{ urls []string }

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.String())
	return &http.Response{StatusCode: http.StatusNotFound, Body: http.NoBody, Request: req}, nil
}

func TestLoopbackHTTPOnly(t *testing.T) {
	for _, tc := range []struct {
		url     string
		allowed bool
	}{
		{"http://127.0.0.1:5000/v2/", true},
		{"http://localhost:5000/v2/", true},
		{"http://[::1]:5000/v2/", true},
		{"https://10.0.0.5/v2/", true},
		{"http://10.0.0.5/v2/", false},
		{"http://registry.local/v2/", false},
		{"http://192.168.1.20:5000/v2/", false},
	} {
		rec := &recordingTransport{}
		req, err := http.NewRequest(http.MethodGet, tc.url, nil)
		require.NoError(t, err)
		resp, err := loopbackHTTPOnly{rec}.RoundTrip(req)
		if tc.allowed {
			require.NoError(t, err, tc.url)
			resp.Body.Close()
			require.Equal(t, []string{tc.url}, rec.urls)
			continue
		}
		require.ErrorContains(t, err, "plain HTTP to ", tc.url)
		require.ErrorContains(t, err, "is not allowed", tc.url)
		require.ErrorContains(t, err, "--insecure-registry", tc.url)
		require.Empty(t, rec.urls, "nothing is sent for %s", tc.url)
	}
}
