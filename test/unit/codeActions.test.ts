/**
 * Code actions contain failures: a fix that throws is not offered (or resolves to a disabled action
 * with the reason), with one log line, and every other action still comes.
 */
import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/linter/lint';
import { codeActions, resolveAction, type ActionOptions, type DocState } from '../../server/src/lsp/codeActions';
import type { Fix } from '../../server/src/engine/rule';

function state(text: string): DocState {
  const { findings, model } = lint(text);
  return { uri: 'file:///x/Dockerfile', version: 1, text, model, findings, options: {} };
}

const broken: Fix = {
  title: 'A fix that fails',
  kind: 'safe',
  edits: () => {
    throw new Error('boom');
  },
};

describe('code actions contain failing fixes', () => {
  it('a failing fix is left out (clients without resolve), the rest is offered, one log line', async () => {
    const s = state('FROM alpine:3.20\nRUN sudo apk add curl\n');
    const sudo = s.findings.find((f) => f.rule === 'sudo')!;
    Object.defineProperty(sudo, 'fixes', { value: [broken], enumerable: false });
    const logged: string[] = [];
    const opts: ActionOptions = {
      versionedEdits: true,
      resolve: false,
      disabledSupport: true,
      context: {},
      onError: (what) => logged.push(what),
    };
    const diag = { range: sudo.range, message: sudo.message, source: 'dockerfile-hardener', code: 'sudo' };
    const actions = await codeActions(s, sudo.range, [diag], undefined, opts);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Ignore sudo for this instruction', 'Ignore sudo in this file'],
    );
    assert.deepEqual(logged, ['fix "A fix that fails" of sudo failed']);
  });

  it('a failing fix resolves to a disabled action with the reason', async () => {
    const s = state('FROM alpine:3.20\nRUN sudo apk add curl\n');
    const sudo = s.findings.find((f) => f.rule === 'sudo')!;
    Object.defineProperty(sudo, 'fixes', { value: [broken], enumerable: false });
    const logged: string[] = [];
    const opts: ActionOptions = {
      versionedEdits: true,
      resolve: true,
      disabledSupport: true,
      context: {},
      onError: (what) => logged.push(what),
    };
    const action = { title: 'A fix that fails', data: { uri: s.uri, version: 1, rule: 'sudo', range: sudo.range, fix: 0 } };
    const resolved = await resolveAction(action, s, opts);
    assert.equal(resolved.edit, undefined);
    assert.match(resolved.disabled!.reason, /could not be built: boom/);
    assert.equal(logged.length, 1);
  });
});
