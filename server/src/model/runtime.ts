/**
 * Run-time facts of a stage, read once per model for every rule: who PID 1 runs as and who the
 * program ends up as (USER, the base's default, an entrypoint that steps down), programs that need
 * root by design, file capabilities set with setcap, what is chowned to whom, and the image's role:
 * a shipped service, or a builder, toolchain, development or CI image, from explicit statements or
 * evidence in the file. Rules that judge what ships read the role and say why they stay silent.
 */
import type { DockerfileModel, Instr, Stage, UserInfo } from './model';
import { entrypointOf, type Entrypoint } from './entrypoint';
import { roleOf, type Role } from './role';
import { commandName, unwrap } from './shell';
import { basename, resolvePath } from './paths';
import { expandWord } from './variables';

export { ROLES, type Role, type RoleKind } from './role';

/** A program that runs as root by design: a server's master process, a supervisor, a system daemon. */
export interface RootByDesign {
  program: string;
  kind: 'server' | 'supervisor' | 'system';
  why: string;
}

export interface Capability {
  path: string;
  caps: string;
  instr: Instr;
}

export interface Chown {
  owner: string;
  paths: string[];
  recursive: boolean;
  instr: Instr;
}

export interface Runtime {
  stage: Stage;
  entry: Entrypoint;
  /** Who PID 1 runs as. */
  user: UserInfo;
  role: Role;
  rootByDesign?: RootByDesign;
  capabilities: Capability[];
  chowned: Chown[];
  /** VOLUME paths of the chain, with the instruction that declares each. */
  volumes: { path: string; instr: Instr }[];
  /** Directories the stage's own RUNs make with mkdir (where the program's data usually goes). */
  madeDirs: string[];
}

/** Debian's Apache (apache2, the php and application images) runs its workers as www-data; httpd's as its config says. */
const APACHE2: Omit<RootByDesign, 'program'> = {
  kind: 'server',
  why: "Apache's parent process runs as root to bind its port and start its workers as www-data",
};
const HTTPD: Omit<RootByDesign, 'program'> = {
  kind: 'server',
  why: "Apache's parent process runs as root to bind its port and start its workers",
};
/** Programs that need root as PID 1, by name. */
const ROOT_PROGRAMS: Record<string, Omit<RootByDesign, 'program'>> = {
  nginx: {
    kind: 'server',
    why: "nginx's master process runs as root to bind its port and start its workers as the user its configuration names",
  },
  'apache2-foreground': APACHE2,
  apache2: APACHE2,
  apache2ctl: APACHE2,
  'httpd-foreground': HTTPD,
  httpd: HTTPD,
  sshd: { kind: 'system', why: 'sshd needs root to start each login as its user' },
  cron: { kind: 'system', why: 'cron needs root to run each job as its user' },
  crond: { kind: 'system', why: 'crond needs root to run each job as its user' },
  dockerd: { kind: 'system', why: 'the Docker daemon needs root (and a privileged container)' },
  'dockerd-entrypoint.sh': { kind: 'system', why: 'the Docker daemon needs root (and a privileged container)' },
  containerd: { kind: 'system', why: 'containerd needs root' },
  init: { kind: 'supervisor', why: 'an init system runs as root and starts its services as their own users' },
  systemd: { kind: 'supervisor', why: 'systemd runs as root and starts its services as their own users' },
  supervisord: { kind: 'supervisor', why: 'supervisord runs as root and starts each program as the user its configuration names' },
  runsvdir: { kind: 'supervisor', why: 'runit runs as root and starts each service as the user its run script names' },
  my_init: { kind: 'supervisor', why: 'my_init runs as root and starts each service as the user its run script names' },
  's6-svscan': { kind: 'supervisor', why: 's6 runs as root and starts each service as the user its run script names' },
  postfix: { kind: 'system', why: 'Postfix runs as root and drops privileges per process' },
  dovecot: { kind: 'system', why: 'Dovecot runs as root and drops privileges per process' },
  named: { kind: 'system', why: 'named binds port 53 as root and drops privileges itself' },
  dnsmasq: { kind: 'system', why: 'dnsmasq binds port 53 as root and drops privileges itself' },
  openvpn: { kind: 'system', why: 'OpenVPN needs root to create its network device' },
  squid: { kind: 'system', why: 'squid starts as root and drops privileges itself' },
  vsftpd: { kind: 'system', why: 'vsftpd needs root to start sessions as their users' },
  rsyslogd: { kind: 'system', why: 'rsyslogd binds its ports as root' },
  keepalived: { kind: 'system', why: 'keepalived needs root to manage addresses' },
};

/** `setcap cap_net_bind_service=+ep /usr/bin/app` in RUNs of the chain. */
function capabilitiesOf(stage: Stage): Capability[] {
  const out: Capability[] = [];
  for (const s of [...stage.chain].reverse()) {
    for (const run of s.runs) {
      for (const c of run.commands) {
        const e = unwrap(c);
        if (commandName(e.argv) !== 'setcap') continue;
        const words = e.argv.slice(1).filter((w) => !/^-[qvn]$/.test(w.value) && w.value !== '-r');
        for (let k = 0; k + 1 < words.length; k += 2) {
          const path = words[k + 1].dynamic ? undefined : resolvePath(words[k + 1].value, run.instr.workdir);
          if (path) out.push({ path, caps: words[k].value.toLowerCase(), instr: run.instr });
        }
      }
    }
  }
  return out;
}

/** `chown [-R] owner[:group] path…` in RUNs, and `COPY --chown=owner`, of the chain. */
function chownsOf(stage: Stage): Chown[] {
  const out: Chown[] = [];
  for (const s of [...stage.chain].reverse()) {
    for (const run of s.runs) {
      for (const c of run.commands) {
        const e = unwrap(c);
        if (commandName(e.argv) !== 'chown') continue;
        const words = e.argv.slice(1);
        const recursive = words.some((w) => /^-[a-zA-Z]*R/.test(w.value) || w.value === '--recursive');
        const rest = words.filter((w) => !w.value.startsWith('-'));
        if (rest.length < 2) continue;
        const owner = rest[0].dynamic ? expandWord(rest[0].value, run.scope, s.model.escapeChar) : rest[0].value;
        if (owner === undefined) continue;
        const paths = rest
          .slice(1)
          .map((w) => (w.dynamic ? undefined : resolvePath(w.value, run.instr.workdir)))
          .filter((p): p is string => !!p);
        out.push({ owner, paths, recursive, instr: run.instr });
      }
    }
    for (const c of s.copies) {
      const flag = c.instr.flags.find((f) => f.name.toLowerCase() === 'chown');
      if (!flag?.value || !c.destPath) continue;
      const owner = expandWord(flag.value, c.instr.scope ?? new Map(), s.model.escapeChar);
      if (owner !== undefined) out.push({ owner, paths: [c.destPath], recursive: true, instr: c.instr });
    }
  }
  return out;
}

function rootByDesignOf(entry: Entrypoint): RootByDesign | undefined {
  if (entry.image?.server && !entry.program) {
    const sv = entry.image.server;
    return {
      program: sv.name,
      kind: 'server',
      why: `${sv.name}'s master process runs as root to bind port ${sv.port} and start its workers as ${sv.workers}`,
    };
  }
  // The program, the command CMD gives an entrypoint (nginx after a docker-entrypoint.sh), and a program
  // an entrypoint is given as its argument (`ENTRYPOINT ["/entrypoint", "/sbin/init"]`). Not every
  // command an entrypoint script runs: `nginx -t` then `exec node` runs node.
  const cmd = entry.entrypoint ? entry.cmd?.words?.[0] : undefined;
  const names = [entry.program, cmd, ...(entry.argv ?? []).slice(1).filter((w) => w.startsWith('/'))].filter((n): n is string => !!n);
  for (const n of names) {
    const name = basename(n);
    // s6-overlay's /init (and /sbin/init); a program merely named init elsewhere is not an init system.
    if (name === 'init' && !/^\/(sbin\/)?init$/.test(n)) continue;
    const known = ROOT_PROGRAMS[name];
    if (known) return { program: n === '/init' ? "s6-overlay's /init" : name, ...known };
  }
  return undefined;
}

/** VOLUME paths (JSON or plain form, variables substituted) of the chain. */
function volumesOf(stage: Stage): { path: string; instr: Instr }[] {
  const out: { path: string; instr: Instr }[] = [];
  for (const s of [...stage.chain].reverse()) {
    for (const instr of s.instructions) {
      if (instr.keyword !== 'VOLUME') continue;
      const text = s.model.argumentsOf(instr).text.trim();
      let words: string[];
      try {
        const parsed: unknown = text.startsWith('[') ? JSON.parse(text) : undefined;
        words = Array.isArray(parsed) ? parsed.filter((w): w is string => typeof w === 'string') : text.split(/\s+/);
      } catch {
        words = text.split(/\s+/);
      }
      for (const w of words) {
        const v = w ? expandWord(w, instr.scope ?? new Map(), s.model.escapeChar) : undefined;
        const path = v === undefined ? undefined : resolvePath(v, instr.workdir);
        if (path) out.push({ path, instr });
      }
    }
  }
  return out;
}

/** `mkdir [-p] dir…` in the stage's own RUNs. */
function madeDirsOf(stage: Stage): string[] {
  const out: string[] = [];
  for (const run of stage.runs) {
    // After a `cd` in the same RUN, relative paths are not known.
    let cwd = run.instr.workdir;
    for (const c of run.commands) {
      const e = unwrap(c);
      if (commandName(e.argv) === 'cd') cwd = undefined;
      if (commandName(e.argv) !== 'mkdir') continue;
      for (const w of e.argv.slice(1)) {
        if (w.value === '-m' || w.value === '--mode') continue;
        if (w.value.startsWith('-') || w.dynamic || /^[0-7]{3,4}$/.test(w.value) || /[{*?]/.test(w.value)) continue;
        const p = resolvePath(w.value, cwd);
        if (p) out.push(p);
      }
    }
  }
  return out;
}

/** The run-time facts of a stage (the shipped one, usually), computed once per model. */
export function runtimeOf(stage: Stage): Runtime {
  return stage.model.cached(`runtime.${stage.index}`, () => {
    const entry = entrypointOf(stage);
    return {
      stage,
      entry,
      user: stage.user,
      role: roleOf(stage, entry),
      rootByDesign: rootByDesignOf(entry),
      capabilities: capabilitiesOf(stage),
      chowned: chownsOf(stage),
      volumes: volumesOf(stage),
      madeDirs: madeDirsOf(stage),
    };
  });
}

/**
 * Why an image is taken as a service, for messages: the program it runs, or that nothing in the file
 * marks it as anything else.
 */
export function serviceEvidence(rt: Runtime): string {
  if (rt.role.explicit) return rt.role.evidence;
  const p = rt.entry.program;
  if (p !== undefined) return `it runs ${p.length > 40 ? basename(p) : p}`;
  if (rt.entry.image) return `it runs the base image's ${rt.entry.image.name}`;
  return 'nothing in the file marks it as a builder, toolchain, development or CI image';
}

/**
 * Whether the shipped image is one whose contents reach users: a service, or a toolchain image
 * published to build on or run commands in. A builder, development or CI image is built where it is
 * used and never shipped: the rules about what an image carries (caches, package lists, binaries'
 * size, sudo, file modes) stay silent on it.
 */
export function shipsToUsers(model: DockerfileModel): boolean {
  const s = model.shipped;
  if (!s) return false;
  const kind = runtimeOf(s).role.kind;
  return kind === 'service' || kind === 'toolchain';
}

/**
 * A step-down tool the stage's RUNs install or fetch (gosu, su-exec): with an entrypoint script the
 * tool cannot read, the evidence that it steps down (docker-library's images install gosu "for easy
 * step-down from root" and call it from docker-entrypoint.sh).
 */
export function installedStepDownTool(stage: Stage): string | undefined {
  for (const s of stage.chain) {
    for (const run of s.runs) {
      const m = /(?:^|[\s/'"=,])(gosu|su-exec)(?=$|[\s/'"=<>@-])/m.exec(stage.model.text.slice(run.instr.span.start, run.instr.span.end));
      if (m) return m[1];
    }
  }
  return undefined;
}
