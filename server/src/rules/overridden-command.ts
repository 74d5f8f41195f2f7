import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';

/** Instructions of which only the last one in a stage takes effect. */
const LAST_WINS = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];

export default defineRule({
  id: 'overridden-command',
  severity: 'warning',
  summary: 'A CMD, ENTRYPOINT or HEALTHCHECK that a later one in the same stage replaces.',
  rationale: `Only the last CMD, the last ENTRYPOINT and the last HEALTHCHECK of a stage take effect: each
replaces the one before. An earlier one does nothing, and reads as if both ran (a common mistake
when a second command was meant to run first: put both in a script, or chain them in one command).
A stage built \`FROM\` another stage starts over: its own CMD replaces the inherited one, which is not
reported.`,
  differences: `hadolint (DL4003, DL4004, DL3012) reports the later instructions; BuildKit
(MultipleInstructionsDisallowed) and this rule report the earlier ones, which are the ones without
effect, and the fix deletes them.`,
  equivalents: { hadolint: ['DL4003', 'DL4004', 'DL3012'], buildkit: ['MultipleInstructionsDisallowed'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
CMD ["migrate"]
^^^^^^^^^^^^^^^ overridden-command
COPY app /app
CMD ["/app"]
`,
    ],
    fixes: [
      {
        before: `FROM alpine:3.20\n# run the migrations\nCMD ["migrate"]\nCOPY app /app\nCMD ["/app"]\n`,
        after: `FROM alpine:3.20\n# run the migrations\nCOPY app /app\nCMD ["/app"]\n`,
      },
    ],
    valid: [
      `FROM alpine:3.20 AS base
CMD ["sh"]
FROM base
CMD ["/app"]
`,
      `FROM alpine:3.20
ONBUILD CMD ["/build"]
CMD ["/app"]
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      const own = s.instructions.filter((i) => !i.onbuild && LAST_WINS.includes(i.keyword));
      for (const instr of own) {
        const later = own.find((j) => j.keyword === instr.keyword && j.span.start > instr.span.start);
        if (!later) continue;
        const line = model.lines.positionAt(later.span.start).line + 1;
        report({
          span: instr.span,
          message: `This ${instr.keyword} has no effect: the ${instr.keyword} on line ${line} replaces it (only the last one of a stage counts).`,
          fixes: [
            {
              title: `Delete this ${instr.keyword}, which has no effect`,
              kind: 'safe',
              preferred: true,
              edits: () => new EditBuilder(model).deleteInstruction(instr).build(),
            },
          ],
        });
      }
    }
  },
});
