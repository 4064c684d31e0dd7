package secrets

import (
	"regexp"
	"strings"
	"unicode"
)

// secretWords are the words of a variable name that mark it as holding a
// secret. Compound words ("apikey") are listed next to their parts.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "pass": true, "passphrase": true, "pwd": true,
	"secret": true, "secrets": true, "token": true, "tokens": true, "apikey": true,
	"accesskey": true, "privatekey": true, "secretkey": true, "clientsecret": true,
	"credential": true, "credentials": true, "creds": true, "authkey": true,
	"authtoken": true, "accesstoken": true, "refreshtoken": true, "sessiontoken": true,
	"bearer": true, "pat": true,
}

// secretPairs are two-word sequences that mark a secret name.
var secretPairs = map[[2]string]bool{
	{"api", "key"}: true, {"access", "key"}: true, {"private", "key"}: true,
	{"secret", "key"}: true, {"auth", "key"}: true, {"signing", "key"}: true,
	{"encryption", "key"}: true, {"master", "key"}: true, {"account", "key"}: true,
	{"license", "key"}: true, {"client", "secret"}: true, {"app", "key"}: true,
	{"ssh", "key"}: true, {"deploy", "key"}: true,
}

// notSecretLast are final words after which a secret-looking name holds
// metadata about the secret instead: where it is, how long, which kind.
var notSecretLast = map[string]bool{
	"file": true, "files": true, "path": true, "dir": true, "directory": true, "url": true,
	"uri": true, "endpoint": true, "host": true, "port": true, "id": true, "ids": true,
	"name": true, "names": true, "user": true, "username": true, "type": true, "kind": true,
	"length": true, "len": true, "min": true, "max": true, "size": true, "count": true,
	"enabled": true, "enable": true, "disabled": true, "disable": true, "required": true,
	"mode": true, "ttl": true, "expiry": true, "expires": true, "expiration": true,
	"timeout": true, "lifetime": true, "header": true, "prefix": true, "format": true,
	"version": true, "method": true, "policy": true, "ref": true, "env": true, "var": true,
	"location": true, "source": true, "store": true, "provider": true, "algorithm": true,
	"hash": true, "salt": true, "rounds": true, "regex": true, "pattern": true,
	"field": true, "param": true, "key": false, "command": true, "cmd": true, "script": true,
	"helper": true, "manager": true, "backend": true, "mount": true, "volume": true,
	"fingerprint": true, "digest": true, "sha": true, "checksum": true, "issuer": true,
	"audience": true, "scope": true, "scopes": true, "validity": true, "rotation": true,
	"reset": true, "hint": true, "less": true, "auth": true, "generator": true, "ref_name": true,
}

// nonSecretDataWords are final words of a key that names data which is
// not secret on its own: a user or login name, where a service is, which
// database, an email address.
var nonSecretDataWords = map[string]bool{
	"user": true, "username": true, "usr": true, "login": true,
	"host": true, "hostname": true, "server": true, "port": true, "addr": true, "address": true,
	"database": true, "db": true, "dbname": true, "schema": true, "name": true,
	"email": true, "mail": true, "url": true, "uri": true, "endpoint": true,
}

// NamesNonSecretData reports whether a key, such as db-user, DB_HOST or
// adminEmail, names data that is not secret on its own: a user or login
// name, a host, port or address, a database name, an email address or a
// URL. Callers must still check the value, because a URL can carry a
// password and a token can be stored under any name.
func NamesNonSecretData(name string) bool {
	words := nameWords(name)
	return len(words) > 0 && nonSecretDataWords[words[len(words)-1]]
}

// notSecretNames are whole names that look like secrets but are not.
var notSecretNames = map[string]bool{
	"pwd": true, "oldpwd": true, "gpg_key": true, "gpg_keys": true, "secretname": true,
}

// secretNames are whole names that contain a password although none of
// their words marks them as secret. redis-cli reads its password from
// REDISCLI_AUTH, and the neo4j image reads user/password from NEO4J_AUTH.
var secretNames = map[string]bool{"rediscli_auth": true, "neo4j_auth": true, "auth": true}

// shortPassPrefixes are the prefixes after which the short secret words
// pass and pwd end a compound name, as in DBPASS or ROOTPWD. Other
// prefixes are not split, since words such as bypass end the same way.
var shortPassPrefixes = map[string]bool{
	"db": true, "admin": true, "root": true, "user": true, "app": true, "sql": true,
	"mysql": true, "pg": true, "redis": true, "ldap": true, "smtp": true, "mail": true,
	"ftp": true, "sa": true,
}

// compoundSuffixes are secret words that also end compound words written
// without a separator, as in PGPASSWORD (PG and PASSWORD). Shorter secret
// words such as pass, pwd and pat end ordinary words too (bypass,
// compass), so pass and pwd split only after shortPassPrefixes.
var compoundSuffixes = []string{
	"clientsecret", "accesstoken", "refreshtoken", "sessiontoken", "passphrase",
	"privatekey", "secretkey", "accesskey", "authtoken", "password", "apikey",
	"passwd", "secret", "token",
}

// splitCompound splits a word such as pgpassword into a prefix of at
// least two letters or digits and the secret word that ends it. Other
// words come back alone.
func splitCompound(word string) []string {
	if secretWords[word] {
		return []string{word}
	}
	for _, suffix := range compoundSuffixes {
		prefix, ok := strings.CutSuffix(word, suffix)
		if ok && len(prefix) >= 2 {
			return []string{prefix, suffix}
		}
	}
	for _, suffix := range []string{"pass", "pwd"} {
		if prefix, ok := strings.CutSuffix(word, suffix); ok && shortPassPrefixes[prefix] {
			return []string{prefix, suffix}
		}
	}
	return []string{word}
}

// nameWords splits a variable name into lower-case words at underscores,
// dashes, dots and camel-case boundaries, and splits a word that ends in
// a secret word, such as pgpassword, into its two parts.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, splitCompound(strings.ToLower(string(cur)))...)
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ' || r == '/' || r == ':':
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(runes[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// isSecretName reports whether a variable, key or label name usually
// holds a secret value.
func isSecretName(name string) bool {
	lower := strings.ToLower(name)
	if notSecretNames[lower] {
		return false
	}
	if secretNames[lower] {
		return true
	}
	words := nameWords(name)
	if len(words) == 0 || notSecretLast[words[len(words)-1]] {
		return false
	}
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		if i > 0 && secretPairs[[2]string{words[i-1], w}] {
			return true
		}
	}
	return false
}

// attributePath matches dotted identifiers such as process.env.API_KEY
// or settings.DB_PASSWORD, which refer to a value held elsewhere.
var attributePath = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+$`)

// wordList matches words joined by separators, such as the field list
// "UID:GID:comment:home:shell" of a format description.
var wordList = regexp.MustCompile(`^[A-Za-z]+(?:[:/|,][A-Za-z]+)+$`)

// plausibleLiteral rejects values of generic assignments that are code
// or references rather than literals: function calls, attribute paths,
// file paths, numbers and plain identifiers.
func plausibleLiteral(v string) bool {
	if strings.ContainsAny(v, "()[]{}<>$\\") {
		return false
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") ||
		strings.HasPrefix(v, "../") {
		return false
	}
	var lower, upper, digit, other bool
	for _, r := range v {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case r == '_' || r == '.' || r == '-':
		default:
			other = true
		}
	}
	if attributePath.MatchString(v) || wordList.MatchString(v) {
		return false
	}
	if !digit && !other {
		// Letters, dots, dashes and underscores only: an identifier such as
		// settings.DB_PASSWORD or a word, unless it mixes case like a token.
		return lower && upper && len(v) >= 16 && entropy(v) >= 3.5
	}
	if digit && !lower && !upper && !other {
		return false
	}
	return true
}

// Classify reports whether the name-value pair holds a secret, using
// this scanner's allow-list. See the package-level Classify.
func (s *Scanner) Classify(name, value string) (Match, bool) {
	v := strings.TrimSpace(value)
	v = strings.Trim(v, `"'`)
	if v == "" {
		return Match{}, false
	}
	// A value is scanned on its own line so line-scope detectors see it,
	// and once with the name in front, for detectors that need both. This
	// runs before the placeholder check, so a token in the default of a
	// reference (${GITHUB_TOKEN:-ghp_...}) is still found.
	for _, text := range []string{v, name + "=" + v} {
		for _, m := range s.Scan("", []byte(text)) {
			d := s.byID(m.RuleID)
			if d != nil && !d.Generic {
				return Match{RuleID: m.RuleID, Detector: m.Detector, Redacted: m.Redacted, Note: m.Note}, true
			}
		}
	}
	if s.allow.allowsValue(v) {
		return Match{}, false
	}
	if !isSecretName(name) || strings.HasPrefix(v, "/") && strings.HasSuffix(strings.ToLower(name), "file") {
		return Match{}, false
	}
	if !namedValueLiteral(v) {
		return Match{}, false
	}
	g := s.generic()
	return Match{RuleID: g.ID, Detector: g.Name, Redacted: g.redact(v), Name: name}, true
}

// namedValueLiteral is the weaker test for values whose name already says
// they are secret: any literal that is not a reference, a path or a flag.
func namedValueLiteral(v string) bool {
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") {
		return false
	}
	switch strings.ToLower(v) {
	case "0", "1", "on", "off", "enabled", "disabled":
		return false
	}
	return true
}

func (s *Scanner) byID(id string) *Detector {
	for _, d := range s.detectors {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func (s *Scanner) generic() *Detector {
	for _, d := range s.detectors {
		if d.Generic {
			return d
		}
	}
	return nil
}
