// Package secrettest generates synthetic secrets for tests: one planted
// file per detector, with tokens that pass each format's checksum where
// the format has one. Every value comes from a seeded random source, so
// none is a real credential and runs are repeatable.
package secrettest

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dockward/dockward/internal/secrets"
)

// Plant is one synthetic secret inside the file it is planted in.
type Plant struct {
	// RuleID is the rule of the detector expected to find the secret.
	RuleID string
	// Secret is the value that must never appear in any output.
	Secret string
	// Path is a slash-separated file name for the content.
	Path    string
	Content string
}

const (
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	base32    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b64chars  = alnum + "+/"
	urlChars  = alnum + "_-"
	hexLower  = "0123456789abcdef"
	letters   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	bech32Set = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
)

// Generator makes random values from a fixed seed.
type Generator struct{ r *rand.Rand }

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// String returns n characters drawn from set.
func (g *Generator) String(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

// Bytes returns n random bytes.
func (g *Generator) Bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return b
}

// Password returns a 20-character password with letters, digits and
// symbols, which generic detectors accept.
func (g *Generator) Password() string {
	return g.String(letters, 6) + g.String("0123456789", 4) + g.String("!*+=~-", 2) +
		g.String(alnum, 8)
}

// GitHubToken returns a token with prefix (such as "ghp_") and a valid
// CRC32 suffix.
func (g *Generator) GitHubToken(prefix string) string {
	random := g.String(alnum, 30)
	return prefix + random + secrets.Base62CRC32(random)
}

// PEMBody returns n random bytes as base64 wrapped at 64 columns.
func (g *Generator) PEMBody(n int, sep string) string {
	s := base64.StdEncoding.EncodeToString(g.Bytes(n))
	var lines []string
	for len(s) > 64 {
		lines = append(lines, s[:64])
		s = s[64:]
	}
	lines = append(lines, s)
	return strings.Join(lines, sep)
}

// JWT returns a compact JWT with the given claims and a random signature.
func (g *Generator) JWT(claims string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","kid":"` + g.String(alnum, 12) + `","typ":"JWT"}`))
	return header + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(g.Bytes(64))
}

// AgeKey returns an age X25519 secret key with a valid Bech32 checksum.
func (g *Generator) AgeKey() string {
	data := toFiveBits(g.Bytes(32))
	hrp := "age-secret-key-"
	values := make([]int, 0, len(hrp)*2+1+len(data)+6)
	for i := 0; i < len(hrp); i++ {
		values = append(values, int(hrp[i])>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, int(hrp[i])&31)
	}
	values = append(values, data...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := polymod(values) ^ 1
	var b strings.Builder
	b.WriteString(hrp + "1")
	for _, d := range data {
		b.WriteByte(bech32Set[d])
	}
	for i := range 6 {
		b.WriteByte(bech32Set[(mod>>(5*(5-i)))&31])
	}
	return strings.ToUpper(b.String())
}

func toFiveBits(b []byte) []int {
	var out []int
	acc, bits := 0, 0
	for _, v := range b {
		acc = acc<<8 | int(v)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, (acc>>bits)&31)
		}
	}
	if bits > 0 {
		out = append(out, (acc<<(5-bits))&31)
	}
	return out
}

func polymod(values []int) int {
	gen := []int{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := 1
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for i, g := range gen {
			if (top>>i)&1 == 1 {
				chk ^= g
			}
		}
	}
	return chk
}

// Plants returns one planted file per detector, made from seed.
func Plants(seed uint64) []Plant {
	g := NewGenerator(seed)
	var ps []Plant
	add := func(id, secret, path, content string) {
		ps = append(ps, Plant{RuleID: id, Secret: secret, Path: path, Content: content})
	}
	line := func(id, path, format, secret string) {
		add(id, secret, path, fmt.Sprintf(format, secret))
	}

	line("SE001", "deploy/aws.env", "# deploy credentials\nAWS_ACCESS_KEY_ID=%s\n", "AKIA"+g.String(base32, 16))
	line("SE002", "home/.aws/credentials", "[default]\naws_secret_access_key = %s\nregion = eu-west-1\n",
		g.String(b64chars, 40))
	keyID := "AKIA" + g.String(base32, 16)
	line("SE003", "exports/credentials.csv", "User name,Access key ID,Secret access key\nci,"+keyID+",%s\n",
		g.String(b64chars, 40))
	pemKey := "-----BEGIN PRIVATE KEY-----\\n" + g.PEMBody(900, `\n`) + "\\n-----END PRIVATE KEY-----\\n"
	add("SE004", pemKey, "config/gcp-key.json", `{
  "type": "service_account",
  "project_id": "acme-prod",
  "private_key_id": "`+g.String(hexLower, 40)+`",
  "private_key": "`+pemKey+`",
  "client_email": "ci@acme-prod.iam.gserviceaccount.com"
}
`)
	line("SE005", "web/src/maps.js", "const mapsKey = \"%s\";\n", "AIza"+g.String(urlChars, 35))
	line("SE006", "config/oauth.yaml", "google:\n  client_id: 1234.apps.googleusercontent.com\n  client_secret: %s\n",
		"GOCSPX-"+g.String(urlChars, 28))
	azKey := base64.StdEncoding.EncodeToString(g.Bytes(64))
	line("SE007", "config/storage.properties",
		"storage.connection=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=%s;EndpointSuffix=core.windows.net\n", azKey)
	line("SE008", "config/bus.json", `{"connection": "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=%s"}`+"\n",
		base64.StdEncoding.EncodeToString(g.Bytes(32)))
	line("SE009", "config/entra.env", "AZURE_CLIENT_SECRET=%s\n", g.String(alnum, 3)+"8Q~"+g.String(alnum+"_~.-", 34))
	line("SE010", "scripts/release.sh", "#!/bin/sh\nexport GITHUB_TOKEN=%s\ngh release create v1\n", g.GitHubToken("ghp_"))
	line("SE011", "ci/env.sh", "GH_TOKEN=%s\n", "github_pat_"+g.String(alnum, 22)+"_"+g.String(alnum, 59))
	line("SE012", ".gitlab/token.txt", "token: %s\n", "glpat-"+g.String(urlChars, 20))
	line("SE013", "ci/bitbucket.env", "BITBUCKET_APP_PASSWORD=%s\n", "ATBB"+g.String(alnum, 32))
	line("SE014", "ci/jira.env", "JIRA_API_TOKEN=%s\n", "ATATT3"+g.String(alnum+"_-", 180))
	line("SE015", "app/.npmrc", "//registry.npmjs.org/:_authToken=%s\n", g.GitHubToken("npm_"))
	macaroon := append([]byte{0x02, 0x01, 0x08}, []byte("pypi.org")...)
	macaroon = append(macaroon, 0x02, 0x25)
	macaroon = append(macaroon, g.Bytes(90)...)
	line("SE016", "ci/publish.sh", "twine upload -u __token__ -p %s dist/*\n",
		"pypi-"+base64.RawURLEncoding.EncodeToString(macaroon))
	line("SE017", "ci/login.sh", "DOCKERHUB_TOKEN=%s\n", "dckr_pat_"+g.String(urlChars, 27))
	line("SE018", "home/.gem/credentials", "---\n:rubygems_api_key: %s\n", "rubygems_"+g.String(hexLower, 48))
	line("SE019", "bot/config.toml", "[slack]\nbot_token = \"%s\"\n",
		"xoxb-"+g.String("0123456789", 12)+"-"+g.String("0123456789", 13)+"-"+g.String(alnum, 24))
	hook := "T" + g.String(upperNum, 8) + "/B" + g.String(upperNum, 10) + "/" + g.String(alnum, 24)
	line("SE020", "ops/alert.py", "WEBHOOK = \"https://hooks.slack.com/services/%s\"\n", hook)
	line("SE021", "billing/settings.py", "STRIPE_API = \"%s\"\n", "sk_live_"+g.String(alnum, 32))
	line("SE022", "billing/.env.production", "STRIPE_HOOK=%s\n", "whsec_"+g.String(b64chars, 32))
	line("SE023", "sms/twilio.rb", "# Twilio client\nclient = Twilio::REST::Client.new('%s', secret)\n",
		"SK"+g.String(hexLower, 32))
	line("SE024", "sms/twilio.env", "TWILIO_ACCOUNT_SID=AC"+g.String(hexLower, 32)+"\nTWILIO_AUTH_TOKEN=%s\n",
		g.String(hexLower, 32))
	line("SE025", "mail/sendgrid.ts", "const key = '%s';\n", "SG."+g.String(urlChars, 22)+"."+g.String(urlChars, 43))
	rsa := "-----BEGIN RSA PRIVATE KEY-----\n" + g.PEMBody(1190, "\n") + "\n-----END RSA PRIVATE KEY-----"
	add("SE026", rsa, "deploy/server.key", rsa+"\n")
	sshRaw := append([]byte("openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none"), g.Bytes(380)...)
	ssh := "-----BEGIN OPENSSH PRIVATE KEY-----\n" +
		wrap(base64.StdEncoding.EncodeToString(sshRaw), 70) + "\n-----END OPENSSH PRIVATE KEY-----"
	add("SE027", ssh, "home/.ssh/id_ed25519", ssh+"\n")
	pgp := "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + g.PEMBody(600, "\n") + "\n=" + g.String(b64chars, 4) +
		"\n-----END PGP PRIVATE KEY BLOCK-----"
	add("SE028", pgp, "keys/release.asc", pgp+"\n")
	line("SE029", "var/run/token", "%s", g.JWT(`{"iss":"kubernetes/serviceaccount",`+
		`"kubernetes.io/serviceaccount/namespace":"default","sub":"system:serviceaccount:default:app"}`))
	line("SE030", "tests-http/request.http", "GET /api\nAuthorization: Bearer %s\n",
		g.JWT(`{"sub":"`+g.String(hexLower, 16)+`","name":"ci","iat":1700000000}`))
	clientKey := base64.StdEncoding.EncodeToString([]byte("-----BEGIN EC PRIVATE KEY-----\n" +
		g.PEMBody(121, "\n") + "\n-----END EC PRIVATE KEY-----\n"))
	line("SE031", "home/.kube/config", "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n"+
		"    server: https://10.0.0.1:6443\nusers:\n- name: admin\n  user:\n    client-key-data: %s\n", clientKey)
	line("SE032", "ops/kubeconfig.yaml", "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n"+
		"    server: https://10.0.0.1:6443\nusers:\n- name: ci\n  user:\n    token: %s\n", g.String(alnum, 40))
	line("SE033", "ops/vault.env", "VAULT_TOKEN=%s\n", "hvs."+g.String(urlChars, 90))
	line("SE034", "app/config.yml", "database:\n  url: postgres://app:%s@db.internal:5432/app\n", g.Password())
	line("SE035", "worker/celeryconfig.py", "broker_url = 'amqp://worker:%s@rabbitmq:5672//'\n", g.String(alnum, 18))
	line("SE036", "ci/mirror.sh", "git remote add mirror https://ci:%s@git.internal.test/app.git\n", g.String(alnum, 20))
	line("SE037", "home/.netrc", "machine api.internal.test\n  login ci\n  password %s\n", g.Password())
	line("SE038", "web/.npmrc", "registry=https://npm.internal.test/\n//npm.internal.test/:_authToken=%s\n",
		g.String(hexLower, 8)+"-"+g.String(hexLower, 4)+"-"+g.String(hexLower, 4)+"-"+g.String(hexLower, 4)+
			"-"+g.String(hexLower, 12))
	line("SE039", "home/.pypirc", "[distutils]\nindex-servers =\n  internal\n\n[internal]\n"+
		"repository = https://pypi.internal.test/\nusername = ci\npassword = %s\n", g.Password())
	line("SE040", "home/.docker/config.json", "{\n  \"auths\": {\n    \"registry.internal.test\": {\n"+
		"      \"auth\": \"%s\"\n    }\n  }\n}\n", base64.StdEncoding.EncodeToString([]byte("ci:"+g.Password())))
	line("SE041", "shop/.env", "SHOPIFY_ACCESS=%s\n", "shpat_"+g.String(hexLower, 32))
	line("SE042", "infra/do.tfvars", "do_token = \"%s\"\n", "dop_v1_"+g.String(hexLower, 64))
	line("SE043", "ml/settings.py", "OPENAI = \"%s\"\n", "sk-proj-"+g.String(urlChars, 40)+"T3BlbkFJ"+g.String(urlChars, 40))
	line("SE044", "ml/.env.local", "ANTHROPIC=%s\n", "sk-ant-api03-"+g.String(urlChars, 93)+"AA")
	line("SE045", "ml/download.sh", "huggingface-cli login --token %s\n", "hf_"+g.String(letters, 34))
	line("SE046", "keys/age.txt", "# created: 2024-01-01T00:00:00Z\n# public key: age1"+g.String(bech32Set, 58)+"\n%s\n", g.AgeKey())
	line("SE047", "monitoring/grafana.ini", "[auth]\napi = %s\n", "glsa_"+g.String(alnum, 32)+"_"+g.String(hexLower, 8))
	line("SE048", "api/postman.env", "POSTMAN=%s\n", "PMAK-"+g.String(hexLower, 24)+"-"+g.String(hexLower, 34))
	line("SE049", "home/.terraformrc", "credentials \"app.terraform.io\" {\n  token = \"%s\"\n}\n",
		g.String(alnum, 14)+".atlasv1."+g.String(alnum+"_-", 67))
	line("SE050", "bot/telegram.env", "BOT=%s\n", "7"+g.String("0123456789", 9)+":AA"+g.String(urlChars, 33))
	line("SE051", "ops/notify.sh", "curl -X POST https://discord.com/api/webhooks/1"+g.String("0123456789", 18)+"/%s\n",
		g.String(urlChars, 68))
	line("SE052", "config/aliyun.ini", "[default]\naccess_key = %s\n", "LTAI"+g.String(alnum, 20))
	line("SE053", "monitoring/newrelic.yml", "api: %s\n", "NRAK-"+g.String(upperNum, 27))
	line("SE054", "ci/doppler.env", "DOPPLER=%s\n", "dp.st."+g.String(alnum, 43))
	line("SE058", "ci/sentry.env", "SENTRY=%s\n", "sntryu_"+g.String(hexLower, 64))
	line("SE059", "pay/square.rb", "client = Square::Client.new(access_token: '%s')\n", "EAAA"+g.String(alnum+"_-", 60))
	line("SE060", "jobs/databricks.cfg", "[DEFAULT]\nhost = https://dbc.internal.test\ntok = %s\n", "dapi"+g.String(hexLower, 32))
	line("SE061", "tools/linear.ts", "const client = new LinearClient({ apiKey: \"%s\" });\n", "lin_api_"+g.String(alnum, 40))
	line("SE062", "db/planetscale.env", "DSN_PW=%s\n", "pscale_pw_"+g.String(alnum+"_-", 43))
	line("SE063", "ops/supabase.sh", "supabase login --token %s\n", "sbp_"+g.String(hexLower, 40))
	line("SE055", "config/app.ini", "[database]\nhost = db.internal\ndb_password = %s\n", g.Password())
	return ps
}

func wrap(s string, width int) string {
	var lines []string
	for len(s) > width {
		lines = append(lines, s[:width])
		s = s[width:]
	}
	return strings.Join(append(lines, s), "\n")
}

// HexString returns n random bytes in hexadecimal, for callers that need
// a value no detector matches by format.
func (g *Generator) HexString(n int) string { return hex.EncodeToString(g.Bytes(n)) }
