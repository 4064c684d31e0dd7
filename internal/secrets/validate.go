package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"hash/crc32"
	"math"
	"strings"
)

// base62Alphabet is the digit order GitHub and npm use for the checksum
// suffix of their tokens.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Base62CRC32 returns the six-character checksum that GitHub and npm
// append to a token's random part: its IEEE CRC32 in base62, left-padded
// with zeros. Tests use it to plant tokens that pass validation.
func Base62CRC32(random string) string {
	n := crc32.ChecksumIEEE([]byte(random))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// validateBase62CRC checks tokens of the form prefix_ + 30 random base62
// characters + 6 checksum characters.
func validateBase62CRC(v string) (string, bool) {
	i := strings.IndexByte(v, '_')
	body := v[i+1:]
	if len(body) != 36 {
		return "", false
	}
	return "checksum valid", Base62CRC32(body[:30]) == body[30:]
}

// validateAWSKeyID rejects IDs whose 16 characters repeat one symbol,
// which placeholders such as AKIAXXXXXXXXXXXXXXXX do.
func validateAWSKeyID(v string) (string, bool) {
	body := v[4:]
	return "", strings.Count(body, body[:1]) < len(body)/2
}

func decodeBase64(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

func validateBase64Len(n int) func(string) (string, bool) {
	return func(v string) (string, bool) {
		b, ok := decodeBase64(v)
		return "", ok && len(b) == n
	}
}

// pemBody returns the base64 text between the armour lines of a PEM block
// written as real lines or with \n escapes (JSON), and whether the block
// carries encryption headers.
func pemBody(v string) (body string, encrypted bool) {
	v = strings.ReplaceAll(v, `\n`, "\n")
	v = strings.ReplaceAll(v, `\r`, "")
	lines := strings.Split(v, "\n")
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case l == "", strings.HasPrefix(l, "-----"):
		case strings.Contains(l, ":"):
			if strings.HasPrefix(l, "Proc-Type:") && strings.Contains(l, "ENCRYPTED") {
				encrypted = true
			}
		default:
			b.WriteString(l)
		}
	}
	return b.String(), encrypted || strings.Contains(v, "ENCRYPTED PRIVATE KEY")
}

// validatePEMBody checks that a private key block holds enough base64 to
// be a key, which rules out documentation snippets such as "...".
func validatePEMBody(v string) (string, bool) {
	body, encrypted := pemBody(v)
	der, ok := decodeBase64(body)
	if !ok || len(der) < 64 {
		return "", false
	}
	if encrypted {
		return "encrypted with a passphrase", true
	}
	return "", true
}

func validateOpenSSH(v string) (string, bool) {
	body, _ := pemBody(v)
	raw, ok := decodeBase64(body)
	if !ok || !bytes.HasPrefix(raw, []byte("openssh-key-v1\x00")) {
		return "", false
	}
	if bytes.Contains(raw[:min(len(raw), 64)], []byte("bcrypt")) {
		return "encrypted with a passphrase", true
	}
	return "", true
}

func validateBase64PEM(v string) (string, bool) {
	raw, ok := decodeBase64(v)
	if !ok {
		return "", false
	}
	block, _ := pem.Decode(raw)
	return "", block != nil && strings.Contains(block.Type, "PRIVATE KEY")
}

// validatePyPI checks that the macaroon after "pypi-" is base64url whose
// location is PyPI or TestPyPI.
func validatePyPI(v string) (string, bool) {
	raw, ok := decodeBase64(v[len("pypi-"):])
	if !ok {
		return "", false
	}
	return "", bytes.Contains(raw, []byte("pypi.org"))
}

// jwtParts decodes the header and payload of a compact JWT.
func jwtParts(v string) (header, payload map[string]any, ok bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return nil, nil, false
	}
	h, ok1 := decodeBase64(parts[0])
	p, ok2 := decodeBase64(parts[1])
	if !ok1 || !ok2 || json.Unmarshal(h, &header) != nil || json.Unmarshal(p, &payload) != nil {
		return nil, nil, false
	}
	_, hasAlg := header["alg"]
	return header, payload, hasAlg
}

func validateJWT(v string) (string, bool) {
	h, _, ok := jwtParts(v)
	if !ok {
		return "", false
	}
	if alg, _ := h["alg"].(string); strings.EqualFold(alg, "none") {
		return "", false
	}
	return "", true
}

func validateKubernetesJWT(v string) (string, bool) {
	_, p, ok := jwtParts(v)
	if !ok {
		return "", false
	}
	if iss, _ := p["iss"].(string); iss == "kubernetes/serviceaccount" {
		return "", true
	}
	_, has := p["kubernetes.io"]
	if sub, _ := p["sub"].(string); strings.HasPrefix(sub, "system:serviceaccount:") {
		has = true
	}
	return "", has
}

// validateDockerAuth checks that an "auth" value decodes to user:password
// with a non-empty password; identity tokens pass on entropy.
func validateDockerAuth(v string) (string, bool) {
	raw, ok := decodeBase64(v)
	if ok {
		user, pass, found := strings.Cut(string(raw), ":")
		if found && pass != "" {
			_ = user
			return "", !isPlaceholder(pass)
		}
	}
	return "", len(v) >= 20 && entropy(v) >= 3.5
}

// validateBech32 checks the Bech32 checksum of an age secret key.
func validateBech32(v string) (string, bool) {
	s := strings.ToLower(v)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 {
		return "", false
	}
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	values := make([]int, 0, len(s)*2)
	for i := 0; i < sep; i++ {
		values = append(values, int(s[i])>>5)
	}
	values = append(values, 0)
	for i := 0; i < sep; i++ {
		values = append(values, int(s[i])&31)
	}
	for _, c := range s[sep+1:] {
		d := strings.IndexRune(charset, c)
		if d < 0 {
			return "", false
		}
		values = append(values, d)
	}
	return "", bech32Polymod(values) == 1
}

func bech32Polymod(values []int) int {
	gen := [5]int{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := 1
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for i := range 5 {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// assignmentFollows reports whether the text after a keyword continues
// the name and then assigns a value of at least eight characters, as in
// "_PASSWORD = 'value'" or "Token: value". It runs before the generic
// patterns so that the many mentions of "token" or "password" in code
// and prose cost a few byte comparisons.
func assignmentFollows(rest []byte) bool {
	i := 0
	for i < len(rest) && isNameByte(rest[i]) {
		i++
	}
	for i < len(rest) && (rest[i] == '"' || rest[i] == '\'') {
		i++
	}
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	if i < len(rest) && rest[i] == '>' {
		return true // an XML element such as <password>value</password>
	}
	if i >= len(rest) || rest[i] != '=' && rest[i] != ':' {
		return false
	}
	i++
	if i < len(rest) && (rest[i] == '=' || rest[i] == '>') {
		i++
	}
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '"' || rest[i] == '\'') {
		i++
	}
	n := 0
	for i < len(rest) && n < 8 {
		switch rest[i] {
		case ' ', '\t', '\r', '"', '\'', '`', ',', ';':
			return false
		}
		i++
		n++
	}
	return n >= 8
}

// userinfoFollows reports whether the text after a URL scheme holds
// user:password@ before the host ends.
func userinfoFollows(rest []byte) bool {
	if i := bytes.Index(rest, []byte("://")); i >= 0 && i < 16 {
		rest = rest[i+3:]
	}
	colon := false
	for _, b := range rest {
		switch b {
		case ':':
			colon = true
		case '@':
			return colon
		case '/', ' ', '\t', '"', '\'', '<', '>', '\r':
			return false
		}
	}
	return false
}
