/**
 * `dockerfileHardener.rules.<id>` set in the workspace reaches the language server and changes the
 * diagnostics of open documents at once.
 */
import * as vscode from 'vscode';
import { expectPicture, open } from './support';

const SETTING = 'rules.latest-tag';

/** settings/Dockerfile with latest-tag at `severity` (undefined: the rule is off). */
function expected(severity: string | undefined): string[] {
  return [
    'FROM alpine:latest',
    '#    ^^^^^^^^^^^^^ unpinned-digest (info)',
    ...(severity ? [`#           ^^^^^^ latest-tag (${severity})`] : []),
    'RUN apk add --no-cache curl',
    'USER 10001',
    '',
  ];
}

describe('rule severity settings', () => {
  const config = () => vscode.workspace.getConfiguration('dockerfileHardener');

  after(async () => {
    await config().update(SETTING, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it(`follows dockerfileHardener.${SETTING}: default, error, off, and back`, async () => {
    const doc = await open('settings/Dockerfile');
    await expectPicture(doc, expected('warning'));

    await config().update(SETTING, 'error', vscode.ConfigurationTarget.Workspace);
    await expectPicture(doc, expected('error'));

    await config().update(SETTING, 'off', vscode.ConfigurationTarget.Workspace);
    await expectPicture(doc, expected(undefined));

    await config().update(SETTING, undefined, vscode.ConfigurationTarget.Workspace);
    await expectPicture(doc, expected('warning'));
  });
});
