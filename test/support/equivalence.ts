/**
 * The fast paths against the plain ones. The model's default path reads an outline of dockerfile-ast's
 * parse and asks dockerfile-ast for details only where it needs them (server/src/model/outline.ts);
 * the reference path parses the whole document and reads everything from dockerfile-ast's objects,
 * as the model always did. Both must give the same instructions and byte-identical findings.
 */
import * as assert from 'node:assert/strict';
import { lint, lintModel } from '../../server/src/linter/lint';
import { withoutBom, type LintOptions } from '../../server/src/engine/findings';
import { DockerfileModel } from '../../server/src/model/model';
import { fullOutline, outline } from '../../server/src/model/outline';
import { ReferenceModel } from './referenceModel';

/** What a finding is to a user: everything any output format shows, in order. */
export function findingsText(findings: { rule: string; severity: string; message: string; range: unknown }[]): string {
  return JSON.stringify(findings.map((f) => [f.rule, f.severity, f.message, f.range]));
}

export function referenceFindings(text: string, options: LintOptions = {}): string {
  return findingsText(
    lintModel(
      new ReferenceModel(withoutBom(text), {
        targetStage: options.targetStage,
        context: options.buildContext,
        imageFacts: options.imageFacts,
        buildArgs: options.buildArgs,
      }),
      options,
    ),
  );
}

/** Asserts that the outline, the model's instructions and the findings equal the reference path's. */
export function assertSameAsReference(name: string, text: string, options: LintOptions = {}): void {
  const t = withoutBom(text);
  assert.deepEqual(outline(t).pieces, fullOutline(t).pieces, `${name}: instruction boundaries`);
  const fast = new DockerfileModel(t, { targetStage: options.targetStage });
  const reference = new ReferenceModel(t, { targetStage: options.targetStage });
  const shape = (m: DockerfileModel) =>
    m.instructions.map((i) => ({
      keyword: i.keyword,
      span: i.span,
      keywordSpan: i.keywordSpan,
      argsStart: i.argsStart,
      flags: i.flags,
      stage: i.stage?.index,
    }));
  assert.deepEqual(shape(fast), shape(reference), `${name}: instructions`);
  assert.equal(findingsText(lint(text, options).findings), referenceFindings(text, options), `${name}: findings`);
}
