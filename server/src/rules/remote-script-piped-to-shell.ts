import { defineRule } from '../engine/rule';
import { commandName, unwrap, type SimpleCommand } from '../model/shell';

const FETCHERS = new Set(['curl', 'wget', 'fetch']);
const INTERPRETERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'python', 'python3', 'perl', 'ruby', 'node', 'php']);
/** Builtins that run their argument as shell code: `eval "$(curl …)"`, `. <(curl …)`. */
const EVALUATORS = new Set(['eval', 'source', '.']);

export default defineRule({
  id: 'remote-script-piped-to-shell',
  severity: 'warning',
  summary: 'A script downloaded with curl or wget is piped into a shell.',
  rationale: `\`curl … | sh\` runs whatever the server sends at build time, unverified: a compromised host,
a hijacked domain or a truncated download becomes code running in your build with the build's
credentials. Download to a file, check it against a pinned checksum or signature, then run it (or
use \`ADD --checksum=sha256:… <url>\`).

Reported for a pipeline from curl/wget into a shell or script interpreter, and for
\`sh -c "$(curl …)"\`, \`bash <(curl …)\`, \`eval "$(curl …)"\` and \`. <(curl …)\`. Piping into
\`gpg\`, \`tar\` or \`sha256sum\` is not reported.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12
RUN curl -fsSL https://example.com/install.sh | bash -s -- --yes
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
      `FROM alpine:3.20
RUN sh -c "$(wget -qO- https://example.com/install.sh)"
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ remote-script-piped-to-shell
`,
    ],
    valid: [
      `FROM debian:12
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\
 && echo "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5  /tmp/install.sh" | sha256sum -c - \\
 && sh /tmp/install.sh
`,
      `FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const run of s.runs) {
        const cmds = run.commands;
        let pipelineStart: SimpleCommand | undefined;
        let fetching = false;
        for (let i = 0; i < cmds.length; i++) {
          const c = cmds[i];
          const e = unwrap(c);
          const name = commandName(e.argv);
          const inPipe = c.after === '|' || c.after === '|&';
          if (!inPipe) {
            pipelineStart = c;
            fetching = false;
          }
          if (name && FETCHERS.has(name)) fetching = true;
          if (inPipe && fetching && name && INTERPRETERS.has(name) && pipelineStart) {
            report({
              span: { start: pipelineStart.start, end: c.end },
              message: `A downloaded script is piped into ${name}: it runs unverified. Download it to a file, check a pinned checksum, then run it.`,
            });
            fetching = false;
            continue;
          }
          // sh -c "$(curl …)" / bash <(curl …)
          if (
            name &&
            (INTERPRETERS.has(name) || EVALUATORS.has(name)) &&
            e.argv.some((w) => /(\$\(|<\(|`)\s*(curl|wget|fetch)\b/.test(w.value))
          ) {
            report({
              span: { start: c.start, end: c.end },
              message: `A downloaded script runs in ${name === '.' ? '. (source)' : name}: it runs unverified. Download it to a file, check a pinned checksum, then run it.`,
            });
          }
        }
      }
    }
  },
});
