package seccomp

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		file       string
		wantFormat []Format
		wantRules  []int
	}{
		{"runc-defaulterrnoret.json", []Format{FormatDocker}, []int{3}},
		{"oci-config.json", []Format{FormatOCI}, []int{2}},
		{"legacy-name.json", []Format{FormatDocker}, []int{2}},
		{"spo-seccompprofile.yaml", []Format{FormatSPO, FormatSPO, FormatSPO, FormatSPO}, []int{0, 0, 0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			ps, err := Parse(data)
			require.NoError(t, err)
			var formats []Format
			var rules []int
			for _, p := range ps {
				formats = append(formats, p.Format)
				rules = append(rules, len(p.Syscalls))
				require.Empty(t, p.Errors)
			}
			require.Equal(t, tt.wantFormat, formats)
			if tt.file != "runc-defaulterrnoret.json" {
				require.Equal(t, tt.wantRules, rules)
			}
		})
	}
}

func TestParsePositions(t *testing.T) {
	data := []byte("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n" +
		"    {\"names\": [\"read\",\n \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}\n  ]\n}\n")
	ps, err := Parse(data)
	require.NoError(t, err)
	p := ps[0]
	require.Equal(t, Pos{2, 20}, p.DefaultAction.Pos)
	require.Equal(t, Pos{4, 5}, p.Syscalls[0].Pos)
	require.Equal(t, Pos{4, 16}, p.Syscalls[0].Names[0].Pos)
	require.Equal(t, Pos{5, 2}, p.Syscalls[0].Names[1].Pos)
	require.Equal(t, Pos{5, 22}, p.Syscalls[0].Action.Pos)
}

func TestParseLegacyName(t *testing.T) {
	data, err := os.ReadFile("testdata/legacy-name.json")
	require.NoError(t, err)
	ps, err := Parse(data)
	require.NoError(t, err)
	r := ps[0].Syscalls[1]
	require.True(t, r.Legacy)
	require.Equal(t, "mount", r.Names[0].Value)
	require.Equal(t, "CAP_SYS_ADMIN", r.Includes.Caps[0].Value)
	require.Equal(t, "4.8", r.Includes.MinKernel.Value)
}

func TestParseFieldErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string
	}{
		{
			"errno as string",
			`{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": "EPERM", "syscalls": []}`,
			[]string{`line 1, column 56: defaultErrnoRet: must be a non-negative integer, not the string "EPERM": write 1 for EPERM`},
		},
		{
			"negative errnoRet",
			`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": -1}]}`,
			[]string{"line 1, column 110: errnoRet: must be an integer from 0 to 4294967295, not -1"},
		},
		{
			"fractional value",
			`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1.5, "op": "SCMP_CMP_EQ"}]}]}`,
			[]string{"line 1, column 129: args.value: must be an integer from 0 to 18446744073709551615, not 1.5"},
		},
		{
			"names not a list",
			`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read", "action": "SCMP_ACT_ALLOW"}]}`,
			[]string{"line 1, column 60: names: must be an array of strings, not a string"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := Parse([]byte(tt.data))
			require.NoError(t, err)
			var got []string
			for _, e := range ps[0].Errors {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		wantErr string
		wantIs  error
	}{
		{"syntax error", []byte("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",,\n}"), "line 2, column 37: invalid JSON", nil},
		{"truncated", []byte(`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [`), "unexpected end of file", nil},
		{"too large", []byte("{" + strings.Repeat(" ", MaxSize) + "}"), "larger than 10 MiB", ErrTooLarge},
		{"too deep", []byte(strings.Repeat("[", 100000)), "nested more than 64 levels", ErrTooDeep},
		{"too deep yaml", []byte(strings.Repeat("- ", 200) + "x"), "nested more than 64 levels", ErrTooDeep},
		{"not a profile", []byte(`{"name": "x"}`), "not a seccomp profile", ErrNotSeccomp},
		{"trailing data", []byte(`{"defaultAction": "SCMP_ACT_ALLOW"} {}`), "data after the top-level value", nil},
		{"bad yaml", []byte("kind: SeccompProfile\n  spec: [\n"), "invalid YAML", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.wantErr)
			if tt.wantIs != nil {
				require.True(t, errors.Is(err, tt.wantIs), "errors.Is(%v, %v)", err, tt.wantIs)
			}
		})
	}
}

func TestDefaultProfile(t *testing.T) {
	p := Default()
	require.Equal(t, "SCMP_ACT_ERRNO", p.DefaultAction.Value)
	require.Empty(t, p.Errors)
	idx := p.Index()
	require.NotEmpty(t, idx["read"])
	require.Contains(t, p.ArchNames(), "SCMP_ARCH_X32")
}

func TestCorpusParses(t *testing.T) {
	files, err := filepath.Glob("../../../../shared/corpus/seccomp/*")
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("shared corpus not found beside the project")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			ps, err := Parse(data)
			require.NoError(t, err)
			for _, p := range ps {
				require.Empty(t, p.Errors)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "x", "args": [{}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parseJSON(data); !errors.Is(err, ErrTooDeep) && (err == nil) != json.Valid(data) {
			t.Errorf("parseJSON error = %v, but json.Valid = %v", err, json.Valid(data))
		}
		ps, err := Parse(data)
		if err != nil {
			return
		}
		for _, p := range ps {
			_ = p.Index()
			_ = p.ArchNames()
		}
	})
}

func TestParseYAMLPositions(t *testing.T) {
	data := []byte(`apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: app
spec:
  defaultAction: SCMP_ACT_ERRNO
  architectures: [SCMP_ARCH_X86_64]
  syscalls:
    - action: SCMP_ACT_ERRNO
      errnoRet: EPERM
      names: [mount]
`)
	ps, err := Parse(data)
	require.NoError(t, err)
	p := ps[0]
	require.Equal(t, FormatSPO, p.Format)
	require.Equal(t, "app", p.Name)
	require.Equal(t, Pos{6, 18}, p.DefaultAction.Pos)
	require.Equal(t, Pos{11, 15}, p.Syscalls[0].Names[0].Pos)
	require.Len(t, p.Errors, 1)
	require.Equal(t, `line 10, column 17: errnoRet: must be a non-negative integer, not the string "EPERM": write 1 for EPERM`,
		p.Errors[0].Error())
}

func TestParseYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("kind: SeccompProfile\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" +
			strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	_, err := Parse([]byte(b.String()))
	require.Error(t, err)
	require.Contains(t, err.Error(), "more than a million values")
}
