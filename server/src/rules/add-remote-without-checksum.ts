import { defineRule } from '../engine/rule';
import { basename } from '../model/paths';

export default defineRule({
  id: 'add-remote-without-checksum',
  severity: 'warning',
  summary: 'ADD downloads a URL without --checksum.',
  rationale: `\`ADD https://…\` trusts whatever the server returns at build time: a changed, truncated or
tampered file goes into the image unnoticed, and the build is not reproducible. \`ADD
--checksum=sha256:<digest> <url> <dest>\` (Dockerfile syntax 1.6+) makes the build fail when the
content differs.

Git sources (\`…git#ref\`, \`…git?ref=…\`) are pinned by their ref instead and are not reported. A URL
that follows a branch or "latest" (\`/master/\`, \`/main/\`, \`releases/latest/\`, a \`$…BRANCH\`
argument) changes by design: the message says to pin a release or commit first, since a checksum of
a moving file breaks the next build. A URL whose branch is a build argument (\`\${PADD_BRANCH}\`) is
not reported: the pipeline chooses the branch on purpose (releases from one, nightlies from another).
Nor is a URL at a full commit hash (\`…/raw/<40 hex digits>/file\`): it cannot change; nor a download
a later RUN of the stage checks by its hash (\`echo "$SUM  busybox.exe" | sha256sum -c\`,
\`Get-FileHash\`).`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM alpine:3.20
ADD https://github.com/example/tool/releases/download/v1.2.3/tool-linux-amd64 /usr/local/bin/tool
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ add-remote-without-checksum
`,
    ],
    valid: [
      `FROM alpine:3.20
ADD --checksum=sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 https://example.com/tool /usr/local/bin/tool
ADD https://github.com/example/repo.git#v1.2.3 /src
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      for (const c of s.copies) {
        if (c.keyword !== 'ADD') continue;
        // A later RUN of the stage checks the download's hash (sha256sum -c, Get-FileHash…) by its name.
        const name = c.destPath ? basename(c.destPath) : undefined;
        const checked = (file: string) =>
          s.runs.some(
            (r) =>
              r.instr.span.start > c.instr.span.start &&
              /\b(sha(1|224|256|384|512)sum|shasum|Get-FileHash|certutil)\b/i.test(
                model.text.slice(r.instr.span.start, r.instr.span.end),
              ) &&
              model.text.slice(r.instr.span.start, r.instr.span.end).includes(file),
          );
        if (c.instr.flags.some((f) => f.name.toLowerCase() === 'checksum' && f.value)) continue;
        for (const src of c.sources) {
          const v = src.value ?? src.raw;
          if (!/^https?:\/\//i.test(v)) continue;
          // A git source: `repo.git`, `repo.git#ref`, `repo.git?ref=v1&keep-git-dir=1`, or any `#ref`.
          if (/\.git([#?].*)?$/i.test(v) || /#/.test(v)) continue;
          const file = c.destIsDir || !name ? basename(v.replace(/[?#].*$/, '')) : name;
          if (file && checked(file)) continue;
          // A URL at a full commit (…/raw/3fea3d48…/busybox.exe): as fixed as a git source's ref.
          if (/\/[0-9a-f]{40}(\/|$)/i.test(v)) continue;
          // A branch the pipeline passes as a build argument (PADD_BRANCH: master for releases,
          // development for nightlies): following it is the build's design.
          if (/\$\{?\w*BRANCH\w*\}?/i.test(src.raw)) continue;
          // A URL that follows a branch or "latest": its content changes by design, so a checksum alone would break the next build.
          const moving = /\/(master|main|HEAD|develop|development|latest|nightly|trunk)(\/|$)|refs\/heads\//.test(v);
          report({
            span: src.span,
            message: moving
              ? `ADD downloads ${v}, which follows a branch or "latest" and changes over time, without --checksum: pin a release or commit in the URL, then add --checksum=sha256:… (a checksum of a moving file breaks the next build).`
              : `ADD downloads ${v} without --checksum: a changed or tampered file would go into the image unnoticed. Add --checksum=sha256:….`,
          });
        }
      }
    }
  },
});
