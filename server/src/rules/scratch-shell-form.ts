import { defineRule, type Fix } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import type { CommandArgs, DockerfileModel } from '../model/model';
import { execFormOf } from '../fixes/execForm';

/** The exec-form fix for a shell-form command, when it needs no shell. */
function execFormFix(model: DockerfileModel, command: CommandArgs): Fix[] {
  const exec = execFormOf(model, command);
  if (!exec) return [];
  return [
    {
      title: `Use the exec form: ${exec}`,
      kind: 'safe',
      preferred: true,
      edits: () => new EditBuilder(model).replace(command.span, exec).build(),
    },
  ];
}

export default defineRule({
  id: 'scratch-shell-form',
  severity: 'error',
  summary: 'A shell-form RUN, CMD or ENTRYPOINT in a scratch or distroless stage, where there is no shell.',
  rationale: `Shell form (\`RUN make\`, \`CMD /app --serve\`) runs \`/bin/sh -c "…"\`. A \`scratch\` image
has no /bin/sh, so the build fails at that RUN, and a shell-form CMD or ENTRYPOINT fails when the
container starts (\`exec: "/bin/sh": stat /bin/sh: no such file or directory\`). Run build steps in the
builder stage and \`COPY --from\` their result; write CMD and ENTRYPOINT in exec form,
\`ENTRYPOINT ["/app", "--serve"]\`. HEALTHCHECK CMD in shell form fails the same way.

The same holds for images that have no shell at all: distroless (every variant but \`:debug\`) and
Chainguard's static image.

Not reported when the stage sets SHELL or copies a shell in (a file at /bin/sh, or a whole tree into
/ or /bin).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM scratch
COPY --from=build /out/app /app
RUN chmod +x /app
^^^ scratch-shell-form
CMD /app --serve
#   ^^^^^^^^^^^^ scratch-shell-form
`,
    ],
    fixes: [
      {
        before: `FROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT /app --serve\n`,
        after: `FROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app", "--serve"]\n`,
      },
      {
        before: `FROM scratch\nCOPY --from=build /out/app /app\nCMD ["/app"]\nHEALTHCHECK --interval=30s CMD /app health\n`,
        after: `FROM scratch\nCOPY --from=build /out/app /app\nCMD ["/app"]\nHEALTHCHECK --interval=30s CMD ["/app", "health"]\n`,
      },
    ],
    valid: [
      `FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app", "--serve"]
`,
      `FROM scratch
ADD alpine-minirootfs.tar.gz /
CMD /bin/sh
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      if (!s.lacksShell) continue;
      for (const run of s.runs) {
        if (run.command.form !== 'shell') continue;
        report({
          span: run.instr.keywordSpan,
          message: `RUN in ${s.shellLessWhat}: there is no /bin/sh to run it. Run it in the builder stage and COPY the result.`,
        });
      }
      for (const c of s.commands) {
        if (!c.command || c.command.form !== 'shell') continue;
        const json = c.command.invalidJson ? ' (it is not valid JSON, so it is taken as a shell command)' : '';
        const kw = c.instr.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : c.instr.keyword;
        report({
          span: c.command.span,
          message: `Shell-form ${kw} in ${s.shellLessWhat}${json}: it runs /bin/sh, which does not exist there, so it cannot start. Use the exec form, ${kw} ["/app", "arg"].`,
          fixes: execFormFix(model, c.command),
        });
      }
    }
  },
});
