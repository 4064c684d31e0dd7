package dockerfile

import "github.com/dockward/dockward/internal/rule"

// Rules lists the Dockerfile rules.
var Rules = []*rule.Rule{
	df000, df001, df002, df003, df004, df005, df006, df007, df008, df009,
	df010, df011, df012, df013, df014, df015, df016, df017, df018, df019,
	df020, df021, df022, df023, df024, df025, df026, df027, df028, df029,
	df030, df031, df032, df033, df034, df035, df036,
}

// checks run in this order on every Dockerfile.
var checks = []func(*Context){
	checkRejected, checkNoUser, checkRootUser, checkUserByName, checkBaseLatest,
	checkBaseDigest, checkBaseEOL, checkRemoteScriptPipe, checkAddURLChecksum,
	checkAddInsteadOfCopy, checkSecretArgEnv, checkApkNoCache, checkAptRecommends,
	checkAptLists, checkWorldWritable, checkChmodStripsDirExec, checkSetuid,
	checkOwnedByRuntimeUser, checkSudo, checkSSH, checkNoHealthcheck,
	checkHealthcheckCurl, checkShellFormCmd, checkDuplicateInstruction,
	checkSensitiveCopy, checkInsecureRun, checkRelativeWorkdir, checkCdInRun,
	checkMaintainer, checkUnknownStage, checkPipefail, checkUseraddLastlog,
	checkUpgrade, checkPackageCache, checkRegistryAllowlist, checkUnsupported,
	checkShellSyntax,
}
