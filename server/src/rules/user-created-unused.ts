import { defineRule } from '../engine/rule';
import type { DockerfileModel, Stage } from '../model/model';
import { commandName, unwrap } from '../model/shell';
import type { Span } from '../model/text';
import { basename } from '../model/paths';
import { usersCreatedIn, type CreatedUser } from '../model/users';
import { installedStepDownTool, runtimeOf, type Runtime } from '../model/runtime';
import { stepDownOf } from '../model/stepDown';
import { expandWord } from '../model/variables';

/**
 * Programs that start as root and switch to the user their configuration names (or that run their
 * work as other users): an image running one as root uses the users it creates, in a way the
 * Dockerfile does not show.
 */
const DROPS_PRIVILEGES =
  /^(nginx|openresty|php-fpm[\d.]*|php\d*-fpm|postgres|pg_ctl|pg_ctlcluster|mysqld|mysqld_safe|mariadbd|mariadbd-safe|httpd|httpd-foreground|apache2|apache2ctl|apache2-foreground|supervisord|s6-svscan|s6-svscanctl|runsvdir|my_init|init|systemd|cron|crond|sshd|squid|named|dnsmasq|postfix|dovecot|vsftpd|proftpd|pure-ftpd|haproxy|memcached|redis-server|unitd|uwsgi|gunicorn|openvpn|rsyslogd|slapd|freeradius|radiusd|smbd|exim|exim4|lighttpd|caddy|tor|privoxy|dockerd|containerd)$/;

/** Commands that create or change users: naming a user there is no use of it. */
const USER_COMMANDS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'groupmod', 'gpasswd']);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name` as a word of its own in a text: `user=app`, `app:app`, `-u app`; not a path (`/home/app`) or a longer name. */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^\\w./$\\{-])${escape(name)}($|[^\\w/.-]|\\.(?![\\w]))`, 'm').test(text);
}

/** `user[:group]` names the created user, by name or by uid. */
function names(value: string, u: CreatedUser): boolean {
  const who = value.split(':')[0];
  if (who === u.name) return true;
  if (!/^\d+$/.test(who) || who === '0') return false;
  // A numeric USER is the user's uid, or may be where the tool does not know it (useradd without -u).
  return u.uid === undefined || Number(who) === u.uid;
}

/**
 * Whether the tool cannot tell who the image's processes run as: the command is not known, starts as
 * root and switches users itself, or is a script (or a step-down tool) the tool cannot read.
 */
function cannotJudge(rt: Runtime, stage: Stage): boolean {
  const entry = rt.entry;
  if (entry.unknown || rt.rootByDesign) return true;
  const programs = [entry.program, entry.argv?.[0], ...entry.commands.map((c) => c[0])].filter((p): p is string => !!p);
  if (programs.some((p) => DROPS_PRIVILEGES.test(basename(p)))) return true;
  if (entry.image?.server || entry.image?.stepsDownTo) return true;
  // An entrypoint script the tool cannot read may step down (gosu installed, a start script).
  if (entry.script && entry.script.text === undefined) return true;
  const p = entry.program;
  if (p && entry.script === undefined && /\.(sh|bash)$|entrypoint|^(start|run|init|boot|wrapper)([-_.]|$)/i.test(basename(p))) return true;
  if (!entry.stepDown && installedStepDownTool(stage) && !entry.script?.text) return true;
  return false;
}

/** Whether the file shows the user used: USER, a step-down, a chown, a mention in a command or a config it writes. */
function used(model: DockerfileModel, stage: Stage, rt: Runtime, u: CreatedUser): boolean {
  for (const s of stage.chain) {
    // USER by name or uid; a USER the tool cannot read may be it.
    if (s.users.some((x) => x.text === undefined || names(x.text, u))) return true;
    for (const run of s.runs) {
      for (const c of run.commands) {
        const e = unwrap(c);
        if (USER_COMMANDS.has(commandName(e.argv) ?? '')) continue;
        const words = e.argv.map((w) => (w.dynamic ? expandWord(w.value, run.scope, model.escapeChar) : w.value));
        // A step-down in a build step (su app -c …, gosu app …), or an unknown one.
        const down = stepDownOf(words);
        if (down && (down.user === undefined || names(down.user, u))) return true;
        if (words.some((w) => w === undefined) && model.text.slice(c.start, c.end).includes(u.name)) return true;
        if (words.some((w) => w !== undefined && mentions(w, u.name))) return true;
      }
    }
    for (const instr of s.instructions) {
      // (An ARG that names the user only feeds the useradd.)
      if (['RUN', 'USER', 'FROM', 'ARG'].includes(instr.keyword)) continue;
      // COPY --chown=app, a heredoc config (user=app), CMD/ENTRYPOINT/HEALTHCHECK, ENV APP_USER=app.
      if (mentions(model.text.slice(instr.span.start, instr.span.end), u.name)) return true;
    }
  }
  if (rt.chowned.some((c) => names(c.owner, u))) return true;
  const down = rt.entry.stepDown;
  if (down && (down.user === undefined || names(down.user, u))) return true;
  if (rt.entry.commands.some((c) => c.some((w) => mentions(w, u.name)))) return true;
  return !!rt.entry.script?.text && mentions(rt.entry.script.text, u.name);
}

/** Options of useradd and adduser that take the next word as their value. */
const VALUE_OPTION =
  /^(-[ugGhdsckKefpbRP]|--(uid|gid|groups|ingroup|home|home-dir|shell|comment|gecos|skel|key|expiredate|inactive|password|base-dir|root|prefix|firstuid|lastuid|conf))$/;

/** The user's name in the command that creates it (useradd's last word, adduser's first), else the RUN's keyword. */
function spanOf(model: DockerfileModel, u: CreatedUser): Span {
  const run = u.stage.runs.find((r) => r.instr === u.instr);
  for (const c of run?.commands ?? []) {
    const e = unwrap(c);
    const name = commandName(e.argv);
    if (name !== 'useradd' && name !== 'adduser') continue;
    const positional = [];
    for (let k = 1; k < e.argv.length; k++) {
      if (VALUE_OPTION.test(e.argv[k].value)) k++;
      else if (!e.argv[k].value.startsWith('-')) positional.push(e.argv[k]);
    }
    const w = name === 'useradd' ? positional[positional.length - 1] : positional[0];
    if (w && (w.dynamic ? expandWord(w.value, run!.scope, model.escapeChar) : w.value) === u.name) return { start: w.start, end: w.end };
  }
  return u.instr.keywordSpan;
}

export default defineRule({
  id: 'user-created-unused',
  severity: 'info',
  summary: 'A user is created, but nothing in the file runs as it.',
  rationale: `Creating a user does not make anything run as it: without a \`USER\` instruction (or an entrypoint
that steps down to it), the container's processes run as root, and the user only adds an account.
That is usually a \`USER\` that was forgotten, or left out so that a build step keeps working: add
\`USER app\` (or its uid, \`USER 10001:10001\`) after the steps that need root, or remove the user if
nothing needs it.

Checked for users a \`useradd\` or \`adduser\` of the stage that ships (or a stage it is built on)
creates, in a service image. A user counts as used when the file shows it: a \`USER\` that names it
or its uid (a numeric \`USER\` where the uid is not known, or a \`USER\` from a variable, may be it),
an entrypoint or command that steps down to it (\`gosu\`, \`su-exec\`, \`setpriv --reuid\`,
\`runuser -u\`, \`su\`, \`s6-setuidgid\`, \`chpst -u\`) or names it (\`gunicorn --user app\`),
\`COPY --chown\` or \`chown\` to it (the program may run as it through \`docker run --user\` or a
Kubernetes \`runAsUser\`), a build step run as it (\`su app -c …\`), or a configuration the file
writes that names it (\`user=app\` for supervisord, \`user app;\` for nginx).

The tool stays silent where it cannot see who the processes run as: a program that starts as root
and switches to the users its configuration names by itself (nginx, Apache, php-fpm, PostgreSQL,
MySQL and MariaDB, supervisord, s6, runit, cron, sshd…), an entrypoint script it cannot read, a
step-down tool (gosu, su-exec) the image installs, or a command it does not know. Builder,
toolchain, development and CI images are not checked: their users are for \`docker run --user\`
or a development container's \`remoteUser\`.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM node:22-slim
RUN useradd --create-home --uid 10001 app
#                                     ^^^ user-created-unused
COPY . /srv/app
CMD ["node", "/srv/app/server.js"]
`,
    ],
    valid: [
      `FROM node:22-slim
RUN useradd --create-home --uid 10001 app
COPY . /srv/app
USER 10001:10001
CMD ["node", "/srv/app/server.js"]
`,
    ],
  },
  check({ model, report }) {
    const shipped = model.shipped;
    if (!shipped) return;
    const rt = runtimeOf(shipped);
    if (rt.role.kind !== 'service' || cannotJudge(rt, shipped)) return;
    for (const u of usersCreatedIn(model, shipped)) {
      if (u.name === 'root' || used(model, shipped, rt, u)) continue;
      const uid = u.uid !== undefined ? ` (uid ${u.uid})` : '';
      const runsAs = rt.user.root === true ? 'root' : rt.user.root === false ? rt.user.user : "the base image's user";
      report({
        span: spanOf(model, u),
        message: `User ${u.name}${uid} is created, but nothing in the file runs as it: no USER names it and the command does not step down to it, so the container runs as ${runsAs}. Add USER ${u.uid ?? u.name} after the steps that need root, or remove the user.`,
      });
    }
  },
});
