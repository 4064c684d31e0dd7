package secrets

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestClassifyDatabaseVariables checks the variables that database and
// broker clients and images read a password from, written with and
// without separators, and names beside them that hold no secret.
func TestClassifyDatabaseVariables(t *testing.T) {
	const value = "Qz7kLm29vXpT4rW8sYbN"
	tests := []struct {
		name   string
		secret bool
	}{
		{"PGPASSWORD", true},
		{"PgPassword", true},
		{"POSTGRES_PASSWORD", true},
		{"MYSQL_ROOT_PASSWORD", true},
		{"MYSQL_PWD", true},
		{"MARIADB_ROOT_PASSWORD", true},
		{"REDIS_PASSWORD", true},
		{"REDISCLI_AUTH", true},
		{"RABBITMQ_DEFAULT_PASS", true},
		{"MONGO_INITDB_ROOT_PASSWORD", true},
		{"MSSQL_SA_PASSWORD", true},
		{"NEO4J_AUTH", true},
		{"ELASTIC_PASSWORD", true},
		{"VAULTTOKEN", true},
		{"MYAPIKEY", true},
		{"DBPASS", true},
		{"ROOTPWD", true},
		{"AUTH", true},
		{"SSH_KEY", true},
		{"DEPLOY_KEY", true},
		{"SSH_KEY_PATH", false},
		{"SSH_KEY_FILE", false},
		{"AUTH_TYPE", false},
		{"DBPASS_FILE", false},
		{"SURPASS", false},
		{"PASSWORD_FILE", false},
		{"PGPASSWORD_FILE", false},
		{"PGPASSFILE", false},
		{"PASSWORD_MIN_LENGTH", false},
		{"PGPASSWORD_LENGTH", false},
		{"BYPASS", false},
		{"COMPASS_HEADING", false},
		{"PGUSER", false},
		{"PGHOST", false},
		{"REDIS_AUTH_ENABLED", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := Classify(tt.name, value)
			require.Equal(t, tt.secret, ok)
		})
	}
}

func TestNameWordsSplitsCompounds(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"PGPASSWORD", []string{"pg", "password"}},
		{"PGPASSWORD_FILE", []string{"pg", "password", "file"}},
		{"PASSWORD", []string{"password"}},
		{"BYPASS", []string{"bypass"}},
		{"DBPASS", []string{"db", "pass"}},
		{"compass", []string{"compass"}},
		{"pwd", []string{"pwd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, nameWords(tt.name))
		})
	}
}
