/**
 * Passwordless sudo as the file sets it up: the sudoers grants of `NOPASSWD: ALL` a Dockerfile writes
 * (echo/printf/heredoc into /etc/sudoers or /etc/sudoers.d, sed -i enabling one, a COPY of one), and
 * whether one reaches a user (by name, uid, or a group the file puts it in). passwordless-sudo reports
 * them; root-user's fixes do not pick such a user to run as.
 */
import type { DockerfileModel, Instr, RunInfo, Stage } from './model';
import { commandName, unwrap, type SimpleCommand, type Word } from './shell';
import { createdUsers, visibleUser } from './users';
import { expandWord } from './variables';
import { isWithin, normalizePath, resolvePath } from './paths';
import { runtimeOf } from './runtime';
import type { Span } from './text';

/** A sudoers line that lets `who` run any command as root without a password. */
export interface Grant {
  /** `app`, `%sudo`, `#1000`, `ALL`. */
  who: string;
  file: string;
  span: Span;
}

/** Who the shipped image runs as: a name and/or uid, and the groups it is in. */
export interface Runner {
  label: string;
  names: Set<string>;
  uids: Set<string>;
  groups: Set<string>;
}

const isSudoers = (p: string | undefined): p is string => !!p && (p === '/etc/sudoers' || isWithin(p, '/etc/sudoers.d'));

/** A word's value with the RUN's build arguments and ENV substituted; undefined when unknown. */
function valueOf(w: Word, run: RunInfo, model: DockerfileModel): string | undefined {
  if (!w.dynamic) return w.value;
  if (w.value.includes('$(') || w.value.includes('`')) return undefined;
  return expandWord(w.value, run.scope, model.escapeChar);
}

/**
 * The grants of a sudoers text: `WHO HOST=(RUNAS) NOPASSWD: ALL` (a list of users, several tags, a
 * command list holding ALL). A grant of some commands only (`NOPASSWD: /usr/sbin/smartctl`) is not
 * a way to root the tool can tell.
 */
export function nopasswdAll(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n|\\n/)) {
    const line = raw.replace(/^['"\s]+|['"\s]+$/g, '');
    const m = /^([^\s#=]+)\s+[^=]+=\s*(?:\([^)]*\))?\s*(.*)$/.exec(line);
    if (!m || /^(Defaults|\w+_Alias)\b/.test(m[1])) continue;
    const tags = /^((?:[A-Z_]+\s*:\s*)+)(.*)$/.exec(m[2]);
    if (!tags || !/\bNOPASSWD\b/.test(tags[1])) continue;
    if (!tags[2].split(',').some((c) => c.trim() === 'ALL')) continue;
    for (const who of m[1].split(',')) if (who.trim()) out.push(who.trim());
  }
  return out;
}

/** `sed -i` over sudoers enabling a NOPASSWD line (`s/^# %wheel/%wheel/` of `%wheel ALL=(ALL) NOPASSWD: ALL`). */
function sedGrant(expr: string): string[] {
  if (!/NOPASSWD/.test(expr)) return [];
  const group = /%([A-Za-z_][\w-]*)/.exec(expr);
  if (group) return [`%${group[1]}`];
  const user = /(?:^|[\s/^#*])([A-Za-z_][\w-]*)\s+ALL\s*=/.exec(expr);
  return user ? [user[1]] : [];
}

/** The text `echo` or `printf` prints (echo's options dropped); undefined when a word is not known. */
function printed(e: Word[], run: RunInfo, model: DockerfileModel): string | undefined {
  const words = e.slice(1);
  if (commandName(e) === 'echo') while (words.length && /^-[neE]+$/.test(words[0].value)) words.shift();
  const values = words.map((w) => valueOf(w, run, model) ?? w.value);
  return values.join(' ');
}

function heredocText(model: DockerfileModel, c: SimpleCommand): string | undefined {
  const body = c.redirects.find((r) => r.heredoc?.body)?.heredoc?.body;
  return body ? model.text.slice(body.start, body.end) : undefined;
}

/** The grants one RUN writes into sudoers: echo/printf/cat redirected or piped to tee, sed -i. */
function runGrants(model: DockerfileModel, run: RunInfo): Grant[] {
  const out: Grant[] = [];
  const cmds = run.commands;
  const target = (w: Word | undefined) => {
    const v = w ? valueOf(w, run, model) : undefined;
    return v === undefined ? undefined : resolvePath(v, run.instr.workdir);
  };
  cmds.forEach((c, k) => {
    const e = unwrap(c).argv;
    const name = commandName(e) ?? (e.length ? undefined : '');
    let file: string | undefined;
    let text: string | undefined;
    let span: Span = { start: c.start, end: c.end };
    const out1 = c.redirects.find((r) => (r.op === '>' || r.op === '>>' || r.op === '>|') && isSudoers(target(r.target)));
    if (name === 'echo' || name === 'printf' || name === 'cat' || name === '') {
      const next = cmds[k + 1];
      const tee = next && next.after === '|' && commandName(unwrap(next).argv) === 'tee' ? unwrap(next).argv : undefined;
      file = out1 ? target(out1.target) : tee?.slice(1).map(target).find(isSudoers);
      if (!file) return;
      text = name === 'echo' || name === 'printf' ? printed(e, run, model) : heredocText(model, c);
      if (tee) span = { start: c.start, end: next.end };
    } else if (name === 'tee') {
      file = e.slice(1).map(target).find(isSudoers);
      text = file ? heredocText(model, c) : undefined;
    } else if (name === 'sed' && e.some((w) => /^-[a-zA-Z]*i/.test(w.value) || w.value.startsWith('--in-place'))) {
      file = e.slice(1).map(target).find(isSudoers);
      if (file) for (const who of e.slice(1).flatMap((w) => sedGrant(w.value))) out.push({ who, file, span });
      return;
    }
    if (!file || text === undefined) return;
    for (const who of nopasswdAll(text)) out.push({ who: who.replace(/^"|"$/g, ''), file, span });
  });
  return out;
}

/** The text a COPY puts into sudoers: a heredoc, or a file of the build context where it can be read. */
function copyGrants(model: DockerfileModel, s: Stage): Grant[] {
  const out: Grant[] = [];
  for (const c of s.copies) {
    if (!c.destPath || !(isSudoers(c.destPath) || c.destPath === '/etc/sudoers.d')) continue;
    const file = c.destPath;
    const lines = model.text.slice(c.instr.span.start, c.instr.span.end).split(/\r?\n/);
    if (c.heredocs.length) {
      for (const who of nopasswdAll(lines.slice(1).join('\n'))) out.push({ who, file, span: c.instr.keywordSpan });
      continue;
    }
    if (c.from || !model.context) continue;
    for (const src of c.sources) {
      if (src.value === undefined) continue;
      const text = model.context.readFile(normalizePath(src.value).replace(/^\/+/, ''));
      if (text !== undefined) for (const who of nopasswdAll(text)) out.push({ who, file, span: src.span });
    }
  }
  return out;
}

/** Supplementary groups given with useradd -G, usermod -aG, gpasswd -a, `adduser USER GROUP`. */
function groupsAdded(model: DockerfileModel, s: Stage, user: string): Set<string> {
  const out = new Set<string>();
  for (const st of s.chain) {
    for (const run of st.runs) {
      for (const c of run.commands) {
        const e = unwrap(c).argv;
        const name = commandName(e);
        if (!name || !['useradd', 'usermod', 'gpasswd', 'adduser', 'addgroup'].includes(name)) continue;
        const vals = e.map((w) => valueOf(w, run, model));
        const positional: (string | undefined)[] = [];
        let groups: string | undefined;
        for (let k = 1; k < vals.length; k++) {
          const v = vals[k] ?? '';
          if (/^-[a-zA-Z]*G$/.test(v) || v === '--groups') groups = vals[++k];
          else if (v.startsWith('--groups=')) groups = v.slice(9);
          else if (name === 'gpasswd' && (v === '-a' || v === '--add')) positional.push(vals[++k]);
          else if (/^-[ugdsceEfkKpbRPl]$/.test(v) || /^--(uid|gid|home|home-dir|shell|comment|gecos|ingroup|password)$/.test(v)) k++;
          else if (!v.startsWith('-')) positional.push(vals[k]);
        }
        if (name === 'gpasswd' && positional[0] === user && positional[1]) out.add(positional[1]);
        else if ((name === 'adduser' || name === 'addgroup') && positional.length === 2 && positional[0] === user && positional[1])
          out.add(positional[1]);
        else if ((name === 'useradd' || name === 'usermod') && positional[positional.length - 1] === user && groups)
          for (const g of groups.split(',')) out.add(g.trim());
      }
    }
  }
  return out;
}

/** Who the shipped image's program runs as, when it is not root: its USER, or the user its entrypoint steps down to. */
export function runnerOf(model: DockerfileModel, s: Stage): Runner | undefined {
  const u = s.user;
  let spec: string | undefined;
  if (u.root === false) spec = u.text;
  else if (u.root === true) spec = runtimeOf(s).entry.stepDown?.user;
  return spec ? runnerFor(model, s, spec) : undefined;
}

/** A user of stage `s` (`name`, `uid`, `name:group`), with its uids and groups as the file gives them; undefined for root. */
export function runnerFor(model: DockerfileModel, s: Stage, spec: string): Runner | undefined {
  const [user, group] = spec.split(':');
  if (!user || user === 'root' || user === '0') return undefined;
  const r: Runner = { label: user, names: new Set(), uids: new Set(), groups: new Set() };
  if (/^\d+$/.test(user)) {
    r.uids.add(user);
    const c = createdUsers(model).find((x) => x.kind === 'user' && x.uid === Number(user) && s.chain.includes(x.stage));
    if (c) {
      r.names.add(c.name);
      r.label = `${user} (${c.name})`;
    }
  } else r.names.add(user);
  if (group) r.groups.add(group);
  for (const name of r.names) {
    const v = visibleUser(model, s, name);
    if (v?.uid !== undefined) r.uids.add(String(v.uid));
    if (v?.group) r.groups.add(v.group);
    for (const g of groupsAdded(model, s, name)) r.groups.add(g);
  }
  return r;
}

/**
 * Whether sudo may be in the image: a RUN of the chain names it (installs it), or the base is not an
 * official image (a dev or CI base may ship it). The official images do not: a grant there does nothing.
 */
export function sudoMayBeThere(model: DockerfileModel, s: Stage): boolean {
  const ref = s.rootImage;
  if (!ref || ref.registry !== 'docker.io' || !ref.repository.startsWith('library/')) return true;
  return s.chain.some((st) =>
    st.runs.some((r) =>
      /(^|[\s"'=/])sudo($|[\s"';&|])/m.test(model.text.slice(r.instr.span.start, r.instr.span.end).replace(/\/etc\/sudoers/g, '')),
    ),
  );
}

/** How a grant reaches the runner, for the message; undefined when it does not. */
export function reaches(g: Grant, r: Runner): string | undefined {
  if (g.who === 'ALL') return 'grants every user';
  if (g.who.startsWith('%#')) return r.groups.has(g.who.slice(2)) ? `grants group ${g.who.slice(2)}, which ${r.label} is in,` : undefined;
  if (g.who.startsWith('%')) return r.groups.has(g.who.slice(1)) ? `grants group ${g.who.slice(1)}, which ${r.label} is in,` : undefined;
  if (g.who.startsWith('#')) return r.uids.has(g.who.slice(1)) ? `grants uid ${g.who.slice(1)}` : undefined;
  return r.names.has(g.who) ? `grants ${g.who}` : undefined;
}

/** The passwordless grants of `ALL` that the stages of `s`'s chain write, with the instruction that writes each (ONBUILD triggers left out). */
export function passwordlessGrants(model: DockerfileModel, s: Stage): { g: Grant; instr: Instr }[] {
  const grants: { g: Grant; instr: Instr }[] = [];
  for (const st of [...s.chain].reverse()) {
    for (const run of st.runs) if (!run.instr.onbuild) for (const g of runGrants(model, run)) grants.push({ g, instr: run.instr });
    for (const g of copyGrants(model, st)) grants.push({ g, instr: st.from });
  }
  return grants;
}

/** Whether the user `spec` of stage `s` can become root through sudo without a password, as far as the file shows. */
export function sudoesWithoutPassword(model: DockerfileModel, s: Stage, spec: string): boolean {
  const r = runnerFor(model, s, spec);
  return !!r && sudoMayBeThere(model, s) && passwordlessGrants(model, s).some(({ g }) => reaches(g, r) !== undefined);
}
