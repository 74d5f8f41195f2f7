import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { commandName, unwrap } from '../model/shell';

/** UIDs from which the lastlog and faillog entries useradd writes make a file of tens of MB. */
const LARGE = 100_000;

export default defineRule({
  id: 'useradd-large-uid',
  severity: 'warning',
  summary: 'useradd with a large UID and without --no-log-init: the image gets a file of tens of MB.',
  rationale: `useradd writes the new user's entry into /var/log/lastlog and /var/log/faillog at an offset
proportional to the UID. On disk the files are sparse, but a layer stores them whole: a UID of
1,000,000 adds about 290 MB to the image. \`--no-log-init\` (\`-l\`) skips those entries; nothing in a
container reads them.`,
  equivalents: { hadolint: ['DL3046'] },
  examples: {
    invalid: [
      `FROM debian:12
RUN useradd -u 123456 app
#   ^^^^^^^ useradd-large-uid
`,
    ],
    fixes: [{ before: `FROM debian:12\nRUN useradd -u 123456 app\n`, after: `FROM debian:12\nRUN useradd --no-log-init -u 123456 app\n` }],
    valid: [
      `FROM debian:12
RUN useradd -u 10001 app && useradd -l -u 123456 big && useradd --no-log-init --uid=200000 bigger
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const run of s.runs) {
        for (const c of run.commands) {
          const argv = unwrap(c).argv;
          if (commandName(argv) !== 'useradd') continue;
          const words = argv.map((w) => w.value);
          if (words.some((w) => w === '-l' || w === '--no-log-init' || /^-[a-zA-Z]*l[a-zA-Z]*$/.test(w))) continue;
          const k = words.findIndex((w) => w === '-u' || w === '--uid' || w.startsWith('--uid='));
          if (k < 0) continue;
          const uid = words[k].startsWith('--uid=') ? words[k].slice(6) : words[k + 1];
          if (!uid || !/^\d+$/.test(uid) || Number(uid) < LARGE) continue;
          const name = argv[0];
          report({
            span: { start: name.start, end: name.end },
            message: `useradd -u ${uid} without --no-log-init: /var/log/lastlog and faillog grow to about ${Math.round((Number(uid) * 292) / 1e6)} MB in the layer. Add --no-log-init.`,
            fixes:
              run.command.form === 'shell'
                ? [
                    {
                      title: 'Add --no-log-init',
                      kind: 'safe',
                      preferred: true,
                      edits: () => new EditBuilder(model).insert(name.end, ' --no-log-init').build(),
                    },
                  ]
                : [],
          });
        }
      }
    }
  },
});
