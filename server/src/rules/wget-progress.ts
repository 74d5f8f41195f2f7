import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { insertAfter, commandStyle } from '../fixes/shell';
import { familyOf } from '../model/images';
import { commandName, unwrap, type Word } from '../model/shell';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';

/** GNU wget's short options that take a value (the rest of a cluster, or the next word). */
const VALUE_SHORT = new Set(['e', 'o', 'a', 'i', 'B', 't', 'O', 'T', 'w', 'Q', 'P', 'U', 'l', 'A', 'R', 'D', 'X', 'I']);

export default defineRule({
  id: 'wget-progress',
  severity: 'info',
  enabled: false,
  summary: 'wget without --progress or a quiet option fills the build log with its progress bar.',
  rationale: `Without a terminal, wget prints its progress as a dot per kilobyte: a download of a few hundred MB
writes thousands of lines into the build log, where the output that matters gets lost. Say how much it
should print: \`--progress=dot:giga\` (a dot per MB), \`-q\` / \`--quiet\`, \`-nv\` / \`--no-verbose\`, or a log
file with \`-o\` / \`-a\`.

The fix adds \`--progress=dot:giga\` (a suggestion the user applies), offered on Debian and Ubuntu images, whose wget is GNU wget. BusyBox
wget (Alpine's, unless GNU wget is installed) does not know the option, and the RUN would fail; so does
wget2 (Fedora's \`wget\` since 40).

Not reported on Alpine images, whose \`wget\` is BusyBox's: without a terminal it prints one status
line a second, not a dot per kilobyte (judged on real files, those findings were not worth a change).

**Off by default:** log volume, not the image.`,
  equivalents: { hadolint: ['DL3047'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN wget https://example.com/data.tar.gz
#   ^^^^ wget-progress
`,
    ],
    fixes: [
      {
        before: `FROM debian:12\nRUN wget https://example.com/data.tar.gz\n`,
        after: `FROM debian:12\nRUN wget --progress=dot:giga https://example.com/data.tar.gz\n`,
      },
    ],
    valid: [
      `FROM debian:12
RUN wget -qO- https://example.com/data.tar.gz | tar -xz
RUN wget --progress=dot:giga https://example.com/data.tar.gz
RUN wget -nv -O /tmp/x https://example.com/x
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      // Alpine's wget is BusyBox's: without a terminal it prints a status line a second, not a dot per KB.
      if (familyOf(s) === 'alpine') continue;
      for (const run of s.runs) {
        for (const c of run.commands) {
          const argv = unwrap(c).argv;
          if (commandName(argv) !== 'wget' || setsOutput(argv.slice(1))) continue;
          report({
            span: { start: argv[0].start, end: argv[0].end },
            message:
              'wget without --progress, -q, -nv, -o or -a writes its progress into the build log: add --progress=dot:giga (GNU wget) or -q.',
            fixes: fix(model, s, run, argv[0]),
          });
        }
      }
    }
  },
});

/** Whether wget's options say how much it prints: --progress, quiet, no-verbose, or a log file. */
function setsOutput(args: Word[]): boolean {
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '--') break;
    if (/^--(progress|quiet|no-verbose|output-file|append-output)(=|$)/.test(v)) return true;
    if (!/^-[^-]/.test(v)) continue;
    // A cluster of short options: `-qO-`, `-nv`, `-O file`.
    for (let i = 1; i < v.length; i++) {
      const ch = v[i];
      if (ch === 'q' || ch === 'o' || ch === 'a') return true;
      // -n takes letters: -nv is --no-verbose (-nc, -nd, -nH are others).
      if (ch === 'n') {
        if (v.slice(i + 1).includes('v')) return true;
        break;
      }
      if (VALUE_SHORT.has(ch)) break;
    }
  }
  return false;
}

/** --progress=dot:giga, where the stage is known to have GNU wget 1.x (Debian, Ubuntu). */
function fix(model: DockerfileModel, s: Stage, run: RunInfo, wget: Word): Fix[] {
  if (familyOf(s) !== 'debian' || commandStyle(run) === 'exec' || wget.quoted || wget.dynamic) return [];
  return [
    {
      // GNU wget has the option; that the stage has GNU wget is read from its base's family, which the
      // safety suite cannot build offline (no download to make): the user applies it.
      title: 'Add --progress=dot:giga (GNU wget)',
      kind: 'suggestion',
      preferred: false,
      edits: () => {
        const b = new EditBuilder(model);
        insertAfter(b, wget, '--progress=dot:giga');
        return b.build();
      },
    },
  ];
}
