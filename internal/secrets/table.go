package secrets

import (
	"regexp"

	"github.com/dockward/dockward/internal/finding"
)

// re compiles a detector pattern; the table is fixed, so a bad pattern is
// a programming error caught by every test.
func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

const (
	// secretAssignNames are the words that make a key name a secret's
	// name in generic assignments.
	secretAssignNames = `(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|` +
		`access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|credentials?)`
)

// table lists every detector in the order they win when two match the
// same text: specific formats before the generic ones.
var table = []*Detector{
	{
		ID: "SE001", Anchor: AnchorKeyword, Slug: "aws-access-key-id", Name: "AWS access key ID",
		Severity: finding.High, Keywords: []string{"akia", "asia", "abia", "acca"},
		Pattern:  re(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`),
		Validate: validateAWSKeyID, Binary: true,
		Format:  "20 characters: AKIA (long-term) or ASIA (temporary) and 16 base32 characters",
		Example: "AWS_ACCESS_KEY_ID=AKIA<16 base32 characters>",
	},
	{
		ID: "SE002", Follows: assignmentFollows, Anchor: AnchorName, Slug: "aws-secret-access-key", Name: "AWS secret access key",
		Severity: finding.Critical,
		Keywords: []string{"aws_secret", "secret_access_key", "secretaccesskey", "aws-secret", "awssecret"},
		Pattern: re(`(?i)(?:aws)?[_-]?secret[_-]?(?:access[_-]?)?key["']?\s*(?:=|:|:=|=>)\s*` +
			`["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`),
		Value:      re(`^[A-Za-z0-9/+]{40}$`),
		MinEntropy: 4.0,
		Format:     "40 base64 characters assigned to aws_secret_access_key or a similar name",
		Example:    "aws_secret_access_key = <40 base64 characters>",
	},
	{
		ID: "SE003", Anchor: AnchorKeyword, Slug: "aws-key-pair", Name: "AWS secret access key beside its access key ID",
		Severity: finding.Critical, Keywords: []string{"akia", "asia"},
		Pattern: re(`\b(?:AKIA|ASIA)[A-Z2-7]{16}["']?\s*[,:;|\t ]\s*["']?` +
			`(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`),
		MinEntropy: 4.0,
		Format:     "an access key ID followed by a separator and a 40-character secret key, as in CSV exports",
		Example:    "AKIA<16 characters>,<40 base64 characters>",
	},
	{
		ID: "SE004", Slug: "gcp-service-account-key", Name: "Google Cloud service-account key",
		Severity: finding.Critical, Keywords: []string{`"private_key"`}, Require: []string{"service_account"},
		Pattern: re(`"private_key"\s*:\s*"(?P<secret>-----BEGIN[A-Z ]*PRIVATE KEY-----[^"]{64,}?` +
			`-----END[A-Z ]*PRIVATE KEY-----(?:\\n)?)"`),
		Scope: ScopeFile, Validate: validatePEMBody,
		Format:  `a JSON key file with "type": "service_account" and an embedded "private_key"`,
		Example: `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n..."}`,
	},
	{
		ID: "SE005", Anchor: AnchorKeyword, Slug: "google-api-key", Name: "Google API key",
		Severity: finding.High, Keywords: []string{"aiza"},
		Pattern: re(`\bAIza[0-9A-Za-z_-]{35}\b`), Binary: true, MinEntropy: 3.5,
		Format:  "39 characters starting with AIza",
		Example: "GOOGLE_API_KEY=AIza<35 characters>",
	},
	{
		ID: "SE006", Anchor: AnchorKeyword, Slug: "google-oauth-client-secret", Name: "Google OAuth client secret",
		Severity: finding.High, Keywords: []string{"gocspx-"},
		Pattern: re(`\bGOCSPX-[0-9A-Za-z_-]{28}\b`), MinEntropy: 3.5,
		Format:  "GOCSPX- and 28 characters",
		Example: "client_secret: GOCSPX-<28 characters>",
	},
	{
		ID: "SE007", Slug: "azure-storage-account-key", Name: "Azure storage account key",
		Severity: finding.Critical, Keywords: []string{"accountkey="},
		Pattern:  re(`(?i)AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)`),
		Validate: validateBase64Len(64),
		Format:   "AccountKey= and 88 base64 characters (64 bytes), usually in a connection string",
		Example:  "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<88 base64 characters>",
	},
	{
		ID: "SE008", Slug: "azure-shared-access-key", Name: "Azure shared access key",
		Severity: finding.High, Keywords: []string{"sharedaccesskey="},
		Pattern:  re(`(?i)SharedAccessKey=(?P<secret>[A-Za-z0-9+/]{43}=)`),
		Validate: validateBase64Len(32),
		Format:   "SharedAccessKey= and 44 base64 characters, in Service Bus, Event Hubs and IoT Hub connection strings",
		Example:  "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=<44 characters>",
	},
	{
		ID: "SE009", Slug: "azure-ad-client-secret", Name: "Microsoft Entra ID client secret",
		Severity: finding.High, Keywords: []string{"8q~"},
		Pattern:    re(`(?:^|[^A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)`),
		MinEntropy: 3.5,
		Format:     "40 characters with 8Q~ at the fourth position",
		Example:    "AZURE_CLIENT_SECRET=<3 characters>8Q~<34 characters>",
	},
	{
		ID: "SE010", Anchor: AnchorKeyword, Slug: "github-token", Name: "GitHub token",
		Severity: finding.Critical, Keywords: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
		Pattern:  re(`\bgh[pousr]_[A-Za-z0-9]{36}\b`),
		Validate: validateBase62CRC, Binary: true,
		Format: "ghp_ (personal), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server) or " +
			"ghr_ (refresh) and 36 base62 characters whose last six are a CRC32 checksum",
		Example: "GITHUB_TOKEN=ghp_<36 base62 characters>",
	},
	{
		ID: "SE011", Anchor: AnchorKeyword, Slug: "github-fine-grained-token", Name: "GitHub fine-grained personal access token",
		Severity: finding.Critical, Keywords: []string{"github_pat_"},
		Pattern: re(`\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b`), Binary: true,
		Format:  "github_pat_, 22 base62 characters, an underscore and 59 base62 characters",
		Example: "GITHUB_TOKEN=github_pat_<22 characters>_<59 characters>",
	},
	{
		ID: "SE012", Anchor: AnchorKeyword, Slug: "gitlab-token", Name: "GitLab token",
		Severity: finding.Critical,
		Keywords: []string{"glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "gloas-", "glsoat-", "glft-"},
		Pattern: re(`\b(?:glpat|gldt|glrt|glcbt|glsoat|glft)-[0-9A-Za-z_.-]{20,}\b|` +
			`\bglptt-[0-9a-f]{40}\b|\bgloas-[0-9a-f]{64}\b`),
		MinEntropy: 3.5, Binary: true,
		Format: "glpat- (personal), gldt- (deploy), glrt- (runner), glptt- (pipeline trigger), " +
			"gloas- (OAuth secret) and other gl prefixes followed by the token",
		Example: "CI_TOKEN=glpat-<20 or more characters>",
	},
	{
		ID: "SE013", Anchor: AnchorKeyword, Slug: "bitbucket-app-password", Name: "Bitbucket app password",
		Severity: finding.Critical, Keywords: []string{"atbb"},
		Pattern: re(`\bATBB[A-Za-z0-9]{28,60}\b`), MinEntropy: 3.5,
		Format:  "ATBB and 28 or more base62 characters",
		Example: "BITBUCKET_APP_PASSWORD=ATBB<32 characters>",
	},
	{
		ID: "SE014", Anchor: AnchorKeyword, Slug: "atlassian-api-token", Name: "Atlassian or Bitbucket access token",
		Severity: finding.High, Keywords: []string{"atatt3", "atctt3"},
		Pattern: re(`\bAT[AC]TT3[A-Za-z0-9_=-]{100,300}\b`), MinEntropy: 4.0,
		Format:  "ATATT3 (API token) or ATCTT3 (repository, project or workspace access token) and about 180 characters",
		Example: "ATLASSIAN_TOKEN=ATATT3<about 180 characters>",
	},
	{
		ID: "SE015", Anchor: AnchorKeyword, Slug: "npm-token", Name: "npm access token",
		Severity: finding.Critical, Keywords: []string{"npm_"},
		Pattern:  re(`\bnpm_[A-Za-z0-9]{36}\b`),
		Validate: validateBase62CRC, Binary: true,
		Format:  "npm_ and 36 base62 characters whose last six are a CRC32 checksum",
		Example: "//registry.npmjs.org/:_authToken=npm_<36 characters>",
	},
	{
		ID: "SE016", Anchor: AnchorKeyword, Slug: "pypi-token", Name: "PyPI API token",
		Severity: finding.Critical, Keywords: []string{"pypi-ag"},
		Pattern:  re(`\bpypi-AgE[A-Za-z0-9_-]{50,}`),
		Validate: validatePyPI, Binary: true,
		Format:  "pypi- and a base64 macaroon whose location is pypi.org or test.pypi.org",
		Example: "password = pypi-AgEIcHlwaS5vcmc<macaroon>",
	},
	{
		ID: "SE017", Anchor: AnchorKeyword, Slug: "docker-hub-token", Name: "Docker Hub access token",
		Severity: finding.Critical, Keywords: []string{"dckr_pat_", "dckr_oat_"},
		Pattern: re(`\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}`), MinEntropy: 3.5, Binary: true,
		Format:  "dckr_pat_ (personal) or dckr_oat_ (organisation) and 27 or more characters",
		Example: "echo dckr_pat_<27 characters> | docker login -u acme --password-stdin",
	},
	{
		ID: "SE018", Anchor: AnchorKeyword, Slug: "rubygems-token", Name: "RubyGems API key",
		Severity: finding.Critical, Keywords: []string{"rubygems_"},
		Pattern: re(`\brubygems_[0-9a-f]{48}\b`), Binary: true,
		Format:  "rubygems_ and 48 hexadecimal characters",
		Example: ":rubygems_api_key: rubygems_<48 hexadecimal characters>",
	},
	{
		ID: "SE019", Anchor: AnchorKeyword, Slug: "slack-token", Name: "Slack token",
		Severity: finding.High,
		Keywords: []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xoxe.", "xapp-"},
		Pattern: re(`\bxox[bparse]-[0-9]{8,13}-[0-9A-Za-z-]{10,}|\bxoxe\.xox[bp]-1-[0-9A-Za-z]{100,}|` +
			`\bxapp-[0-9]-[A-Z0-9]{9,}-[0-9]{10,}-[0-9a-f]{32,}`),
		MinEntropy: 3.0, Binary: true,
		Format:  "xoxb- (bot), xoxp- (user), xapp- (app-level), xoxe- (configuration) and numeric IDs",
		Example: "SLACK_BOT_TOKEN=xoxb-<team ID>-<bot ID>-<24 characters>",
	},
	{
		ID: "SE020", Slug: "slack-webhook", Name: "Slack incoming webhook URL",
		Severity: finding.High, Keywords: []string{"hooks.slack.com"},
		Pattern: re(`https://hooks\.slack\.com/(?:services|workflows|triggers)/` +
			`(?P<secret>T[A-Z0-9]{6,}/[A-Z0-9/]{6,}/[A-Za-z0-9]{20,})`),
		Format:  "https://hooks.slack.com/services/T…/B…/ and 24 characters",
		Example: "SLACK_WEBHOOK=https://hooks.slack.com/services/T<ID>/B<ID>/<24 characters>",
	},
	{
		ID: "SE021", Anchor: AnchorKeyword, Slug: "stripe-key", Name: "Stripe secret key",
		Severity: finding.Critical, Keywords: []string{"sk_live_", "rk_live_", "sk_test_", "rk_test_"},
		Pattern: re(`\b[rs]k_(?:live|test)_[0-9A-Za-z]{24,247}\b`), MinEntropy: 3.5, Binary: true,
		Format:  "sk_live_ (secret) or rk_live_ (restricted), or their _test_ forms, and 24 or more characters",
		Example: "STRIPE_SECRET_KEY=sk_live_<24 or more characters>",
	},
	{
		ID: "SE022", Anchor: AnchorKeyword, Slug: "stripe-webhook-secret", Name: "Stripe webhook signing secret",
		Severity: finding.High, Keywords: []string{"whsec_"},
		Pattern: re(`\bwhsec_[A-Za-z0-9+/]{32,}={0,2}`), MinEntropy: 3.5,
		Format:  "whsec_ and 32 or more characters",
		Example: "STRIPE_WEBHOOK_SECRET=whsec_<32 characters>",
	},
	{
		ID: "SE023", Slug: "twilio-api-key", Name: "Twilio API key",
		Severity: finding.High, Keywords: []string{"twilio"}, Scope: ScopeFile,
		Pattern: re(`\bSK[0-9a-f]{32}\b`), MinEntropy: 3.0,
		Format:  "SK and 32 hexadecimal characters, in a file that mentions Twilio",
		Example: "TWILIO_API_KEY=SK<32 hexadecimal characters>",
	},
	{
		ID: "SE024", Slug: "twilio-auth-token", Name: "Twilio auth token",
		Severity: finding.High, Keywords: []string{"twilio"}, Scope: ScopeFile,
		Pattern:    re(`(?i)(?:twilio[_-]?)?auth[_-]?token["']?\s*(?:=|:|:=|=>)\s*["']?(?P<secret>[0-9a-f]{32})\b`),
		MinEntropy: 3.0,
		Format:     "32 hexadecimal characters assigned to an auth token name in a file that mentions Twilio",
		Example:    "TWILIO_AUTH_TOKEN=<32 hexadecimal characters>",
	},
	{
		ID: "SE025", Anchor: AnchorKeyword, Slug: "sendgrid-api-key", Name: "SendGrid API key",
		Severity: finding.High, Keywords: []string{"sg."},
		Pattern: re(`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`), MinEntropy: 4.0, Binary: true,
		Format:  "SG., 22 characters, a dot and 43 characters",
		Example: "SENDGRID_API_KEY=SG.<22 characters>.<43 characters>",
	},
	{
		ID: "SE026", Slug: "private-key", Name: "private key",
		Severity: finding.Critical, Keywords: []string{"private key-----"}, Scope: ScopeFile, Binary: true,
		Pattern: re(`-----BEGIN (?:RSA |EC |DSA |ENCRYPTED |ANY )?PRIVATE KEY-----` +
			`(?:[A-Za-z0-9+/=\s:,-]|\\[nr])*?-----END (?:RSA |EC |DSA |ENCRYPTED |ANY )?PRIVATE KEY-----`),
		Validate: validatePEMBody,
		Format:   "a PEM block: RSA, EC, DSA, PKCS #8 or encrypted PKCS #8 private key",
		Example:  "-----BEGIN RSA PRIVATE KEY-----\n<base64>\n-----END RSA PRIVATE KEY-----",
	},
	{
		ID: "SE027", Slug: "openssh-private-key", Name: "OpenSSH private key",
		Severity: finding.Critical, Keywords: []string{"begin openssh private key"}, Scope: ScopeFile,
		Binary: true,
		Pattern: re(`-----BEGIN OPENSSH PRIVATE KEY-----(?:[A-Za-z0-9+/=\s]|\\[nr])*?` +
			`-----END OPENSSH PRIVATE KEY-----`),
		Validate: validateOpenSSH,
		Format:   "an OpenSSH key file (openssh-key-v1), as written by ssh-keygen",
		Example:  "-----BEGIN OPENSSH PRIVATE KEY-----\n<base64>\n-----END OPENSSH PRIVATE KEY-----",
	},
	{
		ID: "SE028", Slug: "pgp-private-key", Name: "PGP private key block",
		Severity: finding.Critical, Keywords: []string{"begin pgp private key block"}, Scope: ScopeFile,
		Pattern: re(`-----BEGIN PGP PRIVATE KEY BLOCK-----(?:[A-Za-z0-9+/=\s:,.-]|\\[nr]){64,}?` +
			`-----END PGP PRIVATE KEY BLOCK-----`),
		Format:  "an ASCII-armoured OpenPGP secret key",
		Example: "-----BEGIN PGP PRIVATE KEY BLOCK-----\n<base64>\n-----END PGP PRIVATE KEY BLOCK-----",
	},
	{
		ID: "SE029", Anchor: AnchorKeyword, Slug: "kubernetes-service-account-token", Name: "Kubernetes service-account token",
		Severity: finding.Critical, Keywords: []string{"eyj"},
		Pattern:  re(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}`),
		Validate: validateKubernetesJWT,
		Format:   "a JWT issued by a Kubernetes API server (kubernetes.io claims or the serviceaccount issuer)",
		Example:  "token: eyJhbGciOiJSUzI1NiIs<…>.eyJpc3MiOiJrdWJlcm5ldGVz<…>.<signature>",
	},
	{
		ID: "SE030", Anchor: AnchorKeyword, Slug: "jwt", Name: "JSON Web Token",
		Severity: finding.Medium, Keywords: []string{"eyj"},
		Pattern:  re(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}`),
		Validate: validateJWT,
		Format:   "three base64url parts whose header is JSON with an alg field, and a signature",
		Example:  "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>",
	},
	{
		ID: "SE031", Anchor: AnchorKeyword, Slug: "kubeconfig-client-key", Name: "kubeconfig client key",
		Severity: finding.Critical, Keywords: []string{"client-key-data"},
		Pattern:  re(`client-key-data["']?\s*:\s*["']?(?P<secret>[A-Za-z0-9+/]{40,}={0,2})`),
		Validate: validateBase64PEM,
		Format:   "client-key-data: a base64-encoded PEM private key in a kubeconfig user",
		Example:  "users:\n- name: admin\n  user:\n    client-key-data: <base64 PEM>",
	},
	{
		ID: "SE032", Slug: "kubeconfig-credential", Name: "kubeconfig user credential",
		Severity: finding.Critical, Keywords: []string{"users:"}, Require: []string{"clusters:"},
		Scope: ScopeFile,
		Pattern: re(`(?m)^\s+(?:token|password|client-secret|id-token|refresh-token)\s*:\s*["']?` +
			`(?P<secret>[^\s"'#]{8,})`),
		Format:  "token, password or auth-provider secrets under users: in a kubeconfig",
		Example: "users:\n- name: admin\n  user:\n    token: <bearer token>",
	},
	{
		ID: "SE033", Anchor: AnchorKeyword, Slug: "vault-token", Name: "HashiCorp Vault token",
		Severity: finding.Critical, Keywords: []string{"hvs.", "hvb.", "hvr."},
		Pattern: re(`\bhv[sbr]\.[A-Za-z0-9_-]{24,}`), MinEntropy: 3.5, Binary: true,
		Format:  "hvs. (service), hvb. (batch) or hvr. (recovery) and 24 or more characters",
		Example: "VAULT_TOKEN=hvs.<24 or more characters>",
	},
	{
		ID: "SE034", Follows: userinfoFollows, Anchor: AnchorKeyword, Slug: "database-url-password", Name: "database URL with a password",
		Severity: finding.High,
		Keywords: []string{"postgres://", "postgresql://", "mysql://", "mariadb://", "mongodb://",
			"mongodb+srv://", "redis://", "rediss://", "mssql://", "sqlserver://", "clickhouse://",
			"cockroachdb://", "oracle://", "jdbc:", "neo4j://", "couchdb://"},
		Pattern: re(`(?i)\b(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|mssql|` +
			`sqlserver|clickhouse|cockroachdb|oracle|neo4j|couchdb)://[^:/@\s"'<>]*:` +
			`(?P<secret>[^@/\s"'<>]{4,})@`),
		Format:  "scheme://user:password@host for PostgreSQL, MySQL, MongoDB, Redis and other databases",
		Example: "DATABASE_URL=postgres://app:<password>@db:5432/app",
	},
	{
		ID: "SE035", Follows: userinfoFollows, Anchor: AnchorKeyword, Slug: "broker-url-password", Name: "message broker URL with a password",
		Severity: finding.High, Keywords: []string{"amqp://", "amqps://", "nats://", "mqtt://", "mqtts://", "kafka://"},
		Pattern: re(`(?i)\b(?:amqps?|nats|mqtts?|kafka)://[^:/@\s"'<>]*:(?P<secret>[^@/\s"'<>]{4,})@`),
		Format:  "scheme://user:password@host for AMQP (RabbitMQ), NATS, MQTT and Kafka",
		Example: "BROKER_URL=amqp://app:<password>@rabbitmq:5672/",
	},
	{
		ID: "SE036", Follows: userinfoFollows, Anchor: AnchorKeyword, Slug: "url-basic-auth", Name: "URL with a password",
		Severity: finding.Medium, Keywords: []string{"http://", "https://", "ftp://", "git+https://"},
		Pattern: re(`(?i)\b(?:https?|ftps?|git\+https?)://[A-Za-z0-9._%+-]+:` +
			`(?P<secret>[^@/\s"'<>$]{6,})@[A-Za-z0-9.-]+`),
		Format:  "http(s)://user:password@host, as in registry mirrors and Git remotes",
		Example: "git clone https://ci:<password>@git.example.com/app.git",
	},
	{
		ID: "SE037", Slug: "netrc-password", Name: ".netrc password",
		Severity: finding.High, Keywords: []string{"machine"}, Require: []string{"password"},
		Scope: ScopeFile,
		Pattern: re(`\bmachine\s+\S+(?:\s+(?:login|account|port)\s+\S+)*\s+password\s+` +
			"(?P<secret>[^\\s\"'`,;\\\\]+)"),
		Format:  "machine host login user password secret, in .netrc or _netrc",
		Example: "machine api.example.com login ci password <secret>",
	},
	{
		ID: "SE038", Slug: "npmrc-auth", Name: ".npmrc credential",
		Severity: finding.Critical, Keywords: []string{"_authtoken", "_auth", "_password"},
		Pattern: re(`(?m)(?:^|:)\s*_(?:authToken|auth|password)\s*=\s*["']?(?P<secret>[^\s"']{8,})`),
		Format:  "_authToken, _auth or _password in an .npmrc",
		Example: "//registry.npmjs.org/:_authToken=<token>",
	},
	{
		ID: "SE039", Slug: "pypirc-password", Name: ".pypirc password",
		Severity: finding.High, Keywords: []string{"[pypi]", "[testpypi]", "[distutils]", "index-servers"},
		Require: []string{"password"}, Scope: ScopeFile,
		Pattern: re(`(?m)^[ \t]*password[ \t]*[:=][ \t]*(?P<secret>\S+)`),
		Format:  "password = in a .pypirc index-server section",
		Example: "[pypi]\nusername = __token__\npassword = <token>",
	},
	{
		ID: "SE040", Slug: "docker-config-auth", Name: "Docker config.json registry credential",
		Severity: finding.Critical, Keywords: []string{`"auth"`, `"identitytoken"`},
		Pattern:  re(`"(?:auth|identitytoken)"\s*:\s*"(?P<secret>[A-Za-z0-9+/_.-]{8,}={0,2})"`),
		Validate: validateDockerAuth,
		Format:   `"auths": {"registry": {"auth": base64 of user:password}} or an "identitytoken"`,
		Example:  `{"auths": {"registry.example.com": {"auth": "<base64 of user:password>"}}}`,
	},
	{
		ID: "SE041", Anchor: AnchorKeyword, Slug: "shopify-token", Name: "Shopify access token",
		Severity: finding.High, Keywords: []string{"shpat_", "shpca_", "shppa_", "shpss_"},
		Pattern: re(`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`), Binary: true,
		Format:  "shpat_, shpca_, shppa_ or shpss_ and 32 hexadecimal characters",
		Example: "SHOPIFY_TOKEN=shpat_<32 hexadecimal characters>",
	},
	{
		ID: "SE042", Anchor: AnchorKeyword, Slug: "digitalocean-token", Name: "DigitalOcean token",
		Severity: finding.High, Keywords: []string{"dop_v1_", "doo_v1_", "dor_v1_"},
		Pattern: re(`\bdo[por]_v1_[a-f0-9]{64}\b`), Binary: true,
		Format:  "dop_v1_ (personal), doo_v1_ (OAuth) or dor_v1_ (refresh) and 64 hexadecimal characters",
		Example: "DIGITALOCEAN_TOKEN=dop_v1_<64 hexadecimal characters>",
	},
	{
		ID: "SE043", Slug: "openai-api-key", Name: "OpenAI API key",
		Severity: finding.High, Keywords: []string{"t3blbkfj"},
		Pattern: re(`\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}`),
		Binary:  true,
		Format:  "sk- and a key with the marker T3BlbkFJ in its middle",
		Example: "OPENAI_API_KEY=sk-proj-<…>T3BlbkFJ<…>",
	},
	{
		ID: "SE044", Anchor: AnchorKeyword, Slug: "anthropic-api-key", Name: "Anthropic API key",
		Severity: finding.High, Keywords: []string{"sk-ant-"},
		Pattern: re(`\bsk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,100}AA\b`), Binary: true,
		Format:  "sk-ant-api03- and about 95 characters ending in AA",
		Example: "ANTHROPIC_API_KEY=sk-ant-api03-<…>AA",
	},
	{
		ID: "SE045", Anchor: AnchorKeyword, Slug: "huggingface-token", Name: "Hugging Face access token",
		Severity: finding.High, Keywords: []string{"hf_"},
		Pattern: re(`\bhf_[A-Za-z]{34}\b`), MinEntropy: 3.8, Binary: true,
		Format:  "hf_ and 34 letters",
		Example: "HF_TOKEN=hf_<34 letters>",
	},
	{
		ID: "SE046", Anchor: AnchorKeyword, Slug: "age-secret-key", Name: "age secret key",
		Severity: finding.Critical, Keywords: []string{"age-secret-key-1"},
		Pattern:  re(`\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b`),
		Validate: validateBech32, Binary: true,
		Format:  "AGE-SECRET-KEY-1 and 58 Bech32 characters with a valid checksum",
		Example: "AGE-SECRET-KEY-1<58 Bech32 characters>",
	},
	{
		ID: "SE047", Anchor: AnchorKeyword, Slug: "grafana-token", Name: "Grafana token",
		Severity: finding.High, Keywords: []string{"glc_", "glsa_"},
		Pattern:    re(`\bglc_[A-Za-z0-9+/]{32,400}={0,2}|\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b`),
		MinEntropy: 3.5, Binary: true,
		Format:  "glc_ (Grafana Cloud) or glsa_ (service account) and the token",
		Example: "GRAFANA_TOKEN=glsa_<32 characters>_<8 hexadecimal characters>",
	},
	{
		ID: "SE048", Anchor: AnchorKeyword, Slug: "postman-api-key", Name: "Postman API key",
		Severity: finding.High, Keywords: []string{"pmak-"},
		Pattern: re(`\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b`), Binary: true,
		Format:  "PMAK-, 24 hexadecimal characters, a dash and 34 more",
		Example: "POSTMAN_API_KEY=PMAK-<24>-<34>",
	},
	{
		ID: "SE049", Slug: "terraform-cloud-token", Name: "Terraform Cloud API token",
		Severity: finding.High, Keywords: []string{".atlasv1."},
		Pattern: re(`\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}\b`), Binary: true,
		Format:  "14 characters, .atlasv1. and about 67 characters",
		Example: "token = \"<14 characters>.atlasv1.<67 characters>\"",
	},
	{
		ID: "SE050", Slug: "telegram-bot-token", Name: "Telegram bot token",
		Severity: finding.Medium, Keywords: []string{":aa"},
		Pattern: re(`\b[0-9]{8,10}:AA[0-9A-Za-z_-]{33}\b`), MinEntropy: 3.5,
		Format:  "the bot's numeric ID, a colon, AA and 33 characters",
		Example: "TELEGRAM_TOKEN=<bot ID>:AA<33 characters>",
	},
	{
		ID: "SE051", Slug: "discord-webhook", Name: "Discord webhook URL",
		Severity: finding.Medium, Keywords: []string{"/api/webhooks/"},
		Pattern: re(`https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/` +
			`(?P<secret>[A-Za-z0-9_-]{60,68})`),
		Format:  "https://discord.com/api/webhooks/<ID>/ and a 68-character token",
		Example: "DISCORD_WEBHOOK=https://discord.com/api/webhooks/<ID>/<token>",
	},
	{
		ID: "SE052", Anchor: AnchorKeyword, Slug: "alibaba-access-key-id", Name: "Alibaba Cloud AccessKey ID",
		Severity: finding.High, Keywords: []string{"ltai"},
		Pattern: re(`\bLTAI[A-Za-z0-9]{12,20}\b`), MinEntropy: 3.0,
		Format:  "LTAI and 12 to 20 characters",
		Example: "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI<20 characters>",
	},
	{
		ID: "SE053", Anchor: AnchorKeyword, Slug: "new-relic-key", Name: "New Relic user API key",
		Severity: finding.High, Keywords: []string{"nrak-"},
		Pattern: re(`\bNRAK-[A-Z0-9]{27}\b`), Binary: true,
		Format:  "NRAK- and 27 characters",
		Example: "NEW_RELIC_API_KEY=NRAK-<27 characters>",
	},
	{
		ID: "SE054", Anchor: AnchorKeyword, Slug: "doppler-token", Name: "Doppler token",
		Severity: finding.High, Keywords: []string{"dp.pt.", "dp.st.", "dp.sa.", "dp.ct."},
		Pattern: re(`\bdp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44}\b`), Binary: true,
		Format:  "dp.pt. (personal), dp.st. (service) or dp.sa. (service account) and 43 characters",
		Example: "DOPPLER_TOKEN=dp.st.<43 characters>",
	},
	{
		ID: "SE058", Anchor: AnchorKeyword, Slug: "sentry-token", Name: "Sentry auth token",
		Severity: finding.High, Keywords: []string{"sntryu_", "sntrys_"},
		Pattern: re(`\bsntryu_[a-f0-9]{64}\b|\bsntrys_eyJ[A-Za-z0-9_=+/-]{60,}`), Binary: true,
		Format:  "sntryu_ (user token) and 64 hexadecimal characters, or sntrys_ (organisation token) and base64 JSON",
		Example: "SENTRY_AUTH_TOKEN=sntryu_<64 hexadecimal characters>",
	},
	{
		ID: "SE059", Anchor: AnchorKeyword, Slug: "square-token", Name: "Square access token",
		Severity: finding.High, Keywords: []string{"sq0atp-", "sq0csp-", "eaaa"},
		Pattern:    re(`\bsq0atp-[0-9A-Za-z_-]{22}\b|\bsq0csp-[0-9A-Za-z_-]{43}\b|\bEAAA[0-9A-Za-z_+-]{60}\b`),
		MinEntropy: 3.5, Binary: true,
		Format:  "sq0atp- (access token), sq0csp- (application secret) or EAAA and 60 characters",
		Example: "SQUARE_ACCESS_TOKEN=EAAA<60 characters>",
	},
	{
		ID: "SE060", Anchor: AnchorKeyword, Slug: "databricks-token", Name: "Databricks personal access token",
		Severity: finding.High, Keywords: []string{"dapi"},
		Pattern: re(`\bdapi[a-f0-9]{32}(?:-[0-9])?\b`), MinEntropy: 3.0, Binary: true,
		Format:  "dapi and 32 hexadecimal characters",
		Example: "DATABRICKS_TOKEN=dapi<32 hexadecimal characters>",
	},
	{
		ID: "SE061", Anchor: AnchorKeyword, Slug: "linear-api-key", Name: "Linear API key",
		Severity: finding.Medium, Keywords: []string{"lin_api_"},
		Pattern: re(`\blin_api_[A-Za-z0-9]{40}\b`), MinEntropy: 3.5, Binary: true,
		Format:  "lin_api_ and 40 characters",
		Example: "LINEAR_API_KEY=lin_api_<40 characters>",
	},
	{
		ID: "SE062", Anchor: AnchorKeyword, Slug: "planetscale-token", Name: "PlanetScale token or password",
		Severity: finding.High, Keywords: []string{"pscale_tkn_", "pscale_pw_", "pscale_oauth_"},
		Pattern: re(`\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}`), MinEntropy: 3.5, Binary: true,
		Format:  "pscale_tkn_ (service token), pscale_pw_ (database password) or pscale_oauth_ and 32 to 64 characters",
		Example: "DATABASE_PASSWORD=pscale_pw_<43 characters>",
	},
	{
		ID: "SE063", Anchor: AnchorKeyword, Slug: "supabase-token", Name: "Supabase access token",
		Severity: finding.High, Keywords: []string{"sbp_"},
		Pattern: re(`\bsbp_[a-f0-9]{40}\b`), Binary: true,
		Format:  "sbp_ and 40 hexadecimal characters",
		Example: "SUPABASE_ACCESS_TOKEN=sbp_<40 hexadecimal characters>",
	},
	{
		ID: "SE055", Follows: assignmentFollows, Anchor: AnchorName, Slug: "password-assignment", Name: "password or secret assignment",
		Severity: finding.High, Generic: true,
		Keywords: []string{"passw", "passwd", "pwd", "secret", "token", "api_key", "apikey", "api-key",
			"access_key", "accesskey", "access-key", "private_key", "privatekey", "credential", "auth_key"},
		Pattern: re(`(?i)(?P<name>[A-Za-z0-9_.-]*` + secretAssignNames + `[A-Za-z0-9_.-]*)["']?` +
			`[ \t]*(?::=|=>|=|:)[ \t]*["']?(?P<secret>[^\s"'` + "`" + `,;]{8,200})`),
		MinEntropy: 3.0,
		Format: "a key named like a password, secret, token or API key, assigned a literal value " +
			"with enough entropy in an .env, INI, YAML, JSON, XML, properties or shell file",
		Example: "db_password = <literal value>",
	},
}
