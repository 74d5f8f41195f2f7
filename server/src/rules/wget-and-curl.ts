import { defineRule } from '../engine/rule';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';
import type { Instr } from '../model/model';

type Tool = 'wget' | 'curl';

export default defineRule({
  id: 'wget-and-curl',
  severity: 'info',
  summary: 'A stage uses both wget and curl: one download tool is enough.',
  rationale: `wget and curl do the same job in a Dockerfile. Using both means the image (or the stage) needs
both installed, and two tools' options, proxies and certificate settings to get right. Pick one.

Checked per stage, with the stages it is built on: the use of the second tool is reported, once per
RUN.`,
  differences: `hadolint (DL4001) forgets what a stage's parent stage used; this rule counts the uses in the
stages a stage is built on too.`,
  equivalents: { hadolint: ['DL4001'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN wget -q https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
#   ^^^^ wget-and-curl
`,
    ],
    valid: [
      `FROM debian:12 AS fetch
RUN wget -q https://example.com/a.tar.gz
FROM debian:12
RUN curl -fsSLO https://example.com/b.tar.gz
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // Where each tool is first used: its RUN, and the offset of the command's name.
      const first = new Map<Tool, { instr: Instr; at: number }>();
      const note = (tool: Tool, instr: Instr, c: SimpleCommand) => {
        if (!first.has(tool)) first.set(tool, { instr, at: unwrap(c).argv[0].start });
      };
      // The stages this one is built on, oldest first.
      for (const t of [...s.chain.slice(1)].reverse()) {
        for (const run of t.runs.filter((r) => !r.instr.onbuild)) {
          for (const c of run.commands) {
            const tool = toolOf(c);
            if (tool) note(tool, run.instr, c);
          }
        }
      }
      for (const run of s.runs) {
        if (run.instr.onbuild) continue;
        let reported = false;
        for (const c of run.commands) {
          const tool = toolOf(c);
          if (!tool) continue;
          const other: Tool = tool === 'wget' ? 'curl' : 'wget';
          const seen = first.get(other);
          note(tool, run.instr, c);
          if (!seen || reported) continue;
          reported = true;
          const word = unwrap(c).argv[0];
          const where = seen.instr === run.instr ? 'earlier in this RUN' : `on line ${model.lines.positionAt(seen.at).line + 1}`;
          report({
            span: { start: word.start, end: word.end },
            message: `${tool} here, and ${other} ${where}: use one download tool, so that the image needs only one.`,
          });
        }
      }
    }
  },
});

function toolOf(c: SimpleCommand): Tool | undefined {
  const name = commandName(unwrap(c).argv);
  return name === 'wget' || name === 'curl' ? name : undefined;
}
