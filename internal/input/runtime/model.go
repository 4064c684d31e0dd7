// Package runtime is the one model of how a container is started, whatever
// wrote it down: a docker run command line, a compose service, a
// Kubernetes container, docker inspect output or a live container. Readers
// in this package and its subpackages fill the model; the runtime rules
// judge it. The model itself holds no judgement.
//
// Every value keeps the position that set it, so a finding points at the
// flag, key or field a user must change. A value can be unset (the source
// does not mention it), set, or unknown: written, but through a shell or
// compose variable that cannot be resolved. Readers never guess unknown
// values.
package runtime

import "fmt"

// SourceKind is the kind of input a container configuration was read from.
type SourceKind string

// Source kinds.
const (
	SourceCLI        SourceKind = "cli"        // docker/podman command line
	SourceCompose    SourceKind = "compose"    // compose service
	SourceKubernetes SourceKind = "kubernetes" // Kubernetes container
	SourceInspect    SourceKind = "inspect"    // docker inspect JSON
	SourceLive       SourceKind = "live"       // running container on an engine
)

// Pos is a position in a source file. Lines and columns are 1-based and
// zero means unknown. For a live container Path names the container.
type Pos struct {
	Path      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
}

// String returns path:line:column, leaving out unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.Path
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.Path, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Column)
}

// Value is one setting and where it was written.
type Value[T any] struct {
	// V is the decoded value. It is the zero value when Set is false or
	// Unknown is true.
	V T
	// Set is true when the source states the value, including an
	// explicit default such as --privileged=false.
	Set bool
	// Unknown is true when the value is written through a variable that
	// cannot be resolved, such as --user "$UID". Set is also true.
	Unknown bool
	// Raw is the text as written, such as "512m" for a memory limit. It
	// is empty for values that come from structured sources.
	Raw string
	Pos Pos
}

// Known reports whether the value is set to a resolved value.
func (v Value[T]) Known() bool { return v.Set && !v.Unknown }

// Is reports whether the value is known and equal to want.
func Is[T comparable](v Value[T], want T) bool { return v.Known() && v.V == want }

// Of returns a set, known value at pos.
func Of[T any](v T, raw string, pos Pos) Value[T] {
	return Value[T]{V: v, Set: true, Raw: raw, Pos: pos}
}

// UnknownAt returns a set value whose content cannot be resolved.
func UnknownAt[T any](raw string, pos Pos) Value[T] {
	return Value[T]{Set: true, Unknown: true, Raw: raw, Pos: pos}
}

// Container is the runtime configuration of one container.
type Container struct {
	Source SourceKind
	// Name is the container, service or Kubernetes container name, when
	// the source gives one.
	Name string
	// Workload names the enclosing object for Kubernetes ("Deployment/web")
	// and the compose project or file for compose; empty otherwise.
	Workload string
	// Pos is the start of the definition: the first word of the command,
	// the service key or the container entry. Inline suppressions written
	// above it apply to every finding of the container.
	Pos Pos
	// Command is the CLI verb for command lines: "docker run",
	// "docker create", "docker service create", "podman run",
	// "docker exec". It is empty for other sources.
	Command string

	Image Value[string]
	// ImageConfig is the image's own configuration, when the image is known:
	// a Dockerfile in the tree, an image in the local engine or a live
	// container's image. Nil means the image is not known and may set a
	// user or health check of its own.
	ImageConfig *ImageConfig

	Security  Security
	Resources Resources
	Namespace Namespaces

	Restart     Value[RestartPolicy]
	Healthcheck Value[Healthcheck]

	Tmpfs   []Tmpfs
	Mounts  []Mount
	Devices []Device
	Ports   []Port
	Env     []EnvVar
	Sysctls []Sysctl
	Ulimits []Ulimit

	// PublishAll is -P (--publish-all) or HostConfig.PublishAllPorts: the
	// engine publishes every exposed port of the container and its image
	// on all host interfaces, each on a random host port.
	PublishAll Value[bool]
	// VolumesFrom are the containers whose mounts this container gets
	// (--volumes-from, volumes_from, HostConfig.VolumesFrom), as written,
	// such as "data:ro" or "container:data".
	VolumesFrom []Value[string]
	// EnvFiles are --env-file and env_file entries. Their variables are
	// added to Env by LoadEnvFiles, which needs the files themselves.
	EnvFiles []EnvFile
	// DeviceRequests are --gpus, gpus and device reservations of compose,
	// or HostConfig.DeviceRequests.
	DeviceRequests []DeviceRequest
	// DeviceCgroupRules are --device-cgroup-rule, device_cgroup_rules or
	// HostConfig.DeviceCgroupRules entries.
	DeviceCgroupRules []DeviceCgroupRule

	Kubernetes *KubernetesSettings

	// Broken is set when a backslash followed by whitespace ends the
	// command line early; only command lines set it.
	Broken *Broken

	// UnknownArgs are words of a command line that cannot be resolved,
	// such as "$DOCKER_OPTS", and may hold any flag. Rules that fire on
	// a missing flag stay silent while this is non-empty.
	UnknownArgs []Value[string]
	// Notes are reader remarks that are not rule findings, such as an
	// unknown flag or a value that could not be decoded.
	Notes []Note
}

// Note is a reader remark on the input, with its position.
type Note struct {
	Pos     Pos
	Message string
}

// ImageConfig is the part of an image's configuration that runtime rules
// consult when the container does not override it.
type ImageConfig struct {
	// Ref names where the configuration came from: a Dockerfile path and
	// stage, or an image reference or ID.
	Ref string
	// Base is the image the configuration builds on when that image may
	// set a user or health check that Ref does not show, such as the FROM
	// image of a Dockerfile. It is empty for FROM scratch and for images
	// read from an engine, whose configuration is complete.
	Base string
	// User and Healthcheck are unset when the image sets none, and
	// unknown when an image it builds on may set one.
	User        Value[string]
	Healthcheck Value[Healthcheck]
	// ExposedPorts are the image's EXPOSE ports, such as "8080/tcp". When
	// Base is not empty, that image may expose more.
	ExposedPorts []string
}

// Security holds privilege, capability and confinement settings.
type Security struct {
	// User is the user[:group] the process runs as, by name or ID.
	User       Value[string]
	Privileged Value[bool]
	CapAdd     []Value[string]
	CapDrop    []Value[string]
	// ReadOnlyRootfs is --read-only, read_only or readOnlyRootFilesystem.
	ReadOnlyRootfs Value[bool]
	// NoNewPrivileges is --security-opt no-new-privileges; for Kubernetes
	// allowPrivilegeEscalation=false sets it to true and
	// allowPrivilegeEscalation=true sets it to false.
	NoNewPrivileges Value[bool]
	Seccomp         Value[Profile]
	AppArmor        Value[Profile]
	SELinux         []Value[SELinuxOption]
	// Systempaths is --security-opt systempaths=unconfined, or
	// procMount: Unmasked for Kubernetes (V is "unconfined" then).
	Systempaths Value[string]
	// Options are the --security-opt / security_opt entries as written.
	// Seccomp, AppArmor, NoNewPrivileges, SELinux and Systempaths are
	// also filled from them.
	Options []SecurityOpt
}

// SecurityOpt is one --security-opt entry.
type SecurityOpt struct {
	Key   string // "seccomp", "apparmor", "label", "no-new-privileges", ...
	Value string
	// Separator is '=', ':' for the deprecated form, or 0 when the entry
	// has no value ("no-new-privileges").
	Separator byte
	Raw       string
	Unknown   bool
	Pos       Pos
}

// ProfileKind is the kind of seccomp or AppArmor profile that applies.
type ProfileKind string

// Profile kinds.
const (
	ProfileDefault    ProfileKind = "default"    // the runtime's default profile
	ProfileUnconfined ProfileKind = "unconfined" // no profile
	ProfileFile       ProfileKind = "file"       // seccomp JSON file on the client
	ProfileNamed      ProfileKind = "named"      // AppArmor profile loaded on the host
	ProfileLocalhost  ProfileKind = "localhost"  // Kubernetes Localhost profile on the node
	ProfileInline     ProfileKind = "inline"     // seccomp JSON held inline (docker inspect)
)

// Profile is a seccomp or AppArmor profile choice.
type Profile struct {
	Kind ProfileKind
	// Name is the file path (ProfileFile), the profile name (ProfileNamed)
	// or the node-relative path (ProfileLocalhost).
	Name string
}

// SELinuxOption is one label option: type, user, role, level, filetype,
// or disable with an empty value.
type SELinuxOption struct {
	Key   string
	Value string
}

// Resources holds resource limits. Memory values are bytes.
type Resources struct {
	Memory            Value[int64]
	MemoryReservation Value[int64]
	// MemorySwap is memory plus swap; -1 means unlimited swap.
	MemorySwap Value[int64]
	// NanoCPUs is --cpus times 1e9, or a Kubernetes CPU limit.
	NanoCPUs   Value[int64]
	CPUQuota   Value[int64]
	CPUPeriod  Value[int64]
	CPUShares  Value[int64]
	CPUSetCPUs Value[string]
	// PidsLimit is the maximum number of processes; zero or -1 means no
	// limit on the Docker Engine.
	PidsLimit Value[int64]
	// CgroupParent is --cgroup-parent or cgroup_parent.
	CgroupParent Value[string]
}

// Namespaces holds namespace modes as written: "host", "private",
// "container:NAME", a network name, "" when unset.
type Namespaces struct {
	Network Value[string]
	PID     Value[string]
	IPC     Value[string]
	UTS     Value[string]
	User    Value[string]
	Cgroup  Value[string]
}

// RestartPolicy is --restart or a restart key.
type RestartPolicy struct {
	// Name is "no", "always", "unless-stopped" or "on-failure"; compose
	// deploy conditions map to the same names ("any" is "always").
	Name string
	// MaxRetries is the on-failure limit; zero means no limit.
	MaxRetries int
}

// Healthcheck is a container or image health check.
type Healthcheck struct {
	// Test is the command as Docker stores it: ["CMD", ...],
	// ["CMD-SHELL", "..."] or ["NONE"]. For Kubernetes it is the probe's
	// exec command, or ["HTTP"] / ["TCP"] / ["GRPC"] for the other probes.
	Test []string
	// Disabled is --no-healthcheck, disable: true or HEALTHCHECK NONE.
	Disabled bool
}

// Tmpfs is a tmpfs mount from --tmpfs, --mount type=tmpfs, tmpfs: or an
// emptyDir with medium Memory.
type Tmpfs struct {
	Target  string
	Options []string // mount options such as "noexec", "size=64m"
	// OptionsKnown is false when the source cannot carry mount options
	// (a Kubernetes emptyDir) or they are unknown.
	OptionsKnown bool
	Unknown      bool
	Pos          Pos
}

// MountType is the kind of a mount.
type MountType string

// Mount types.
const (
	MountBind   MountType = "bind"
	MountVolume MountType = "volume"
	MountTmpfs  MountType = "tmpfs"
	MountNpipe  MountType = "npipe"
	MountImage  MountType = "image"
	// MountHostPath is a Kubernetes hostPath volume, which behaves as a bind.
	MountHostPath MountType = "hostPath"
	// MountOther covers volumes with no host path, such as a Kubernetes
	// configMap or emptyDir.
	MountOther MountType = "other"
)

// Mount is a bind mount, volume or host path.
type Mount struct {
	Type MountType
	// Source is the host path for binds and host paths, the volume name
	// for named volumes.
	Source   string
	Target   string
	ReadOnly bool
	// Propagation is "private", "rprivate", "shared", "rshared", "slave",
	// "rslave", or for Kubernetes "None", "HostToContainer",
	// "Bidirectional"; empty when unset.
	Propagation string
	// Unknown is true when source or target holds an unresolved variable.
	Unknown bool
	Raw     string
	Pos     Pos
}

// Device is a host device given to the container.
type Device struct {
	Host        string
	Container   string
	Permissions string
	Unknown     bool
	Pos         Pos
}

// Port is a container port, published on the host or not.
type Port struct {
	// HostIP is the host address the port is bound to; empty means every
	// interface.
	HostIP string
	// HostPort is the host port or range ("8080", "8000-8010"); empty
	// means a random port or an unpublished port.
	HostPort string
	// ContainerPort is the port inside the container.
	ContainerPort int
	Protocol      string
	// Published is true when the port is published on the host
	// (-p, ports:, hostPort); false for EXPOSE-like container ports.
	Published bool
	Unknown   bool
	Raw       string
	Pos       Pos
}

// EnvVar is one environment variable.
type EnvVar struct {
	Name  string
	Value string
	// Literal is true when Value is written in the source itself, not
	// taken from the caller's environment, a file or a secret reference.
	Literal bool
	Unknown bool
	Pos     Pos
}

// EnvFileFormat is the syntax of an env file.
type EnvFileFormat string

// Env file formats.
const (
	// EnvFileDocker is the docker CLI's syntax: NAME=VALUE taken
	// literally, NAME alone copies the caller's variable, # starts a
	// comment line.
	EnvFileDocker EnvFileFormat = "docker"
	// EnvFileCompose is compose's dotenv syntax, with quotes, export and
	// ${VAR} interpolation.
	EnvFileCompose EnvFileFormat = "compose"
	// EnvFileRaw is compose's format: raw, where each value is taken as
	// written.
	EnvFileRaw EnvFileFormat = "raw"
)

// EnvFile is an env file named by --env-file or env_file.
type EnvFile struct {
	// Path is the file name as written, relative to the file that names it.
	Path   string
	Format EnvFileFormat
	// Required is false for a compose entry with required: false, which
	// compose skips when the file does not exist.
	Required bool
	Unknown  bool
	Pos      Pos
}

// DeviceRequest is a request for devices from a driver, such as GPUs from
// the NVIDIA container toolkit.
type DeviceRequest struct {
	Driver string
	// Count is the number of devices; -1 means all of them.
	Count int
	// DeviceIDs names the devices by ID or index.
	DeviceIDs []string
	// Capabilities are the alternatives a driver must support, each a
	// list such as [gpu] or [gpu utility].
	Capabilities [][]string
	Unknown      bool
	Raw          string
	Pos          Pos
}

// DeviceCgroupRule is one rule of the device cgroup allow list, written
// "TYPE MAJOR:MINOR ACCESS" as in "c 10:200 rwm".
type DeviceCgroupRule struct {
	// Type is "a" (all devices), "b" (block) or "c" (character).
	Type string
	// Major and Minor are device numbers, or "*" for any.
	Major, Minor string
	// Access holds r (read), w (write) and m (mknod).
	Access  string
	Unknown bool
	Raw     string
	Pos     Pos
}

// Sysctl is a namespaced kernel parameter.
type Sysctl struct {
	Name    string
	Value   string
	Unknown bool
	Pos     Pos
}

// Ulimit is a resource limit; -1 means unlimited.
type Ulimit struct {
	Name    string
	Soft    int64
	Hard    int64
	Unknown bool
	Raw     string
	Pos     Pos
}

// KubernetesSettings holds fields that only Kubernetes has.
type KubernetesSettings struct {
	RunAsNonRoot Value[bool]
	RunAsUser    Value[int64]
	RunAsGroup   Value[int64]
	// AllowPrivilegeEscalation is the field as written; Security.
	// NoNewPrivileges is derived from it.
	AllowPrivilegeEscalation     Value[bool]
	AutomountServiceAccountToken Value[bool]
	// ProcMount is "Default" or "Unmasked".
	ProcMount Value[string]
	// SeccompAnnotation is the seccomp.security.alpha.kubernetes.io/pod or
	// container.seccomp.security.alpha.kubernetes.io/NAME annotation that
	// applies to the container, with the key in Raw. Kubernetes 1.19 added
	// the seccompProfile field in its place, and kubelets since 1.27
	// ignore it, so it does not set Security.Seccomp.
	SeccompAnnotation Value[string]
	// ContainerKind is "container", "initContainer" or "ephemeralContainer".
	ContainerKind string
}

// AddNote records a reader remark at pos.
func (c *Container) AddNote(pos Pos, format string, args ...any) {
	c.Notes = append(c.Notes, Note{Pos: pos, Message: fmt.Sprintf(format, args...)})
}
