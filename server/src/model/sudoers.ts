/**
 * Passwordless sudo as the file sets it up: the sudoers grants of `NOPASSWD: ALL` a Dockerfile writes
 * (echo/printf/heredoc into /etc/sudoers or /etc/sudoers.d, sed -i enabling one, a COPY of one) and
 * does not undo later (rm of the file, sed -i deleting the line, sudo removed), and whether one
 * reaches a user (by name, uid, or a group the file puts it in). passwordless-sudo reports them;
 * root-user's fixes do not pick such a user to run as.
 */
import type { DockerfileModel, Instr, RunInfo, Stage } from './model';
import { action, packageCommands } from './packages';
import { commandName, unwrap, type SimpleCommand, type Word } from './shell';
import { createdUsers, visibleUser } from './users';
import { expandWord } from './variables';
import { basename, dirname, globMatch, hasGlob, isWithin, normalizePath, resolvePath } from './paths';
import { runtimeOf } from './runtime';
import type { Span } from './text';

/** A sudoers line that lets `who` run any command as root without a password. */
export interface Grant {
  /** `app`, `%sudo`, `#1000`, `ALL`. */
  who: string;
  file: string;
  span: Span;
  /** The sudoers line, where the text written is known. */
  line?: string;
}

/** Who the shipped image runs as: a name and/or uid, and the groups it is in. */
export interface Runner {
  label: string;
  names: Set<string>;
  uids: Set<string>;
  groups: Set<string>;
}

/** /etc/sudoers, or a file sudo reads from /etc/sudoers.d (`@includedir` skips names with a `.` or ending in `~`). */
const isSudoers = (p: string | undefined): p is string =>
  !!p && (p === '/etc/sudoers' || (dirname(p) === '/etc/sudoers.d' && !/\.|~$/.test(basename(p))));

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
  return nopasswdLines(text).map((g) => g.who);
}

function nopasswdLines(text: string): { who: string; line: string }[] {
  const out: { who: string; line: string }[] = [];
  for (const raw of text.split(/\r?\n|\\n/)) {
    const line = raw.replace(/^['"\s]+|['"\s]+$/g, '');
    const m = /^([^\s#=]+)\s+[^=]+=\s*(?:\([^)]*\))?\s*(.*)$/.exec(line);
    if (!m || /^(Defaults|\w+_Alias)\b/.test(m[1])) continue;
    const tags = /^((?:[A-Z_]+\s*:\s*)+)(.*)$/.exec(m[2]);
    if (!tags || !/\bNOPASSWD\b/.test(tags[1])) continue;
    if (!tags[2].split(',').some((c) => c.trim() === 'ALL')) continue;
    for (const who of m[1].split(',')) if (who.trim()) out.push({ who: who.trim(), line });
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
    for (const { who, line } of nopasswdLines(text)) out.push({ who: who.replace(/^"|"$/g, ''), file, span, line });
  });
  return out;
}

/** The text a COPY puts into sudoers: a heredoc, or a file of the build context where it can be read. */
function copyGrants(model: DockerfileModel, s: Stage): Grant[] {
  const out: Grant[] = [];
  for (const c of s.copies) {
    const dest = c.destPath;
    if (!dest) continue;
    // The file a source lands in: the destination, or the source's name in the destination directory.
    const fileOf = (name: string) => (c.destIsDir || dest === '/etc/sudoers.d' ? normalizePath(`${dest}/${basename(name)}`) : dest);
    const lines = model.text.slice(c.instr.span.start, c.instr.span.end).split(/\r?\n/);
    if (c.heredocs.length) {
      const file = fileOf(c.heredocs[0]);
      if (isSudoers(file))
        for (const { who, line } of nopasswdLines(lines.slice(1).join('\n'))) out.push({ who, file, span: c.instr.keywordSpan, line });
      continue;
    }
    if (c.from || !model.context) continue;
    for (const src of c.sources) {
      const file = src.value === undefined ? undefined : fileOf(src.value);
      if (src.value === undefined || !isSudoers(file)) continue;
      const text = model.context.readFile(normalizePath(src.value).replace(/^\/+/, ''));
      if (text !== undefined) for (const { who, line } of nopasswdLines(text)) out.push({ who, file, span: src.span, line });
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

/** A place in a chain: the stage's index (the base's first) and a document offset. */
type Place = [number, number];
const after = (a: Place, b: Place) => a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);

const CLASSES = new Map([
  ['space', '\\s'],
  ['blank', ' \\t'],
  ['digit', '0-9'],
  ['alpha', 'a-zA-Z'],
  ['alnum', 'a-zA-Z0-9'],
]);

/** A GNU sed regex (basic, or extended with -E) as a RegExp; undefined where it uses what this does not translate. */
function sedRegExp(re: string, ere: boolean, flags: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i] === '\\' && i + 1 < re.length ? re[i] + re[++i] : re[i];
    if (!ere && /^\\?[(){}|+?]$/.test(c))
      out += c.length === 2 ? c[1] : `\\${c}`; // BRE: \( groups, ( is a literal
    else out += c;
  }
  out = out.replace(/\[:(\w+):\]/g, (m) => CLASSES.get(m.slice(2, -2)) ?? '\0');
  if (out.includes('\0')) return undefined;
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
}

/** The grant's line, or where sed enabled it (the line is not known) its common spellings. */
const linesOf = (g: Grant) =>
  g.line !== undefined
    ? [g.line]
    : ['ALL=(ALL)', 'ALL=(ALL:ALL)'].flatMap((h) => [' ', '\t'].map((sp) => `${g.who}${sp}${h}${sp}NOPASSWD: ALL`));

/** Whether a sed script deletes the grant's line (`/re/d`) or rewrites it (`s/re/x/`) so that it grants no more. */
function sedUndoes(script: string, ere: boolean, g: Grant): boolean {
  const del = /^\/((?:[^\\/]|\\.)*)\/\s*d$/.exec(script.trim());
  const sub = del ? null : /^s\/((?:[^\\/]|\\.)*)\/((?:[^\\/]|\\.)*)\/([gI]*)$/.exec(script.trim());
  const re = del ? sedRegExp(del[1], ere, '') : sub && sedRegExp(sub[1], ere, sub[3].replace('I', 'i'));
  if (!re) return false;
  if (del) return linesOf(g).every((l) => re.test(l));
  const replace = (l: string) =>
    l.replace(re, (...m: unknown[]) =>
      (sub?.[2] ?? '').replace(/\\(.)|&/g, (x: string, c = '') =>
        x === '&' ? String(m[0]) : /\d/.test(c) ? String(m[Number(c)] ?? '') : c,
      ),
    );
  return linesOf(g).every((l) => !nopasswdAll(replace(l)).includes(g.who));
}

/** `sed -i`: its scripts, whether they are extended regexes, and the files it edits; undefined when not in place or not known. */
function sedInPlace(model: DockerfileModel, run: RunInfo, e: Word[]): { scripts: string[]; ere: boolean; files: string[] } | undefined {
  const vals = e.slice(1).map((w) => valueOf(w, run, model));
  if (vals.some((v) => v === undefined)) return undefined;
  const scripts: string[] = [];
  const positional: string[] = [];
  let inPlace = false;
  let ere = false;
  for (let k = 0; k < vals.length; k++) {
    const v = vals[k] ?? '';
    if (v === '--in-place' || v.startsWith('--in-place=')) inPlace = true;
    else if (v === '--regexp-extended') ere = true;
    else if (v === '-e' || v === '--expression') scripts.push(vals[++k] ?? '');
    else if (v.startsWith('--expression=')) scripts.push(v.slice(13));
    else if (/^-[a-zA-Z]/.test(v)) {
      for (let j = 1; j < v.length; j++) {
        if (v[j] === 'f') return undefined; // a script file
        if (v[j] === 'E' || v[j] === 'r') ere = true;
        if (v[j] === 'i') inPlace = true; // the rest of the word is a backup suffix
        if (v[j] === 'e') scripts.push(j === v.length - 1 ? (vals[++k] ?? '') : v.slice(j + 1));
        if (v[j] === 'i' || v[j] === 'e') break;
      }
    } else if (v.startsWith('--file')) return undefined;
    else if (!v.startsWith('--')) positional.push(v);
  }
  if (!scripts.length) scripts.push(positional.shift() ?? '');
  const files = positional.map((p) => resolvePath(p, run.instr.workdir)).filter((p): p is string => !!p);
  return inPlace ? { scripts, ere, files } : undefined;
}

/** What undoes grants in the chain, and where: rm of the file, sed -i deleting its line, sudo removed (and not installed again). */
function undoings(model: DockerfileModel, stages: Stage[]): { at: Place; undoes: (g: Grant) => boolean }[] {
  const out: { at: Place; undoes: (g: Grant) => boolean }[] = [];
  stages.forEach((st, i) => {
    for (const run of st.runs) {
      if (run.instr.onbuild) continue;
      for (const c of run.commands) {
        const e = unwrap(c).argv;
        const name = commandName(e);
        if (name === 'rm') {
          const paths = e.slice(1).flatMap((w) => {
            const v = w.value.startsWith('-') ? undefined : valueOf(w, run, model);
            const p = v === undefined ? undefined : resolvePath(v, run.instr.workdir);
            return p ? [{ p, glob: !w.quoted && hasGlob(p) }] : [];
          });
          out.push({ at: [i, c.start], undoes: (g) => paths.some(({ p, glob }) => (glob ? globMatch(p, g.file) : isWithin(g.file, p))) });
        }
        const sed = name === 'sed' ? sedInPlace(model, run, e) : undefined;
        if (sed)
          out.push({ at: [i, c.start], undoes: (g) => sed.files.includes(g.file) && sed.scripts.some((x) => sedUndoes(x, sed.ere, g)) });
      }
    }
  });
  const sudo = packageCommands(model).flatMap((p) => {
    const i = stages.indexOf(p.stage);
    if (i < 0 || p.run.instr.onbuild || !p.packages.some((w) => w.value === 'sudo')) return [];
    return [{ at: [i, p.run.commands[p.index].start] as Place, removes: ['remove', 'purge', 'del', 'erase'].includes(action(p)) }];
  });
  for (const r of sudo) if (r.removes && !sudo.some((x) => !x.removes && after(x.at, r.at))) out.push({ at: r.at, undoes: () => true });
  return out;
}

/**
 * The passwordless grants of `ALL` that the stages of `s`'s chain write and do not undo later, with the
 * instruction that writes each (ONBUILD triggers left out).
 */
export function passwordlessGrants(model: DockerfileModel, s: Stage): { g: Grant; instr: Instr }[] {
  const grants: { g: Grant; instr: Instr; at: Place }[] = [];
  const stages = [...s.chain].reverse();
  stages.forEach((st, i) => {
    for (const run of st.runs)
      if (!run.instr.onbuild) for (const g of runGrants(model, run)) grants.push({ g, instr: run.instr, at: [i, g.span.end] });
    for (const g of copyGrants(model, st)) grants.push({ g, instr: st.from, at: [i, g.span.end] });
  });
  const undo = grants.length ? undoings(model, stages) : [];
  return grants.filter(({ g, at }) => !undo.some((u) => after(u.at, at) && u.undoes(g))).map(({ g, instr }) => ({ g, instr }));
}

/** Whether the user `spec` of stage `s` can become root through sudo without a password, as far as the file shows. */
export function sudoesWithoutPassword(model: DockerfileModel, s: Stage, spec: string): boolean {
  const r = runnerFor(model, s, spec);
  return !!r && sudoMayBeThere(model, s) && passwordlessGrants(model, s).some(({ g }) => reaches(g, r) !== undefined);
}
