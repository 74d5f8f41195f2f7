import { defineRule } from '../engine/rule';
import { cgoState, goEnv, goInvocations, isStaticCgoBuild } from '../model/go';
import { staticStagesReceiving } from '../model/goOutput';
import { disableCgo } from '../fixes/go';
import { commandStyle } from '../fixes/shell';
import { EditBuilder } from '../engine/edits';

export default defineRule({
  id: 'go-cgo-in-scratch',
  severity: 'warning',
  summary: 'A cgo-enabled go build is copied into a scratch or static image.',
  rationale: `With cgo on (the default wherever a C compiler is installed, as in the Debian-based
\`golang\` images), a program that imports \`net\` or \`os/user\` is linked against the C library. In
\`scratch\` or \`distroless/static\` there is no C library and no dynamic loader, so the container fails
at start with the baffling \`exec /app: no such file or directory\`. Build with \`CGO_ENABLED=0\`.

The rule follows the binary: it fires for a \`go build\` whose output a scratch or static stage copies
(\`COPY --from=<builder>\`) and runs; a scratch stage without CMD, ENTRYPOINT, USER or other runtime
settings is an export stage, where nothing runs. The output is matched through \`-o\` (or the working directory without it), WORKDIR and
\`cd\`. cgo counts as disabled when \`CGO_ENABLED=0\` is set on the command, exported
earlier in the same RUN, set by ENV or ARG in the stage or a stage it inherits from, or written with
\`go env -w\`; and in Alpine Go images, which have no C compiler unless one is installed. A build made
static another way (\`-ldflags '-extldflags "-static"'\`, or tags \`netgo,osusergo\`) is not reported.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -ldflags="-s -w" -o /out/app .
#   ^^^^^^^^ go-cgo-in-scratch

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
    ],
    fixes: [
      {
        before: `FROM golang:1.22 AS build\nRUN GOOS=linux go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n`,
        after: `FROM golang:1.22 AS build\nRUN GOOS=linux CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n`,
      },
    ],
    valid: [
      `FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
`,
      `FROM golang:1.22 AS build
ENV CGO_ENABLED=0
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
`,
      `FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM gcr.io/distroless/base-debian12
COPY --from=build /out/app /app
`,
      `FROM golang:1.22-alpine AS build
RUN go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
`,
    ],
  },
  check({ model, report }) {
    for (const inv of goInvocations(model)) {
      if (inv.sub !== 'build') continue;
      const receivers = staticStagesReceiving(model, inv);
      if (!receivers.length) continue;
      if (cgoState(inv) !== 'on' || isStaticCgoBuild(inv)) continue;
      const target = receivers[0].stage;
      const name = target.name ? `stage ${target.name}` : `the stage on line ${model.lines.positionAt(target.from.span.start).line + 1}`;
      const kind = target.isScratch ? 'a scratch image' : 'a static image without a C library';
      report({
        span: inv.span,
        message: `cgo is not disabled for this go build, and its output is copied into ${kind} (${name}): a cgo binary there fails with "exec …: no such file or directory". Build with CGO_ENABLED=0.`,
        // Safe when cgo is only on by default; a suggestion when someone turned it on (the build may need it).
        fixes:
          commandStyle(inv.run) === 'exec' // no shell to set a variable for the command
            ? []
            : [
                {
                  title: 'Build with CGO_ENABLED=0',
                  kind: goEnv(inv, 'CGO_ENABLED').set ? 'suggestion' : 'safe',
                  preferred: true,
                  edits: () => disableCgo(new EditBuilder(model), inv).build(),
                },
              ],
      });
    }
  },
});
