/**
 * The rule registry: every rule module, in the order of the README table. Adding a rule means
 * adding its file and one line here; docs, settings and tests are generated from the metadata.
 */
import type { Rule } from '../engine/rule';
import rootUser from './root-user';
import scratchUserUnresolvable from './scratch-user-unresolvable';
import latestTag from './latest-tag';
import unpinnedDigest from './unpinned-digest';
import toolchainFinalStage from './toolchain-final-stage';
import goBuildUnstripped from './go-build-unstripped';
import goCgoInScratch from './go-cgo-in-scratch';
import goObsoleteFlags from './go-obsolete-flags';
import goGetDeprecated from './go-get-deprecated';
import scratchShellForm from './scratch-shell-form';
import scratchCaCertificates from './scratch-ca-certificates';
import shellFormCmd from './shell-form-cmd';

export const rules: readonly Rule[] = [
  rootUser,
  scratchUserUnresolvable,
  latestTag,
  unpinnedDigest,
  toolchainFinalStage,
  goBuildUnstripped,
  goCgoInScratch,
  goObsoleteFlags,
  goGetDeprecated,
  scratchShellForm,
  scratchCaCertificates,
  shellFormCmd,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
