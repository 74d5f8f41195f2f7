import { defineRule } from '../engine/rule';
import type { CommandArgs, DockerfileModel, Instr, Stage } from '../model/model';
import { entrypointOf } from '../model/entrypoint';
import { LogicalText } from '../model/logical';
import { basename } from '../model/paths';
import { runtimeOf } from '../model/runtime';
import { allCommands, parseShell, type SimpleCommand } from '../model/shell';
import { unwrapProgram, wordsOf } from '../model/stepDown';
import type { Span } from '../model/text';

type Words = (string | undefined)[];
type Env = ReadonlyMap<string, string | undefined>;

/** Process supervisors and Procfile runners: what to call each, and whether these words start several programs. */
const SUPERVISORS: Record<string, { label: string; starts?: (args: Words) => boolean }> = {
  supervisord: { label: 'supervisord, a process supervisor' },
  runsvdir: { label: "runit's runsvdir, a process supervisor" },
  runit: { label: 'runit, a process supervisor' },
  my_init: { label: "my_init (phusion's runit-based init), a process supervisor" },
  's6-svscan': { label: "s6's s6-svscan, a process supervisor" },
  circusd: { label: 'circusd, a process supervisor' },
  systemd: { label: 'systemd, an init system that starts services' },
  forego: { label: 'forego, a Procfile runner', starts: (a) => a[0] === 'start' },
  honcho: { label: 'honcho, a Procfile runner', starts: (a) => a[0] === 'start' },
  foreman: { label: 'foreman, a Procfile runner', starts: (a) => a[0] === 'start' },
  nf: { label: 'node-foreman, a Procfile runner', starts: (a) => a[0] === 'start' },
  overmind: { label: 'overmind, a Procfile runner', starts: (a) => a[0] === 'start' || a[0] === 's' },
  hivemind: { label: 'hivemind, a Procfile runner' },
  concurrently: { label: 'concurrently, which runs several commands side by side' },
};
/** Package runners that run the command after them (`npx concurrently …`). */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);

/** The supervisor a command line runs, if any. */
function supervisorOf(words: Words): string | undefined {
  let w = unwrapProgram(words);
  if (w[0] !== undefined && RUNNERS.has(basename(w[0]))) w = w.slice(1).filter((x) => x === undefined || !x.startsWith('-'));
  if (w[0] === undefined) return undefined;
  if (/^\/(usr\/)?sbin\/init$/.test(w[0])) return `${w[0]}, an init system that starts services`;
  const s = SUPERVISORS[basename(w[0])];
  return s && (!s.starts || s.starts(w.slice(1))) ? s.label : undefined;
}

/** Commands that are no process that matters: shell built-ins and short steps. */
const TRIVIAL = new Set(
  (
    'wait trap echo printf true false : set export cd kill exit test [ [[ source . umask ulimit mkdir chown chmod cp mv rm ln ' +
    'touch cat sed envsubst date id printenv shift unset read local return sleep ls chgrp tee curl wget find grep awk'
  ).split(' '),
);
/** What keeps a container alive without doing anything (`tail -f /dev/null`, `sleep infinity`). */
function keepAlive(w: string[]): boolean {
  const name = basename(w[0] ?? '');
  return (
    (name === 'tail' && w.some((x) => /^-[fF]$|^--follow/.test(x))) || (name === 'sleep' && /^(infinity|inf|\d{5,})$/.test(w[1] ?? ''))
  );
}

/**
 * The service a command starts as a daemon, if it does: explicitly (`service x start`, `php-fpm -D`),
 * or, for a server that daemonizes unless told not to (`cron`, `sshd`, `nginx` without `daemon off`),
 * where another long-running command comes after it (`last`: none does).
 */
function daemonOf(w: string[], last: boolean): string | undefined {
  const name = basename(w[0] ?? '');
  const has = (re: RegExp) => w.slice(1).some((x) => re.test(x));
  if (['service', 'rc-service', 'invoke-rc.d'].includes(name) && /^(start|restart)$/.test(w[2] ?? '')) return w[1];
  if (/^\/etc\/(rc\.d\/)?init\.d\//.test(w[0] ?? '') && /^(start|restart)$/.test(w[1] ?? '')) return name;
  if (/^(apache2?ctl)$/.test(name) && w[1] === 'start') return 'Apache httpd';
  if (/^php-fpm[\d.]*$/.test(name) && has(/^(-D|--daemonize)$/)) return name;
  if (name === 'redis-server' && w.join(' ').includes('--daemonize yes')) return 'redis-server';
  if (name === 'postfix' && w[1] === 'start') return 'postfix';
  if (last) return undefined;
  if ((name === 'cron' || name === 'crond') && !has(/^-[a-zA-Z]*[fnVh]/)) return name;
  if (name === 'sshd' && !has(/^-[a-zA-Z]*[DtTV]/)) return 'sshd';
  if (/^php-fpm[\d.]*$/.test(name) && !has(/^(-[FtivmhR]|--nodaemonize|--test|--info|--version|--help)/)) return name;
  if (name === 'nginx' && !has(/^-[tTsvVh?]/) && !w.some((x) => /daemon\s+off/.test(x))) return 'nginx';
  if ((name === 'rsyslogd' || name === 'syslogd') && !has(/^-[a-zA-Z]*n/)) return name;
  return undefined;
}

/** What a supervisor's finding adds. */
const ADVICE =
  'If one of them dies, the runtime does not see it, restart it or report it unhealthy, and their logs and stop signal go through the supervisor. Run one program per container where the programs can be split.';

/** What a shell script (a command's `sh -c`, or an entrypoint script) starts: a supervisor, or daemons before its main process. */
function readScript(script: Script, env: Env, cmd: string | undefined, where: string): string | undefined {
  const { commands, src } = script;
  // `cmd &` (not `&&`; `2>&1` and `&>` are redirections, inside the command's span).
  const backgrounded = (i: number) => /^[ \t]*&(?!&)/.test(src.slice(commands[i].end, commands[i + 1]?.start ?? src.length));
  // The commands that clearly run: at the top level, not on a condition (`[ -n "$CRON" ] && cron`, `a || b`).
  const runs = commands.flatMap((c, i) => {
    const prev = commands[i - 1];
    if (c.depth > 0 || !c.argv.length || c.after === '||') return [];
    if (c.after === '&&' && prev && /^(\[\[?|test)$/.test(prev.argv[0]?.value ?? '')) return [];
    let raw = unwrapProgram(wordsOf(c, env));
    let written = c.argv.map((w) => w.value);
    // `nohup x &`, `setsid x`: x.
    while (raw[0] !== undefined && ['nohup', 'setsid'].includes(basename(raw[0]))) [raw, written] = [raw.slice(1), written.slice(1)];
    const same = written.length === raw.length;
    return [{ raw, words: raw.map((w, k) => w ?? (same ? written[k] : undefined) ?? '$…'), bg: backgrounded(i) }];
  });
  const lastFg = runs.map((r) => !r.bg && !TRIVIAL.has(basename(r.words[0] ?? ''))).lastIndexOf(true);
  const daemons: { what: string; how: string }[] = [];
  let main: string | undefined;
  let keeper: string | undefined;
  for (const [k, { raw, words, bg }] of runs.entries()) {
    const supervisor = supervisorOf(raw);
    if (supervisor) return `${where} runs ${supervisor}: several programs in one container. ${ADVICE}`;
    const name = basename(words[0] ?? '');
    const daemon = bg ? undefined : daemonOf(words, k === lastFg);
    if (bg || daemon) {
      if (!TRIVIAL.has(name) && !words[0]?.startsWith('$'))
        daemons.push(
          bg ? { what: short(words), how: `${words.slice(0, 3).join(' ')} &` } : { what: daemon!, how: words.slice(0, 3).join(' ') },
        );
      continue;
    }
    if (!daemons.length || TRIVIAL.has(name)) continue;
    // `exec "$@"`: the command the script is given.
    if (/^\$\{?[@*]\}?$/.test(words[0] ?? '')) main = cmd ?? 'the command it is given';
    else if (words[0]?.startsWith('$')) continue;
    else if (keepAlive(words)) keeper = words.join(' ');
    else main = short(words);
  }
  return describe(where, daemons, main, keeper);
}

/** The finding for daemons started before a main process, or kept alive by a command that does nothing. */
function describe(where: string, daemons: { what: string; how: string }[], main?: string, keeper?: string): string | undefined {
  if (!daemons.length || (!main && !keeper && daemons.length < 2)) return undefined;
  const started = daemons.map((d) => (d.how === d.what ? d.what : `${d.what} (${d.how})`)).join(' and ');
  const first = daemons[0].what;
  if (keeper && !main)
    return `${where} starts ${started} in the background and keeps the container alive with ${keeper}: nothing watches ${first}. If it dies, nothing restarts it and the container keeps running; docker stop's signal does not reach it. Run ${first} in the foreground as the container's command.`;
  const then = main ? `, then runs ${main}` : '';
  return `${where} starts ${started} in the background${then}: several long-running processes in one container. If ${first} dies, nothing restarts it and the runtime does not notice; docker stop's signal reaches only PID 1, and a health check sees one of them at most. Run one program per container, in the foreground.`;
}

/** A command for messages: its program's name and the arguments that name what it runs (`python web.py`, `nginx`). */
function short(words: string[]): string {
  const out = [basename(words[0] ?? '')];
  for (const w of words.slice(1, 3)) {
    if (w.startsWith('-')) break;
    out.push(w);
  }
  return out.join(' ');
}

/** Evidence in the file that `/init` is s6-overlay's: it is installed or copied, or services are put in its directories. */
const S6 = /s6-overlay|\/etc\/services\.d\b|\/etc\/s6-overlay\b|\bS6_[A-Z0-9_]+[=\s]/;

/** ENTRYPOINT or CMD as the shipped stage ends with it: its exec words, or the shell script it runs. */
interface Line {
  instr: Instr;
  span: Span;
  words?: Words;
  script?: Script;
}

/** A shell script's commands, and the text their offsets are in. */
interface Script {
  commands: SimpleCommand[];
  src: string;
}

function scriptOf(text: string): Script {
  return { commands: allCommands(parseShell(LogicalText.plain(text))), src: text };
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** The script of `sh -c 'script'` (after `exec`), if the words are that. */
function shellScript(words: string[]): string | undefined {
  const w = words[0] === 'exec' ? words.slice(1) : words;
  const c = SHELLS.has(basename(w[0] ?? '')) ? w.findIndex((x, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(x)) : -1;
  return c > 0 ? w[c + 1] : undefined;
}

function lineOf(instr: Instr, command: CommandArgs): Line {
  if (command.form === 'shell') {
    const script = scriptOf(command.shell!.text);
    // `CMD sh -c "a && b"`: the inner script.
    const only = script.commands.length === 1 ? script.commands[0] : undefined;
    const inner = only ? shellScript(only.argv.map((w) => w.value)) : undefined;
    return { instr, span: command.span, script: inner !== undefined ? scriptOf(inner) : script };
  }
  const words = (command.exec ?? []).map((j) => j.value);
  // `["sh", "-c", "script"]`: the script.
  const inner = shellScript(words);
  return { instr, span: command.span, words, script: inner !== undefined ? scriptOf(inner) : undefined };
}

/** The nearest ENTRYPOINT and CMD of the stage's chain (an ENTRYPOINT clears a CMD it inherits). */
function linesOf(s: Stage): { ep?: Line; cmd?: Line } {
  let ep: { instr: Instr; command?: CommandArgs } | undefined;
  let cmd: { instr: Instr; command?: CommandArgs } | undefined;
  for (const st of s.chain)
    for (let k = st.commands.length - 1; k >= 0; k--) {
      const c = st.commands[k];
      if (c.instr.keyword === 'ENTRYPOINT') ep ??= c;
      if (c.instr.keyword === 'CMD') cmd ??= c;
    }
  if (ep && cmd && cmd.instr.stage !== ep.instr.stage && cmd.instr.span.start < ep.instr.span.start) cmd = undefined;
  return {
    ep: ep?.command ? lineOf(ep.instr, ep.command) : undefined,
    cmd: cmd?.command ? lineOf(cmd.instr, cmd.command) : undefined,
  };
}

/** What one command line starts: its exec words (a supervisor, s6-overlay's /init) or its shell script. */
function readLine(model: DockerfileModel, line: Line | undefined, env: Env, given?: string): Checked | undefined {
  if (!line) return undefined;
  const where = `${line.instr.keyword} (line ${model.lines.positionAt(line.instr.span.start).line + 1})`;
  if (line.script) {
    const f = readScript(line.script, env, given, where);
    return f ? { span: line.span, message: f } : undefined;
  }
  const supervisor = line.words && supervisorOf(line.words);
  if (supervisor) return { span: line.span, message: `${where} runs ${supervisor}: several programs in one container. ${ADVICE}` };
  if (line.words && unwrapProgram(line.words)[0] === '/init' && S6.test(model.text))
    return {
      span: line.span,
      message: `${where} runs s6-overlay's /init (the file installs s6-overlay), which starts its services beside the program: several programs in one container. ${ADVICE}`,
    };
  return undefined;
}

interface Checked {
  span: Span;
  message: string;
}

/** What the shipped stage's container starts, from its ENTRYPOINT, CMD and entrypoint script. */
function check(model: DockerfileModel, s: Stage): Checked | undefined {
  const env = new Map<string, string | undefined>();
  s.env.forEach((e, k) => env.set(k, e.value));
  const { ep, cmd } = linesOf(s);
  const epWords = ep?.words && !ep.script ? unwrapProgram(ep.words) : undefined;
  // No ENTRYPOINT, the base image's own, or one that only wraps (tini, dumb-init): CMD is what runs.
  if (!ep || (epWords && !epWords.length)) return readLine(model, cmd, env);
  const cmdWords = cmd?.words && !cmd.script ? unwrapProgram(cmd.words).filter((w): w is string => w !== undefined) : undefined;
  const given = cmdWords?.length ? short(cmdWords) : undefined;
  const found = readLine(model, ep, env, given);
  if (found || !epWords || !isScriptLike(epWords[0])) return found;
  // An entrypoint script: what it does, where the tool can read it (and it defines no functions), then the CMD it is given.
  const script = entrypointOf(s).script;
  if (script?.text !== undefined && !/^\s*(function\s+\w+|\w+\s*\(\s*\))/m.test(script.text)) {
    const f = readScript(scriptOf(script.text), env, given, basename(script.path));
    if (f) return { span: ep.span, message: f };
  }
  return readLine(model, cmd, env);
}

/** Whether an entrypoint program is a script that runs the CMD it is given (`/entrypoint.sh`, `docker-entrypoint`). */
function isScriptLike(program: string | undefined): boolean {
  if (program === undefined) return false;
  return /\.(sh|bash)$/.test(program) || /entrypoint|^(start|run|init|boot)([-_.]|$)/i.test(basename(program));
}

export default defineRule({
  id: 'multiple-processes',
  severity: 'info',
  summary: 'The container runs several programs: a process supervisor, or a command that starts services in the background.',
  rationale: `A container is meant to run one program. The runtime watches that program: \`docker stop\`
and Kubernetes send it the stop signal, its exit status decides a restart, its output is the
container's log, and a health check or probe judges it. A container that runs several, through a
process supervisor (supervisord, runit, s6-overlay, systemd), a Procfile runner (forego, honcho,
overmind, foreman) or a shell that starts services in the background (\`cron && nginx -g 'daemon off;'\`,
\`service php-fpm start && …\`, \`worker & exec server\`), hides all that: a program that dies is not
restarted unless the supervisor is set up to, the container stays "healthy" without it, its logs go
where the supervisor puts them, and the signal reaches only PID 1. Nor can the programs be scaled,
updated or given resources one by one. Run each program in its own container (a pod, or a Compose
service) and share what they need through volumes and the network.

Init shims are fine and not reported: \`tini\`, \`dumb-init\`, \`catatonit\` or \`docker run --init\` run
one program, forwarding signals to it and reaping the zombies it leaves, which is all PID 1 has to do.

A supervisor can be a deliberate choice: programs that must share one file system and lifecycle (a
mail server's postfix, dovecot and rspamd; a browser with its display server and VNC), or a platform
that runs one container per application. It then takes over the orchestrator's job, and should be
set up to do it: programs restarted (or the container stopped) when they fail, their logs sent to
standard output, the stop signal forwarded with enough time, a health check that covers every
program. If it is, silence this rule for the instruction with an ignore comment that says why.

The rule reads what the shipped image runs: ENTRYPOINT and CMD (their exec form, a \`sh -c\` script or
the shell form), the CMD an entrypoint script is given, and the entrypoint script itself where the
build context or a heredoc holds it. A script is reported only where it starts a service in the
background (\`&\`, \`service … start\`, \`/etc/init.d/… start\`, \`php-fpm -D\`, or a server that
daemonizes unless told not to, such as \`cron\`, \`sshd\`, \`php-fpm\` or \`nginx\` without \`daemon off\`,
followed by another program) and then runs another program (\`exec "$@"\` included), or keeps the
container alive with \`tail -f\` or \`sleep infinity\`; not a step on a condition or in a block, nor a
script the tool cannot read or that defines functions (whose bodies it does not follow). \`/init\` is taken as s6-overlay's only where the file installs s6-overlay or
fills its service directories. Not reported for a development or CI image.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends supervisor nginx php-fpm && rm -rf /var/lib/apt/lists/*
COPY supervisord.conf /etc/supervisor/conf.d/app.conf
CMD ["/usr/bin/supervisord", "-n"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
      `FROM php:8.3-fpm
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
CMD php-fpm -D && nginx -g 'daemon off;'
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ multiple-processes
`,
    ],
    valid: [
      `FROM node:22-slim
COPY . /app
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "/app/server.js"]
`,
      `FROM nginx:1.27
CMD ["sh", "-c", "envsubst < /tpl > /etc/nginx/nginx.conf && exec nginx -g 'daemon off;' 2>&1"]
`,
    ],
  },
  check({ model, report }) {
    const s = model.shipped;
    if (!s || !s.isRunnable) return;
    const role = runtimeOf(s).role.kind;
    if (role === 'dev' || role === 'ci') return;
    const found = check(model, s);
    if (found) report({ span: found.span, message: found.message });
  },
});
