import { defineRule } from '../engine/rule';
import { passwordlessGrants, reaches, runnerOf, sudoMayBeThere } from '../model/sudoers';
import { shipsToUsers } from '../model/runtime';

export default defineRule({
  id: 'passwordless-sudo',
  severity: 'warning',
  summary: 'The user the image runs as can become root through sudo without a password.',
  rationale: `Running as a non-root \`USER\` is meant to keep a compromised process from being root. A sudoers
grant of \`NOPASSWD: ALL\` to that user (or to a group it is in, or to \`ALL\` users) undoes that: any
process of the container can run \`sudo -s\` and be root, with nothing to type. To an auditor and to
[root-user](root-user.md), the image "runs as non-root"; in effect it does not.

The rule reads what the file writes into \`/etc/sudoers\` and \`/etc/sudoers.d/\`: \`echo\` or
\`printf\` redirected (\`>\`, \`>>\`) or piped to \`tee\`, a heredoc, \`sed -i\` enabling a
\`NOPASSWD\` line (RHEL's and Alpine's commented \`%wheel … NOPASSWD: ALL\`), a \`COPY\` of a heredoc,
or of a file of the build context where the tool can read it. A file of \`/etc/sudoers.d/\` whose name
has a \`.\` or ends in \`~\` is skipped, as sudo skips it, and so is a grant a later step of the shipped
chain undoes: an \`rm\` of its file, a \`sed -i\` deleting its line or its \`NOPASSWD\` tag, or sudo
removed (\`apt-get purge\`, \`apk del\`, \`dnf remove\`) and not installed again. On an official image (which has no
sudo) it needs a \`RUN\` that installs sudo; without one the grant does nothing. It follows who the shipped image runs
as (its \`USER\`, or the user its entrypoint steps down to, by name or uid) and the groups that user is
given (\`useradd -G\`, \`usermod -aG\`, \`gpasswd -a\`, \`adduser USER GROUP\`).

It reports only a grant that reaches that user: a grant of some commands (\`NOPASSWD: /usr/sbin/smartctl\`)
is not shown to lead to root, an image that runs as root has another finding, and a grant to another
user says nothing about the running process. Development, CI and builder images are not checked:
a passwordless sudo for the developer is what a dev container wants.

What to do: run the steps that need root before the \`USER\` instruction (or switch with \`USER root\`
and back), and drop the grant. If the program needs one privileged command at run time, grant exactly
that command, not \`ALL\`. No fix is offered: removing the grant breaks an image that relies on it.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app \\
 && echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/usr/local/bin/server"]
`,
      `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
RUN useradd -m app && usermod -aG sudo app
RUN echo '%sudo ALL=(ALL) NOPASSWD:ALL' | tee /etc/sudoers.d/nopasswd
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ passwordless-sudo
USER app
CMD ["/srv/app"]
`,
    ],
    valid: [
      `FROM debian:12
RUN useradd --create-home app \\
 && echo "app ALL=(root) NOPASSWD: /usr/sbin/service nginx reload" > /etc/sudoers.d/app
USER app
CMD ["/usr/local/bin/server"]
`,
      `FROM debian:12
RUN useradd --create-home ops && echo "ops ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers
RUN useradd --create-home app
USER app
CMD ["/usr/local/bin/server"]
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable || !shipsToUsers(model)) return;
    const r = runnerOf(model, s);
    if (!r || !sudoMayBeThere(model, s)) return;
    const grants = passwordlessGrants(model, s);
    const seen = new Set<number>();
    for (const { g } of grants) {
      const how = reaches(g, r);
      if (!how || seen.has(g.span.start)) continue;
      seen.add(g.span.start);
      report({
        span: g.span,
        message: `The image runs as ${r.label}, who can become root without a password: this ${how} \`NOPASSWD: ALL\` in ${g.file}. Do the root steps before USER and drop the grant, or grant only the commands needed.`,
      });
    }
  },
});
