import { defineRule } from '../engine/rule';
import { runtimeOf } from '../model/runtime';
import { visibleUser } from '../model/users';

export default defineRule({
  id: 'user-not-numeric',
  severity: 'info',
  enabled: false,
  summary: 'The shipped image sets USER by name, not by numeric uid.',
  rationale: `Kubernetes' \`runAsNonRoot: true\` can only verify a numeric user: with \`USER appuser\` the
kubelet cannot tell that the name is not root and refuses to start the pod
("image has non-numeric user (appuser), cannot verify user is non-root"). \`USER 10001:10001\` (the
uid and gid the user was created with) satisfies it and needs no /etc/passwd lookup.

Windows images (their accounts are names, without uids) are not checked.

Off by default: enable it (\`"dockerfileHardener.rules.user-not-numeric": "warning"\`, or in
\`.dockerfile-hardener.yaml\`) when the images run under \`runAsNonRoot\`.`,
  equivalents: { hadolint: ['DL3066'] },
  examples: {
    invalid: [
      `FROM alpine:3.20
RUN adduser -D -H -u 10001 appuser
USER appuser
#    ^^^^^^^ user-not-numeric
`,
    ],
    valid: [
      `FROM alpine:3.20
RUN adduser -D -H -u 10001 appuser
USER 10001:10001
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    // Only what runs under Kubernetes as a service: not a builder, CI, test or development image.
    if (runtimeOf(s).role.kind !== 'service') return;
    const u = s.user;
    if (!u.instr || u.user === undefined || u.root) return;
    if (/^\d+$/.test(u.user)) return;
    // Windows containers have no uids (Kubernetes checks runAsUserName there): their built-in
    // accounts, and any user of a Windows base image, are not for this rule.
    if (/^Container(User|Administrator)$/i.test(u.user)) return;
    const base = s.rootImage;
    if (base && /(^|\/)windows(\/|$)|nanoserver|servercore/i.test(`${base.repository}:${base.tag ?? ''}`)) return;
    // The uid the file or its base gives the user, where it is known: that is the one to write.
    const known = visibleUser(model, s, u.user);
    const example =
      known?.uid !== undefined
        ? `USER ${known.uid}:${known.gid ?? known.uid}, which is ${u.user}`
        : `the uid ${u.user} has in the image, e.g. USER 10001:10001 for a user created with that uid`;
    report({
      span: u.userSpan ?? u.instr.span,
      message: `USER ${u.text} is a name: Kubernetes runAsNonRoot cannot verify it is not root. Use the numeric uid (${example}).`,
    });
  },
});
