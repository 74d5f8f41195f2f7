/**
 * The extension in the real extension host: it activates on a Dockerfile, its language server
 * starts, and the hardening diagnostics arrive in VS Code with our codes, docs links, exact ranges
 * and severities, and follow edits.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, SOURCE, expectPicture, open, ours, ruleOf, waitFor } from './support';

/** test/vscode/fixtures/workspace/Dockerfile with what it must show: every severity but warning. */
const GO_SCRATCH = [
  '# The API service: built with Go, shipped in scratch.',
  'FROM golang:1.26-alpine AS build',
  '#    ^^^^^^^^^^^^^^^^^^ unpinned-digest (info)',
  'WORKDIR /src',
  'COPY . .',
  'RUN go get ./... && go build -a -o /out/api ./cmd/api',
  '#   ^^^^^^ go-get-deprecated (hint)',
  '#                   ^^^^^^^^ go-build-unstripped (info)',
  '',
  'FROM scratch',
  'COPY --from=build /out/api /api',
  'USER nobody',
  '#    ^^^^^^ scratch-user-unresolvable (error)',
  'CMD /api --listen :8080',
  '#   ^^^^^^^^^^^^^^^^^^^ scratch-shell-form (error)',
  '',
];

/** web/Dockerfile: warnings on a floating Alpine that runs as root. */
const WEB = [
  '# A static site on Alpine, as root and on a floating tag.',
  'FROM alpine',
  '#    ^^^^^^ latest-tag (warning)',
  '#    ^^^^^^ root-user (warning)',
  '#    ^^^^^^ unpinned-digest (info)',
  'RUN apk add --no-cache python3',
  'COPY public/ /srv/www/',
  'EXPOSE 8000',
  'ENTRYPOINT python3 -m http.server 8000 --directory /srv/www',
  '#          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ shell-form-cmd (info)',
  '',
];

describe('diagnostics in VS Code', () => {
  it('activates the extension when a Dockerfile opens', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const doc = await open('Dockerfile');
    assert.equal(doc.languageId, 'dockerfile');
    // Desktop, Remote and the VS Code server host all give the extension file: URIs, which the
    // server needs to find a project's config file.
    assert.equal(doc.uri.scheme, 'file');
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
  });

  it('shows the hardening diagnostics of a Go-into-scratch Dockerfile with exact ranges and severities', async () => {
    const doc = await open('Dockerfile');
    await expectPicture(doc, GO_SCRATCH);
  });

  it('shows warnings on a root Alpine image with a floating tag', async () => {
    const doc = await open('web/Dockerfile');
    await expectPicture(doc, WEB);
  });

  it('gives each diagnostic the rule id as its code, its page shipped with the extension as the code target, and our source', async () => {
    const doc = await open('Dockerfile');
    const diagnostics = await waitFor('diagnostics', () => (ours(doc.uri).length > 0 ? ours(doc.uri) : undefined));
    assert.equal(diagnostics.length, 5);
    for (const d of diagnostics) {
      assert.equal(d.source, SOURCE);
      // With a codeDescription, VS Code's API carries the code as { value, target }.
      assert.ok(typeof d.code === 'object' && d.code !== null, `code of "${d.message}" is ${JSON.stringify(d.code)}`);
      assert.match(String(d.code.value), /^[a-z0-9-]+$/);
      assert.ok(d.code.target instanceof vscode.Uri);
      assert.equal(d.code.target.scheme, 'file');
      assert.ok(d.code.target.path.endsWith(`/docs/rules/${d.code.value}.md`), d.code.target.toString(true));
      assert.ok(existsSync(d.code.target.fsPath), `${d.code.target.fsPath} is not there`);
      assert.ok(d.message.length > 20, `message of ${ruleOf(d)}: "${d.message}"`);
    }
  });

  it("explains a finding on hover from its rule's page: why, an example, its fixes", async () => {
    const doc = await open('Dockerfile');
    await expectPicture(doc, GO_SCRATCH);
    const line = GO_SCRATCH.filter((l) => !l.includes('^')).indexOf('USER nobody');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(line, 7),
    );
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /\*\*scratch-user-unresolvable\*\*: USER names a user that a scratch image cannot resolve\./);
    assert.match(text, /\*\*Why\.\*\* /);
    assert.match(text, /```dockerfile\n/);
    assert.match(text, /\[The rule's page\]\(file:\/\/\/.*\/docs\/rules\/scratch-user-unresolvable\.md\)/);
  });

  it('re-lints as the document is edited', async () => {
    const doc = await open('Dockerfile');
    await expectPicture(doc, GO_SCRATCH);
    const line = GO_SCRATCH.filter((l) => !l.includes('^')).indexOf('USER nobody');
    const range = new vscode.Range(line, 5, line, 11);
    const replace = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, range, text);
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    };
    try {
      await replace('10001');
      await expectPicture(
        doc,
        GO_SCRATCH.filter((l) => !l.includes('scratch-user-unresolvable')).map((l) => (l === 'USER nobody' ? 'USER 10001' : l)),
      );
    } finally {
      await replace('nobody');
    }
    await expectPicture(doc, GO_SCRATCH);
  });
});
