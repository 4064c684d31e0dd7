package runtime

import (
	"fmt"

	"github.com/dockward/dockward/internal/rule"
)

// checks lists every runtime rule in ID order.
var checks = []check{
	{rule: RunsAsRoot, run: checkRunsAsRoot},
	{rule: Privileged, run: checkPrivileged},
	{rule: CapabilitiesNotDropped, run: checkCapabilitiesNotDropped},
	{rule: DangerousCapability, run: checkDangerousCapability},
	{rule: UnneededBindCapability, run: checkUnneededBindCapability},
	{rule: PrivilegeEscalation, run: checkPrivilegeEscalation},
	{rule: WritableRootfs, run: checkWritableRootfs},
	{rule: TmpfsExecutable, run: checkTmpfsExecutable},
	{rule: SeccompDisabled, run: checkSeccompDisabled},
	{rule: ProfileMissing, run: checkProfileMissing},
	{rule: AppArmorDisabled, run: checkAppArmorDisabled},
	{rule: DeprecatedSecurityOpt, run: checkDeprecatedSecurityOpt},
	{rule: NoMemoryLimit, run: checkNoMemoryLimit},
	{rule: SwapAboveMemory, run: checkSwapAboveMemory},
	{rule: NoCPULimit, run: checkNoCPULimit},
	{rule: NoPidsLimit, run: checkNoPidsLimit},
	{rule: HostNetwork, run: checkHostNetwork},
	{rule: HostPID, run: checkHostPID},
	{rule: HostIPC, run: checkHostIPC},
	{rule: HostUTS, run: checkHostUTS},
	{rule: HostUserns, run: checkHostUserns},
	{rule: DockerSocket, run: checkDockerSocket},
	{rule: SensitiveMount, run: checkSensitiveMount},
	{rule: SharedPropagation, run: checkSharedPropagation},
	{rule: HostDevice, run: checkHostDevice},
	{rule: PortAllInterfaces, run: checkPortAllInterfaces},
	{rule: PrivilegedPort, run: checkPrivilegedPort},
	{rule: RestartPolicy, run: checkRestartPolicy},
	{rule: NoHealthcheck, run: checkNoHealthcheck},
	{rule: HealthcheckCurl, run: checkHealthcheckCurl},
	{rule: SecretInEnv, exec: true, run: checkSecretInEnv},
	{rule: UnlimitedUlimit, run: checkUnlimitedUlimit},
	{rule: SELinuxDisabled, run: checkSELinuxDisabled},
	{rule: UnmaskedPaths, run: checkUnmaskedPaths},
	{rule: ImageNotPinned, run: checkImageNotPinned},
	{rule: BrokenContinuation, exec: true, run: checkBrokenContinuation},
	{rule: UnsafeSysctl, run: checkUnsafeSysctl},
	{rule: ServiceAccountToken, run: checkServiceAccountToken},
	{rule: DefaultBridge, run: checkDefaultBridge},
	{rule: PrivilegedExec, exec: true, run: checkPrivilegedExec},
	{rule: HostCgroup, run: checkHostCgroup},
}

// Rules lists the runtime rules.
var Rules = func() []*rule.Rule {
	out := make([]*rule.Rule, len(checks))
	for i, c := range checks {
		out[i] = c.rule
	}
	return out
}()

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
