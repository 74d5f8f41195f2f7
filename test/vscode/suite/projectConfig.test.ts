/**
 * A project's .dockerfile-hardener.yaml applies in VS Code, and a workspace setting overrides it.
 * VS Code fills every setting in with its default; the client sends the server only the settings
 * the user set, or the defaults would always override the project's file.
 */
import * as vscode from 'vscode';
import { expectPicture, open } from './support';

/** project/Dockerfile, beside a config file that makes latest-tag an error and turns unpinned-digest off. */
function expected(latestTag: string): string[] {
  return ['FROM alpine:latest', `#           ^^^^^^ latest-tag (${latestTag})`, 'USER 10001', ''];
}

describe('project config file', () => {
  const config = () => vscode.workspace.getConfiguration('dockerfileHardener');

  after(async () => {
    await config().update('rules.latest-tag', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('applies .dockerfile-hardener.yaml where no setting is set, and a setting over it', async () => {
    const doc = await open('project/Dockerfile');
    await expectPicture(doc, expected('error'));

    await config().update('rules.latest-tag', 'hint', vscode.ConfigurationTarget.Workspace);
    await expectPicture(doc, expected('hint'));

    await config().update('rules.latest-tag', undefined, vscode.ConfigurationTarget.Workspace);
    await expectPicture(doc, expected('error'));
  });
});
