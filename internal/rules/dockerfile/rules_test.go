package dockerfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dockward/dockward/internal/config"
	"github.com/dockward/dockward/internal/engine"
)

// ruleCase expects a rule to fire on exactly the given lines (none for a
// negative case).
type ruleCase struct {
	name string
	rule string
	src  string
	want []int
	opts runOptions
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			got := ruleLines(analyze(t, tc.src, tc.opts), tc.rule)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s lines (-want +got):\n%s\nsource:\n%s", tc.rule, diff, tc.src)
			}
		})
	}
}

func TestUserRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"no user", "DF001", "FROM debian:12\nCMD [\"x\"]\n", []int{1}, runOptions{}},
		{"user in final", "DF001", "FROM debian:12\nUSER 1000\n", nil, runOptions{}},
		{"user only in builder", "DF001", "FROM debian:12 AS b\nUSER 1000\nFROM alpine:3.22\nCMD [\"x\"]\n", []int{3}, runOptions{}},
		{"user inherited from stage", "DF001", "FROM debian:12 AS base\nUSER 1000\nFROM base\nCMD [\"x\"]\n", nil, runOptions{}},
		{"scratch", "DF001", "FROM scratch\nCOPY app /\n", []int{1}, runOptions{}},
		{"global arg not redeclared", "DF001", "ARG U=10001\nFROM alpine:3.22\nUSER ${U}\n", []int{3}, runOptions{}},
		{"global arg redeclared", "DF001", "ARG U=10001\nFROM alpine:3.22\nARG U\nUSER ${U}\n", nil, runOptions{}},
		{"distroless nonroot", "DF001", "FROM gcr.io/distroless/static:nonroot\n", nil, runOptions{}},
		{"target selects builder", "DF001", "FROM debian:12 AS build\nRUN make\nFROM alpine:3.22\nUSER 1\n", []int{1}, runOptions{target: "build"}},
		{"root by name", "DF002", "FROM debian:12\nUSER root\n", []int{2}, runOptions{}},
		{"root uid gid", "DF002", "FROM debian:12\nUSER 0:0\n", []int{2}, runOptions{}},
		{"root then app", "DF002", "FROM debian:12\nUSER root\nRUN id\nUSER 1000\n", nil, runOptions{}},
		{"root via arg default", "DF002", "FROM debian:12\nARG U=0\nUSER $U\n", []int{3}, runOptions{}},
		{"unknown arg", "DF002", "FROM debian:12\nARG U\nUSER $U\n", nil, runOptions{}},
		{"root in earlier stage only", "DF002", "FROM debian:12 AS b\nUSER root\nFROM debian:12\nUSER 10\n", nil, runOptions{}},
		{"by name", "DF003", "FROM debian:12\nUSER app\n", []int{2}, runOptions{}},
		{"windows user name", "DF003", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n", nil, runOptions{}},
		{"numeric", "DF003", "FROM debian:12\nUSER 1000:1000\n", nil, runOptions{}},
		{"group by name", "DF003", "FROM debian:12\nUSER 1000:staff\n", []int{2}, runOptions{}},
		{"root not doubled", "DF003", "FROM debian:12\nUSER root\n", nil, runOptions{}},
	})
}

func TestBaseImageRules(t *testing.T) {
	allowed := &config.Config{Version: 1, Policy: config.Policy{
		AllowedRegistries: []string{"registry.example.com", "ghcr.io/acme"}}}
	images := &config.Config{Version: 1, Policy: config.Policy{
		AllowedBaseImages: []string{"alpine", "acme/*"}}}
	runRuleCases(t, []ruleCase{
		{"no tag", "DF004", "FROM ubuntu\n", []int{1}, runOptions{}},
		{"latest", "DF004", "FROM ubuntu:latest\n", []int{1}, runOptions{}},
		{"tagged", "DF004", "FROM ubuntu:24.04\n", nil, runOptions{}},
		{"digest only", "DF004", "FROM ubuntu@sha256:" + digest + "\n", nil, runOptions{}},
		{"scratch", "DF004", "FROM scratch\n", nil, runOptions{}},
		{"stage reference", "DF004", "FROM alpine:3.22 AS base\nFROM base\n", nil, runOptions{}},
		{"arg expanded", "DF004", "ARG TAG=latest\nFROM alpine:${TAG}\n", []int{2}, runOptions{}},
		{"arg without default", "DF004", "ARG TAG\nFROM alpine:${TAG}\n", nil, runOptions{}},
		{"not pinned", "DF005", "FROM alpine:3.22\n", []int{1}, runOptions{}},
		{"image id", "DF005", "FROM sha256:" + digest + "\n", nil, runOptions{}},
		{"pinned", "DF005", "FROM alpine:3.22@sha256:" + digest + "\n", nil, runOptions{}},
		{"eol debian", "DF006", "FROM debian:buster-slim\n", []int{1}, runOptions{}},
		{"eol python on buster", "DF006", "FROM python:3.8-slim-buster\n", []int{1, 1}, runOptions{}},
		{"supported", "DF006", "FROM python:3.13-slim-trixie\n", nil, runOptions{}},
		{"eol through arg", "DF006", "ARG NODE=16\nFROM node:${NODE}-alpine\n", []int{2}, runOptions{}},
		{"not official", "DF006", "FROM acme/python:3.8\n", nil, runOptions{}},
		{"registry not allowed", "DF034", "FROM alpine:3.22\n", []int{1}, runOptions{config: allowed}},
		{"registry allowed", "DF034", "FROM registry.example.com/base/alpine:3.22\n", nil, runOptions{config: allowed}},
		{"path prefix allowed", "DF034", "FROM ghcr.io/acme/app:1\n", nil, runOptions{config: allowed}},
		{"path prefix other org", "DF034", "FROM ghcr.io/evil/app:1\n", []int{1}, runOptions{config: allowed}},
		{"no policy", "DF034", "FROM alpine:3.22\n", nil, runOptions{}},
		{"image allowed", "DF034", "FROM alpine:3.22\n", nil, runOptions{config: images}},
		{"namespace allowed", "DF034", "FROM acme/tool:1\n", nil, runOptions{config: images}},
		{"image not allowed", "DF034", "FROM debian:12\n", []int{1}, runOptions{config: images}},
	})
}

const digest = "beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d"

func TestShellRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"curl pipe sh", "DF007", "FROM debian:12\nRUN curl -fsSL https://x | sh\n", []int{2}, runOptions{}},
		{"wget to bash after set", "DF007", "FROM debian:12\nRUN set -eux; \\\n  wget -O- https://x | bash -s -- -y\n", []int{3}, runOptions{}},
		{"sh -c substitution", "DF007", "FROM debian:12\nRUN sh -c \"$(curl -fsSL https://x)\"\n", []int{2}, runOptions{}},
		{"inside sh -c string", "DF007", "FROM debian:12\nRUN sh -c 'curl -s https://x | sh'\n", []int{2}, runOptions{}},
		{"echo of text", "DF007", "FROM debian:12\nRUN echo 'curl https://x | sh'\n", nil, runOptions{}},
		{"comment in continuation", "DF007", "FROM debian:12\nRUN true \\\n# curl https://x | sh\n  && true\n", nil, runOptions{}},
		{"pipe to tar", "DF007", "FROM debian:12\nRUN curl -fsSL https://x | tar xz\n", nil, runOptions{}},
		{"onbuild curl", "DF007", "FROM debian:12\nONBUILD RUN curl https://x | sh\n", []int{2}, runOptions{}},
		{"powershell iwr iex", "DF007", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN iwr https://x/install.ps1 -UseBasicParsing | iex\n", []int{3}, runOptions{}},
		{"powershell downloadstring", "DF007", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Invoke-Expression ((New-Object System.Net.WebClient).DownloadString('https://x/i.ps1'))\n", []int{3}, runOptions{}},
		{"powershell download to file", "DF007", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN iwr https://x/tool.zip -OutFile tool.zip; Expand-Archive tool.zip\n", nil, runOptions{}},
		{"heredoc body", "DF007", "FROM debian:12\nRUN <<EOF\ncurl -fsSL https://x | sh\nEOF\n", []int{3}, runOptions{}},
		{"copy heredoc is data", "DF007", "FROM debian:12\nCOPY <<EOF /install.txt\ncurl -fsSL https://x | sh\nEOF\n", nil, runOptions{}},
		{"python heredoc is data", "DF007", "FROM debian:12\nRUN python3 <<EOF\nprint('curl https://x | sh')\nEOF\n", nil, runOptions{}},
		{"apk without no-cache", "DF011", "FROM alpine:3.22\nRUN set -eux; apk add curl\n", []int{2}, runOptions{}},
		{"apk with no-cache", "DF011", "FROM alpine:3.22\nRUN apk add --no-cache curl\n", nil, runOptions{}},
		{"apk with cache mount", "DF011", "FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n", nil, runOptions{}},
		{"apk behind env prefix", "DF011", "FROM alpine:3.22\nRUN FOO=1 apk add curl\n", []int{2}, runOptions{}},
		{"apk del", "DF011", "FROM alpine:3.22\nRUN apk del curl\n", nil, runOptions{}},
		{"apt recommends", "DF012", "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", []int{2}, runOptions{}},
		{"apt no recommends", "DF012", "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n", nil, runOptions{}},
		{"apt -o option", "DF012", "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n", nil, runOptions{}},
		{"apt configured", "DF012", "FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/01norec\nRUN apt-get install -y curl\n", nil, runOptions{}},
		{"lists kept", "DF013", "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl\n", []int{2}, runOptions{}},
		{"lists removed", "DF013", "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n", nil, runOptions{}},
		{"lists removed later RUN", "DF013", "FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n", []int{2}, runOptions{}},
		{"apt dist-clean", "DF013", "FROM debian:13\nRUN apt-get update; apt-get install -y x; apt-get dist-clean\n", nil, runOptions{}},
		{"onbuild run", "DF013", "FROM debian:12\nONBUILD RUN apt-get update\n", []int{2}, runOptions{}},
		{"lists cache mount", "DF013", "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n", nil, runOptions{}},
		{"sudo used", "DF018", "FROM debian:12\nRUN sudo apt-get install -y x\n", []int{2}, runOptions{}},
		{"sudo installed", "DF018", "FROM debian:12\nRUN apt-get install -y --no-install-recommends \\\n    curl sudo\n", []int{2}, runOptions{}},
		{"sudo in echo", "DF018", "FROM debian:12\nRUN echo sudo\n", nil, runOptions{}},
		{"ssh port", "DF019", "FROM debian:12\nEXPOSE 22/tcp 80\n", []int{2}, runOptions{}},
		{"ssh server", "DF019", "FROM alpine:3.22\nRUN apk add --no-cache openssh\n", []int{2}, runOptions{}},
		{"ssh client", "DF019", "FROM debian:12\nRUN apt-get install -y --no-install-recommends openssh-client\nEXPOSE 2222\n", nil, runOptions{}},
		{"cd absolute", "DF027", "FROM debian:12\nRUN cd /app && make\n", []int{2}, runOptions{}},
		{"cd in subshell", "DF027", "FROM debian:12\nRUN (cd /app && make)\n", nil, runOptions{}},
		{"cd after set", "DF027", "FROM debian:12\nRUN set -eux; cd /src; make\n", []int{2}, runOptions{}},
		{"cd later in run", "DF027", "FROM debian:12\nRUN make; cd /; rm -rf /src\n", nil, runOptions{}},
		{"cd relative", "DF027", "FROM debian:12\nRUN tar xf x.tgz && cd x && make\n", nil, runOptions{}},
		{"pipe without pipefail", "DF030", "FROM debian:12\nRUN wget -O- https://x | tar xz\n", []int{2}, runOptions{}},
		{"pipefail set", "DF030", "FROM debian:12\nRUN set -euxo pipefail; wget -O- https://x | tar xz\n", nil, runOptions{}},
		{"pipefail shell", "DF030", "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O- https://x | tar xz\n", nil, runOptions{}},
		{"echo pipe", "DF030", "FROM debian:12\nRUN echo \"$SUM  f\" | sha256sum -c -\n", nil, runOptions{}},
		{"second line", "DF030", "FROM debian:12\nRUN set -eux; \\\n  dpkg -l \\\n  | grep x\n", []int{3}, runOptions{}},
		{"useradd big uid", "DF031", "FROM debian:12\nRUN useradd -u 123456 app\n", []int{2}, runOptions{}},
		{"useradd -l", "DF031", "FROM debian:12\nRUN useradd -l -u 123456 app\n", nil, runOptions{}},
		{"useradd small uid", "DF031", "FROM debian:12\nRUN useradd --uid=10001 app\n", nil, runOptions{}},
		{"apt upgrade", "DF032", "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n", []int{2}, runOptions{}},
		{"apk upgrade", "DF032", "FROM alpine:3.22\nRUN apk upgrade --no-cache\n", []int{2}, runOptions{}},
		{"yum update one package", "DF032", "FROM centos:7\nRUN yum update openssl\n", nil, runOptions{}},
		{"pip cache", "DF033", "FROM python:3.13\nRUN pip install flask\n", []int{2}, runOptions{}},
		{"python -m pip cache", "DF033", "FROM python:3.13\nRUN python3 -m pip install flask\n", []int{2}, runOptions{}},
		{"pip no cache", "DF033", "FROM python:3.13\nRUN pip install --no-cache-dir flask\n", nil, runOptions{}},
		{"pip env", "DF033", "FROM python:3.13\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", nil, runOptions{}},
		{"dnf without clean", "DF033", "FROM fedora:42\nRUN dnf install -y x\n", []int{2}, runOptions{}},
		{"dnf clean", "DF033", "FROM fedora:42\nRUN dnf install -y x && dnf clean all\n", nil, runOptions{}},
	})
}

func TestPermissionRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"777", "DF014", "FROM debian:12\nRUN chmod 777 /app\n", []int{2}, runOptions{}},
		{"o+w", "DF014", "FROM debian:12\nRUN chmod -R o+w /data\n", []int{2}, runOptions{}},
		{"a+rw", "DF014", "FROM debian:12\nRUN chmod a+rw /data\n", []int{2}, runOptions{}},
		{"sticky tmp", "DF014", "FROM debian:12\nRUN chmod 1777 /tmp/x\n", nil, runOptions{}},
		{"copy chmod", "DF014", "FROM debian:12\nCOPY --chmod=666 a /a\n", []int{2}, runOptions{}},
		{"install 777", "DF014", "FROM debian:12\nRUN install -m 777 x /usr/local/bin/x\n", []int{2}, runOptions{}},
		{"mkdir 777", "DF014", "FROM debian:12\nRUN mkdir -p -m 777 /data\n", []int{2}, runOptions{}},
		{"mkdir mode option", "DF014", "FROM debian:12\nRUN mkdir --mode=0757 /data\n", []int{2}, runOptions{}},
		{"755", "DF014", "FROM debian:12\nRUN chmod 755 /app\n", nil, runOptions{}},
		{"+w umask", "DF014", "FROM debian:12\nRUN chmod +w /app\n", nil, runOptions{}},
		{"in echo", "DF014", "FROM debian:12\nRUN echo chmod 777 /app\n", nil, runOptions{}},
		{"recursive 644", "DF015", "FROM debian:12\nRUN chmod -R 644 /app/*\n", []int{2}, runOptions{}},
		{"recursive a-x", "DF015", "FROM debian:12\nRUN chmod -R a-x /app\n", []int{2}, runOptions{}},
		{"recursive X", "DF015", "FROM debian:12\nRUN chmod -R u=rwX,go=rX /app\n", nil, runOptions{}},
		{"not recursive", "DF015", "FROM debian:12\nRUN chmod 644 /app/config\n", nil, runOptions{}},
		{"copy dir chmod", "DF015", "FROM debian:12\nCOPY --chmod=644 src/ /app/\n", []int{2}, runOptions{}},
		{"copy file chmod", "DF015", "FROM debian:12\nCOPY --chmod=644 app.conf /etc/\n", nil, runOptions{}},
		{"4755", "DF016", "FROM debian:12\nRUN chmod 4755 /usr/bin/x\n", []int{2}, runOptions{}},
		{"u+s", "DF016", "FROM debian:12\nRUN chmod u+s /usr/bin/x\n", []int{2}, runOptions{}},
		{"g+s", "DF016", "FROM debian:12\nRUN chmod g+s /srv\n", []int{2}, runOptions{}},
		{"install setuid", "DF016", "FROM debian:12\nRUN install -m 4755 tool /usr/local/bin/tool\n", []int{2}, runOptions{}},
		{"install directory setgid", "DF016", "FROM debian:12\nRUN install -d -o pg -m 3777 /run/pg\n", nil, runOptions{}},
		{"u-s", "DF016", "FROM debian:12\nRUN chmod u-s /usr/bin/x\n", nil, runOptions{}},
		{"copy chown runtime", "DF017", "FROM node:24\nCOPY --chown=node:node . /app\nUSER node\n", []int{2}, runOptions{}},
		{"copy chown other", "DF017", "FROM node:24\nCOPY --chown=root:node . /app\nUSER node\n", nil, runOptions{}},
		{"run chown copied", "DF017", "FROM node:24\nWORKDIR /app\nCOPY . .\nRUN chown -R 1000:1000 /app\nUSER 1000\n", []int{4}, runOptions{}},
		{"run chown data dir", "DF017", "FROM node:24\nCOPY . /app\nRUN mkdir -p /app/data && chown 1000 /app/data\nUSER 1000\n", nil, runOptions{}},
		{"root runtime", "DF017", "FROM node:24\nCOPY --chown=node . /app\n", nil, runOptions{}},
	})
}

func TestInstructionRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"add url", "DF008", "FROM debian:12\nADD https://x/y.tgz /opt/\n", []int{2}, runOptions{}},
		{"add url checksum", "DF008", "FROM debian:12\nADD --checksum=sha256:" + digest + " https://x/y.tgz /opt/\n", nil, runOptions{}},
		{"add local", "DF009", "FROM debian:12\nADD app.py /app/\n", []int{2}, runOptions{}},
		{"add archive", "DF009", "FROM debian:12\nADD rootfs.tar.xz /\n", nil, runOptions{}},
		{"add url not local", "DF009", "FROM debian:12\nADD https://x/y /y\n", nil, runOptions{}},
		{"secret env value", "DF010", "FROM debian:12\nENV GITHUB_TOKEN=ghp_" + "012345678901234567890123456789abcdef\n", []int{2}, runOptions{}},
		{"password env", "DF010", "FROM debian:12\nENV DB_PASSWORD=s3cr3t-Passw0rd\n", []int{2}, runOptions{}},
		{"arg token no default", "DF010", "FROM debian:12\nARG NPM_TOKEN\nRUN npm ci\n", []int{2}, runOptions{}},
		{"legacy env form", "DF010", "FROM debian:12\nENV API_KEY abc123def456ghi789\n", []int{2}, runOptions{}},
		{"password inside options", "DF010", "FROM debian:12\nENV JAVA_OPTS=\"-Xmx1g -Dspring.datasource.password=Zq8vL2pW9xK4mT7\"\n", []int{2}, runOptions{}},
		{"password file", "DF010", "FROM debian:12\nENV DB_PASSWORD_FILE=/run/secrets/db\n", nil, runOptions{}},
		{"gpg key fingerprint", "DF010", "FROM debian:12\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n", nil, runOptions{}},
		{"plain variable", "DF010", "FROM debian:12\nARG VERSION=1.2\nENV PATH=/x:$PATH\n", nil, runOptions{}},
		{"no healthcheck", "DF020", "FROM debian:12\nCMD [\"x\"]\n", []int{1}, runOptions{}},
		{"healthcheck", "DF020", "FROM debian:12\nHEALTHCHECK CMD [\"/x\"]\n", nil, runOptions{}},
		{"healthcheck none", "DF020", "FROM debian:12\nHEALTHCHECK NONE\n", nil, runOptions{}},
		{"healthcheck in base stage", "DF020", "FROM debian:12 AS b\nHEALTHCHECK CMD [\"/x\"]\nFROM b\n", nil, runOptions{}},
		{"healthcheck curl", "DF021", "FROM debian:12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n", []int{2}, runOptions{}},
		{"healthcheck wget exec", "DF021", "FROM debian:12\nHEALTHCHECK CMD [\"wget\", \"-q\", \"http://localhost\"]\n", []int{2}, runOptions{}},
		{"healthcheck app", "DF021", "FROM debian:12\nHEALTHCHECK CMD [\"/app\", \"health\"]\n", nil, runOptions{}},
		{"shell cmd", "DF022", "FROM debian:12\nCMD nginx -g 'daemon off;'\n", []int{2}, runOptions{}},
		{"exec cmd", "DF022", "FROM debian:12\nCMD [\"nginx\"]\n", nil, runOptions{}},
		{"shell cmd with exec", "DF022", "FROM debian:12\nCMD exec nginx\n", nil, runOptions{}},
		{"shell cmd in builder", "DF022", "FROM debian:12 AS b\nCMD make\nFROM debian:12\nCMD [\"x\"]\n", nil, runOptions{}},
		{"two cmds", "DF023", "FROM debian:12\nCMD [\"a\"]\nCMD [\"b\"]\n", []int{2}, runOptions{}},
		{"cmd per stage", "DF023", "FROM debian:12 AS a\nCMD [\"a\"]\nFROM debian:12\nCMD [\"b\"]\n", nil, runOptions{}},
		{"insecure", "DF025", "FROM debian:12\nRUN --security=insecure make\n", []int{2}, runOptions{}},
		{"host network", "DF025", "FROM debian:12\nRUN --network=host make\n", []int{2}, runOptions{}},
		{"no network", "DF025", "FROM debian:12\nRUN --network=none make\n", nil, runOptions{}},
		{"relative workdir", "DF026", "FROM debian:12\nWORKDIR app\n", []int{2}, runOptions{}},
		{"absolute workdir", "DF026", "FROM debian:12\nWORKDIR /app\n", nil, runOptions{}},
		{"windows workdir", "DF026", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\\\app\n", nil, runOptions{}},
		{"maintainer", "DF028", "FROM debian:12\nMAINTAINER me\n", []int{2}, runOptions{}},
		{"from typo", "DF029", "FROM golang:1.25 AS builder\nFROM alpine:3.22\nCOPY --from=buidler /a /a\n", []int{3}, runOptions{}},
		{"from later stage", "DF029", "FROM alpine:3.22 AS a\nCOPY --from=b /x /x\nFROM alpine:3.22 AS b\n", []int{2}, runOptions{}},
		{"from index", "DF029", "FROM alpine:3.22\nCOPY --from=3 /x /x\n", []int{2}, runOptions{}},
		{"from image", "DF029", "FROM alpine:3.22\nCOPY --from=nginx:1.27 /x /x\nCOPY --from=busybox /bin/sh /sh\n", nil, runOptions{}},
		{"from stage case", "DF029", "FROM golang:1.25 AS Builder\nFROM alpine:3.22\nCOPY --from=builder /a /a\n", nil, runOptions{}},
		{"duplicate stage", "DF029", "FROM alpine:3.22 AS a\nFROM alpine:3.22 AS a\n", []int{2}, runOptions{}},
		{"mount from typo", "DF029", "FROM golang:1.25 AS deps\nFROM alpine:3.22\nRUN --mount=from=dep,target=/d ls /d\n", []int{3}, runOptions{}},
	})
}

func TestSensitiveCopy(t *testing.T) {
	ignoreBoth := map[string]string{".dockerignore": ".git\n.env\n"}
	ignoreGit := map[string]string{".dockerignore": "**/.git\n"}
	runRuleCases(t, []ruleCase{
		{"private key", "DF024", "FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa\n", []int{2}, runOptions{files: ignoreBoth}},
		{"env file", "DF024", "FROM debian:12\nCOPY .env /app/.env\n", []int{2}, runOptions{files: ignoreBoth}},
		{"env example", "DF024", "FROM debian:12\nCOPY .env.example /app/.env\n", nil, runOptions{files: ignoreBoth}},
		{"aws dir", "DF024", "FROM debian:12\nCOPY .aws/ /root/.aws/\n", []int{2}, runOptions{files: ignoreBoth}},
		{"certificate", "DF024", "FROM debian:12\nCOPY ca.pem /etc/ssl/\n", nil, runOptions{files: ignoreBoth}},
		{"key pem", "DF024", "FROM debian:12\nCOPY server-key.pem /etc/ssl/\n", []int{2}, runOptions{files: ignoreBoth}},
		{"context without ignore", "DF024", "FROM debian:12\nCOPY . /app\n", []int{2}, runOptions{}},
		{"context with ignore", "DF024", "FROM debian:12\nCOPY . /app\n", nil, runOptions{files: ignoreBoth}},
		{"ignore misses env", "DF024", "FROM debian:12\nCOPY . /app\n", []int{2}, runOptions{files: ignoreGit}},
		{"dockerfile specific ignore", "DF024", "FROM debian:12\nCOPY . /app\n", nil,
			runOptions{name: "app.Dockerfile", files: map[string]string{"app.Dockerfile.dockerignore": ".git\n.env*\n"}}},
		{"copy from stage", "DF024", "FROM debian:12 AS b\nFROM debian:12\nCOPY --from=b . /app\n", nil, runOptions{}},
	})
}

func TestTargetStageMissing(t *testing.T) {
	dir := t.TempDir()
	src := "FROM debian:12 AS build\nFROM debian:12 AS final\nUSER 1\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := &engine.Env{Config: config.Default(), Now: testNow, Target: "nope"}
	res := Analyzer{}.Analyze(context.Background(), &engine.File{Path: "Dockerfile", Rel: "Dockerfile", Data: []byte(src)}, env)
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Reason, `no stage named "nope" (stages: build, final)`) {
		t.Errorf("problems = %+v", res.Problems)
	}
}
