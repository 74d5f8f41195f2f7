/**
 * The rule registry: every rule module, in the order of the README table. Adding a rule means
 * adding its file and one line here; docs, settings and tests are generated from the metadata.
 */
import type { Rule } from '../engine/rule';
import rootUser from './root-user';
import rootEntrypoint from './root-entrypoint';
import userNotNumeric from './user-not-numeric';
import scratchUserUnresolvable from './scratch-user-unresolvable';
import secretInEnv from './secret-in-env';
import secretFileCopied from './secret-file-copied';
import secretInContent from './secret-in-content';
import sudo from './sudo';
import passwordlessSudo from './passwordless-sudo';
import dataWithoutVolume from './data-without-volume';
import remoteScriptPipedToShell from './remote-script-piped-to-shell';
import tlsVerificationDisabled from './tls-verification-disabled';
import worldWritable from './world-writable';
import privilegedPort from './privileged-port';
import invalidPort from './invalid-port';
import latestTag from './latest-tag';
import eolBaseImage from './eol-base-image';
import floatingTag from './floating-tag';
import unpinnedDigest from './unpinned-digest';
import staleDigest from './stale-digest';
import platformDigestPinned from './platform-digest-pinned';
import platformUnavailable from './platform-unavailable';
import staleBase from './stale-base';
import untrustedRegistry from './untrusted-registry';
import addRemoteWithoutChecksum from './add-remote-without-checksum';
import downloadWithoutChecksum from './download-without-checksum';
import gitCloneUnpinned from './git-clone-unpinned';
import addInsteadOfCopy from './add-instead-of-copy';
import toolchainFinalStage from './toolchain-final-stage';
import buildToolsInFinalStage from './build-tools-in-final-stage';
import apkCache from './apk-cache';
import aptRecommends from './apt-recommends';
import aptLists from './apt-lists';
import goBuildUnstripped from './go-build-unstripped';
import goCgoInScratch from './go-cgo-in-scratch';
import goObsoleteFlags from './go-obsolete-flags';
import goGetDeprecated from './go-get-deprecated';
import scratchShellForm from './scratch-shell-form';
import scratchCaCertificates from './scratch-ca-certificates';
import shellFormCmd from './shell-form-cmd';
import overriddenCommand from './overridden-command';
import multipleProcesses from './multiple-processes';
import stageNameConflict from './stage-name-conflict';
import unreachableStage from './unreachable-stage';
import maintainerDeprecated from './maintainer-deprecated';
import labelKeyInvalid from './label-key-invalid';
import labelSchema from './label-schema';
import onbuildInvalidTrigger from './onbuild-invalid-trigger';
import copyFromStageOrder from './copy-from-stage-order';
import relativeWorkdir from './relative-workdir';
import copyToFileManySources from './copy-to-file-many-sources';
import envSameStatementReference from './env-same-statement-reference';
import undefinedArgInFrom from './undefined-arg-in-from';
import fromArgWithoutDefault from './from-arg-without-default';
import redundantTargetPlatform from './redundant-target-platform';
import exposeProtocolCase from './expose-protocol-case';
import useraddLargeUid from './useradd-large-uid';
import userCreatedUnused from './user-created-unused';
import shellSymlink from './shell-symlink';
import copyRelativeWithoutWorkdir from './copy-relative-without-workdir';
import pipefail from './pipefail';
import healthcheckMissing from './healthcheck-missing';
import consecutiveRun from './consecutive-run';
import wgetAndCurl from './wget-and-curl';
import wgetProgress from './wget-progress';
import instructionCasing from './instruction-casing';
import stageNameCasing from './stage-name-casing';
import legacyKeyValue from './legacy-key-value';
import emptyContinuation from './empty-continuation';
import definitionDescription from './definition-description';
import packageVersionUnpinned from './package-version-unpinned';
import packageInstallPrompt from './package-install-prompt';
import packageCacheLeft from './package-cache-left';
import aptNotAptGet from './apt-not-apt-get';
import zypperDistUpgrade from './zypper-dist-upgrade';
import instructionBeforeFrom from './instruction-before-from';
import copyWholeStage from './copy-whole-stage';
import inlineIgnore from './inline-ignore';
import cdInRun from './cd-in-run';
import pointlessCommand from './pointless-command';
import copyArchiveThenExtract from './copy-archive-then-extract';
import copyIgnoredFile from './copy-ignored-file';
import contextSecretCopied from './context-secret-copied';
import undefinedVariable from './undefined-variable';
import fromPlatformConstant from './from-platform-constant';
import stopsignalIgnored from './stopsignal-ignored';
import copyWithoutChown from './copy-without-chown';

export const rules: readonly Rule[] = [
  rootUser,
  rootEntrypoint,
  userNotNumeric,
  scratchUserUnresolvable,
  secretInEnv,
  secretFileCopied,
  secretInContent,
  sudo,
  passwordlessSudo,
  dataWithoutVolume,
  remoteScriptPipedToShell,
  tlsVerificationDisabled,
  worldWritable,
  privilegedPort,
  invalidPort,
  latestTag,
  eolBaseImage,
  floatingTag,
  unpinnedDigest,
  staleDigest,
  platformDigestPinned,
  platformUnavailable,
  staleBase,
  untrustedRegistry,
  addRemoteWithoutChecksum,
  downloadWithoutChecksum,
  gitCloneUnpinned,
  addInsteadOfCopy,
  toolchainFinalStage,
  buildToolsInFinalStage,
  apkCache,
  aptRecommends,
  aptLists,
  goBuildUnstripped,
  goCgoInScratch,
  goObsoleteFlags,
  goGetDeprecated,
  scratchShellForm,
  scratchCaCertificates,
  shellFormCmd,
  overriddenCommand,
  multipleProcesses,
  stageNameConflict,
  unreachableStage,
  maintainerDeprecated,
  labelKeyInvalid,
  labelSchema,
  onbuildInvalidTrigger,
  copyFromStageOrder,
  relativeWorkdir,
  copyToFileManySources,
  envSameStatementReference,
  undefinedArgInFrom,
  fromArgWithoutDefault,
  redundantTargetPlatform,
  exposeProtocolCase,
  useraddLargeUid,
  userCreatedUnused,
  shellSymlink,
  copyRelativeWithoutWorkdir,
  pipefail,
  healthcheckMissing,
  consecutiveRun,
  wgetAndCurl,
  wgetProgress,
  instructionCasing,
  stageNameCasing,
  legacyKeyValue,
  emptyContinuation,
  definitionDescription,
  packageVersionUnpinned,
  packageInstallPrompt,
  packageCacheLeft,
  aptNotAptGet,
  zypperDistUpgrade,
  instructionBeforeFrom,
  copyWholeStage,
  inlineIgnore,
  cdInRun,
  pointlessCommand,
  copyArchiveThenExtract,
  copyIgnoredFile,
  contextSecretCopied,
  undefinedVariable,
  fromPlatformConstant,
  stopsignalIgnored,
  copyWithoutChown,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/**
 * Whether a `rules:` setting may name `id`: a rule's id, `shellcheck` (every ShellCheck finding on RUN
 * scripts) or one ShellCheck code (`SC2086`).
 */
export function isSettingId(id: string): boolean {
  return byId.has(id) || id === 'shellcheck' || /^SC\d{4}$/.test(id);
}
