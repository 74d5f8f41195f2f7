/** Helpers the model's tests share: building a model, and pictures of its commands. */
import * as assert from 'node:assert/strict';
import { DockerfileModel, type Stage } from '../../../server/src/model/model';
import type { SimpleCommand } from '../../../server/src/model/shell';
import { underline } from '../helpers';

export function model(text: string, targetStage?: string): DockerfileModel {
  return new DockerfileModel(text, { targetStage });
}

export function stage(m: DockerfileModel, i: number): Stage {
  const s = m.stages[i];
  assert.ok(s, `stage ${i}`);
  return s;
}

/** Every simple command of every RUN of the file, in order. */
export function commands(m: DockerfileModel): SimpleCommand[] {
  return m.stages.flatMap((s) => s.runs.flatMap((r) => r.commands));
}

/** `argv` of every command, joined, with `A=1` prefixes and the operator before it: `&& A=1 go build`. */
export function shape(m: DockerfileModel): string[] {
  return commands(m).map((c) =>
    [c.after === '\n' ? '\\n' : c.after, ...c.assignments.map((a) => a.value), ...c.argv.map((w) => w.value)].filter(Boolean).join(' '),
  );
}

/** The words of every command, underlined in the document. */
export function wordPicture(m: DockerfileModel, first?: number, last?: number): string {
  return underline(
    m.text,
    commands(m).flatMap((c) => [...c.assignments, ...c.argv]),
    first,
    last,
  );
}
