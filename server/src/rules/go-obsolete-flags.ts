import { defineRule } from '../engine/rule';
import { EditBuilder } from '../engine/edits';
import { goEnv, goInvocations, type GoInvocation } from '../model/go';
import { mountsCacheOver } from '../model/packages';
import { deleteArgument } from '../fixes/shell';

/** The RUN mounts a cache over the go build cache ($GOCACHE, /root/.cache/go-build by default). */
function cachesBuilds(inv: GoInvocation): boolean {
  const gocache = goEnv(inv, 'GOCACHE');
  const dir = gocache.set ? gocache.value : '/root/.cache/go-build';
  return (
    dir !== undefined &&
    (mountsCacheOver(inv.run, dir) ||
      inv.run.mounts.some((m) => /target=[^,]*go-build/.test(m.options.map((o) => `${o.name}=${o.value ?? ''}`).join(','))))
  );
}

export default defineRule({
  id: 'go-obsolete-flags',
  severity: 'hint',
  summary: 'go build uses -a or -installsuffix, obsolete since Go 1.10.',
  rationale: `\`-a -installsuffix cgo\` was the recipe for static binaries before Go 1.10: it forced a
rebuild of every package so that none built with cgo was reused from the install directory. Since the
build cache (Go 1.10) keys builds by their settings, \`CGO_ENABLED=0\` alone is enough. \`-a\` now only
throws the cache away; \`-installsuffix\` does nothing useful in module mode.

\`-a\` is reported only where the RUN mounts a cache over the go build cache
(\`--mount=type=cache,target=/root/.cache/go-build\`): there it throws that cache away on every build.
In a build without one, every build starts from an empty cache and \`-a\` changes nothing (judged on
real files, such findings were tidying with no effect).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .
#                                                                          ^^ go-obsolete-flags
#                                                                             ^^^^^^^^^^^^^^^^^^ go-obsolete-flags
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -a -o /app .\n`,
        after: `FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .\n`,
      },
      {
        before: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app -installsuffix cgo\n`,
        after: `FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
`,
    ],
  },
  check({ model, report }) {
    for (const inv of goInvocations(model)) {
      if (inv.sub !== 'build' && inv.sub !== 'install') continue;
      for (const f of inv.flags) {
        const remove = [
          {
            title: `Remove ${f.words.map((w) => w.value).join(' ')}`,
            kind: 'safe' as const,
            preferred: true,
            edits: () => {
              const b = new EditBuilder(model);
              deleteArgument(model, b, inv.run, f.span);
              return b.build();
            },
          },
        ];
        if (f.name === 'a' && f.value === undefined) {
          if (!cachesBuilds(inv)) continue;
          report({
            span: f.span,
            message: `-a rebuilds every package, throwing away the build cache this RUN mounts; since Go 1.10 it is not needed for static builds (CGO_ENABLED=0 is enough).`,
            fixes: remove,
          });
        } else if (f.name === 'installsuffix') {
          report({
            span: f.span,
            message: `-installsuffix is obsolete since Go 1.10's build cache; remove it (CGO_ENABLED=0 is enough for a static build).`,
            fixes: remove,
          });
        }
      }
    }
  },
});
