import { defineRule } from '../engine/rule';
import { runtimeOf, serviceEvidence } from '../model/runtime';

export default defineRule({
  id: 'healthcheck-missing',
  severity: 'info',
  enabled: false,
  summary: 'The shipped service image has no HEALTHCHECK.',
  rationale: `Without a HEALTHCHECK, Docker (and Compose, and Swarm) only knows whether the main process is
running, not whether it still answers: a hung server stays "up". A HEALTHCHECK runs a probe in the
container and marks it unhealthy when the probe fails. \`HEALTHCHECK NONE\` says on purpose that the
image has none (and switches off one inherited from the base image).

Checked on the shipped stage and the stages it is built on, for a service image: not for a builder,
toolchain, development or CI image, nor for a scratch stage with nothing to run (an export stage).
The base image may define a HEALTHCHECK the Dockerfile does not show.

**Off by default:** most images run under an orchestrator with probes of its own (Kubernetes ignores
HEALTHCHECK), where the instruction does nothing.`,
  differences: `hadolint (DL3057) also reports a scratch stage that sets no command (nothing runs in it, so
there is nothing to probe), and does not know an image's role (builder, development or CI images).`,
  equivalents: { hadolint: ['DL3057'] },
  examples: {
    invalid: [
      `FROM nginx:1.27
#    ^^^^^^^^^^ healthcheck-missing
COPY site/ /usr/share/nginx/html/
`,
    ],
    valid: [
      `FROM nginx:1.27 AS web
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
FROM web
COPY site/ /usr/share/nginx/html/
`,
      `FROM nginx:1.27
HEALTHCHECK NONE
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || s.implicit || !s.isRunnable) return;
    const rt = runtimeOf(s);
    if (rt.role.kind !== 'service') return;
    if (s.chain.some((t) => t.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return;
    report({
      span: s.imageSpan ?? s.from.keywordSpan,
      message: `The image has no HEALTHCHECK in this Dockerfile (its base image may define one): Docker cannot tell a hung service from a working one. Add a HEALTHCHECK, or HEALTHCHECK NONE if it needs none. (Taken as a service: ${serviceEvidence(rt)}.)`,
    });
  },
});
