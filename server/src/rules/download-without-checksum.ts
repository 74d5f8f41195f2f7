import { EditBuilder } from '../engine/edits';
import { defineRule, type Fix } from '../engine/rule';
import { covers, insertCheckAfter, moved, readCheck, readDownload, rewritePipe, safePath, sameFile, scopeAt } from '../fixes/download';
import type { Download, Joint } from '../fixes/download';
import { familyOf } from '../model/images';
import type { DockerfileModel } from '../model/model';
import { commandName, unwrap, type ShellScript, type SimpleCommand, type Word } from '../model/shell';
import type { Stage } from '../model/stage';
import { expand } from '../model/variables';
import type { RunInfo } from '../model/types';

/** Anything in the RUN's text that checks a hash or signature: read only outside a POSIX shell (PowerShell, cmd), whose commands are not parsed. */
const VERIFIED =
  /\b(sha(1|224|256|384|512)sum|shasum|md5sum|b2sum|gpgv|cosign|minisign|signify|slsa-verifier|Get-FileHash|certutil|hash_file)\b|\bgpg2?\b[^;&|\n]*--verify|\bopenssl\s+(dgst|sha256|sha512)\b|\brpm(keys)?\s+(-K|--checksig)\b|\bgh\s+attestation\s+verify\b/i;
/** Downloads of signatures, checksums and keys: what a check reads, not what it protects. */
const SIGNATURE_URL =
  /\.(asc|sig|sign|gpg|pgp|minisig|sha1|sha256|sha512|sha256sum|sha512sum|md5|md5sum|pem|pub|key|crt)$|(^|\/)(SHA\d*SUMS|MD5SUMS|checksums?(\.txt)?|KEYS)$/i;
const UNPACKERS = new Set(['unzip', 'bsdtar', '7z', '7za', '7zr', '7zz', 'gunzip', 'bunzip2', 'unxz', 'unzstd', 'funzip', 'cpio']);
const DECOMPRESSORS = new Set(['gzip', 'xz', 'zstd', 'bzip2']);
const INSTALLERS = new Set(['dpkg', 'apt', 'apt-get', 'rpm', 'yum', 'dnf', 'microdnf', 'zypper', 'apk', 'pip', 'pip3', 'gem']);
const RUNNERS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'python', 'python3', 'perl', 'ruby', 'node', 'php', 'source', '.']);
/** Operators before a command after which `&& check` keeps what runs when (not `||`, `|`, a condition). */
const SAFE_BEFORE = new Set(['', '&&', ';', '\n', 'then', 'do', 'else', '{', '(']);

/**
 * What the RUN does with a download first (`what`), and `at`: the first command that reads it (unpacks,
 * installs, runs it; not a chmod or a move), where a check comes too late — undefined when none does.
 */
type Use = { what: string; at?: number; tar?: SimpleCommand };
const READS = new Set(['unpacks it', 'installs it', 'runs it']);

function base(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function isFlag(w: Word): boolean {
  return w.value.startsWith('-') && w.value !== '-';
}

/** tar extracting: `xzf`, `-xzf`, `--extract`, `--get`. */
function tarExtracts(argv: Word[]): boolean {
  return argv
    .slice(1)
    .some(
      (w, k) => (k === 0 && /^[a-zA-Z]*x[a-zA-Z]*$/.test(w.value)) || /^-[a-zA-Z]*x/.test(w.value) || /^--(extract|get)$/.test(w.value),
    );
}

/** What a command does with the downloaded file `path`, if it runs, unpacks or installs it. */
function useOfFile(argv: Word[], path: string): string | undefined {
  const name = commandName(argv);
  if (!name) return undefined;
  const args = argv.slice(1);
  const mentioned = args.some((w) => sameFile(w.value, path));
  if (sameFile(argv[0].value, path) && (argv[0].value.includes('/') || path.includes('/'))) return 'runs it';
  if (!mentioned) return undefined;
  const has = (re: RegExp) => args.some((w) => re.test(w.value));
  if (name === 'tar') return tarExtracts(argv) ? 'unpacks it' : undefined;
  if (UNPACKERS.has(name) || (DECOMPRESSORS.has(name) && has(/^-[a-zA-Z]*d|^--decompress$/))) return 'unpacks it';
  if (INSTALLERS.has(name)) {
    if (name === 'dpkg') return has(/^-[a-zA-Z]*i|^--install$/) ? 'installs it' : undefined;
    if (name === 'rpm') return has(/^-[a-zA-Z]*[iU]|^--(install|upgrade)$/) ? 'installs it' : undefined;
    return has(/^(install|add|localinstall)$/) ? 'installs it' : undefined;
  }
  if (name === 'chmod') return has(/^[0-7]*[1357][0-7]{0,2}$|[+=][rwXst]*x/) ? 'makes it executable' : undefined;
  if (name === 'mv' || name === 'cp' || name === 'install' || name === 'ln') {
    const dest = args.filter((w) => !isFlag(w)).pop();
    return dest && dest.value !== path && /(^|\/)s?bin(\/|$)/.test(dest.value) ? 'puts it on the PATH' : undefined;
  }
  if (RUNNERS.has(name)) return 'runs it';
  if (name === 'java' && has(/^-jar$/)) return 'runs it';
  return undefined;
}

/** What the RUN does with the download `cmds[i]`. */
function useOf(cmds: SimpleCommand[], i: number, d: Download): Use | undefined {
  if (d.output.kind === 'stdout') {
    const next = cmds[i + 1];
    if (next?.after !== '|') return undefined;
    const argv = unwrap(next).argv;
    const name = commandName(argv);
    if (name === 'tar') return tarExtracts(argv) ? { what: 'unpacks it', at: i + 1, tar: next } : undefined;
    if (name && (UNPACKERS.has(name) || name === 'zcat' || name === 'xzcat')) return { what: 'unpacks it', at: i + 1 };
    if (name && DECOMPRESSORS.has(name) && cmds[i + 2]?.after === '|' && commandName(unwrap(cmds[i + 2]).argv) === 'tar')
      return { what: 'unpacks it', at: i + 1 };
    return undefined;
  }
  if (d.output.kind !== 'file') return undefined;
  let use: Use | undefined;
  for (let j = i + 1; j < cmds.length && use?.at === undefined; j++) {
    const what = useOfFile(unwrap(cmds[j]).argv, d.output.path);
    if (what) use = { what: use?.what ?? what, at: READS.has(what) ? j : undefined };
  }
  return use;
}

/**
 * Whether a check (`readCheck`) covers the download `cmds[i]` before anything reads it: after it, before
 * `use.at`, naming the file (or where a mv/cp put it) or checking a list whose files cannot be told
 * (which covers every download before it). When nothing in the RUN reads the file (it is only made
 * executable or moved), a check in a later RUN of the stage counts too, before anything reads it there.
 * A download piped into its use has no room for a check.
 */
function checked(s: Stage, run: RunInfo, i: number, use: Use, d: Download): boolean {
  if (d.output.kind !== 'file') return false;
  const paths = [d.output.path];
  const scan = (r: RunInfo, from: number, to: number): boolean | undefined => {
    const scope = scopeAt(r.scope, r.commands, from);
    for (let j = from; j < to; j++) {
      const check = readCheck(r.commands, j);
      if (check && paths.some((p) => covers(check, p, (text) => expand(text, scope)))) return true;
      const argv = unwrap(r.commands[j]).argv;
      if (paths.some((p) => READS.has(useOfFile(argv, p) ?? ''))) return false;
      paths.push(...moved(argv, paths));
    }
    return undefined;
  };
  const here = scan(run, i + 1, use.at ?? run.commands.length);
  if (here !== undefined || use.at !== undefined) return !!here;
  for (const r of s.runs.slice(s.runs.indexOf(run) + 1)) {
    const later = scan(r, 0, r.commands.length);
    if (later !== undefined) return later;
  }
  return false;
}

/** Whether the stage's RUNs run in a POSIX shell (not Windows, no PowerShell or cmd SHELL). */
function posixShell(model: DockerfileModel, s: Stage): boolean {
  return !(
    familyOf(s) === 'windows' ||
    [s.parent?.shellInstr, ...s.instructions].some(
      (x) => x?.keyword === 'SHELL' && /powershell|pwsh|cmd/i.test(model.text.slice(x.span.start, x.span.end)),
    )
  );
}

export default defineRule({
  id: 'download-without-checksum',
  severity: 'warning',
  summary: 'A RUN downloads a file with curl or wget and runs, unpacks or installs it without checking a checksum or signature.',
  rationale: `\`curl -fsSL https://…/tool.tar.gz | tar xz\` or \`wget …/tool && chmod +x tool\` trusts whatever
the server sends at build time: a replaced release, a hijacked domain or a truncated download goes
into the image unnoticed (in a builder stage too: its output ships). Check the download in the same
RUN before using it: \`echo "<sha256>  /tmp/tool.tar.gz" | sha256sum -c -\`, or the publisher's
signature (\`gpg --verify\`, \`cosign verify-blob\`, \`minisign -V\`).

Reported for a curl or wget download that the RUN pipes into \`tar\` (or another unpacker), or saves
and then unpacks (\`tar\`, \`unzip\`…), installs (\`dpkg -i\`, \`rpm -i\`, \`apk add\`, \`pip install\`…),
makes executable (\`chmod +x\`), moves into a \`bin\` directory or runs — unless a check of that file
runs after the download and before anything unpacks, installs or runs it: a command (not words in an
\`echo\`) naming the file or its signature — \`sha256sum -c\` (\`shasum\`, \`md5sum\`…) fed a line naming it,
a digest compared (\`[ "$(sha256sum f | cut -c-64)" = "$SHA" ]\`), \`gpg --verify\`, \`gpgv\`, \`cosign
verify-blob\`, \`minisign -V\`, \`rpm -K\`… — or checking a list file (\`sha256sum -c SHA256SUMS\`), which
covers every download before it. A file the RUN only makes executable or moves may be checked in a later
RUN. Any check counts, even against a checksum file fetched from the same server: that protects
against corruption, not against a compromised server. Downloads of signatures,
checksums and keys are not reported, nor files at a full git commit
(\`raw.githubusercontent.com/…/<40 hex>/…\`, which cannot change); nor is piping into a shell (\`remote-script-piped-to-shell\`),
nor \`ADD <url>\` (\`add-remote-without-checksum\`).

The fix "Add a sha256 check" (editor only, trusted workspaces) downloads the URL once, computes the
sha256 of what the server returns now and adds the check to the RUN. That checksum only says the file
will not change from now on: compare it with the one the publisher lists before trusting it. It is
offered for one literal http(s) URL (not one built from build arguments such as \`TARGETARCH\`, which
needs a checksum per value) downloaded to a named file, or piped straight into \`tar\`.`,
  equivalents: {},
  examples: {
    invalid: [
      `FROM debian:12
ARG TOOL_VERSION=1.2.3
RUN curl -fsSL https://example.com/tool-\${TOOL_VERSION}.tar.gz | tar xz -C /usr/local/bin
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
      `FROM alpine:3.20
ARG TARGETARCH
RUN wget -q -O /usr/local/bin/tool https://example.com/tool-linux-$TARGETARCH && chmod +x /usr/local/bin/tool
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ download-without-checksum
`,
    ],
    valid: [
      `FROM debian:12
RUN curl -fsSL https://example.com/tool-1.2.3.tar.gz -o /tmp/tool.tar.gz \\
 && echo "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5  /tmp/tool.tar.gz" | sha256sum -c - \\
 && tar xzf /tmp/tool.tar.gz -C /usr/local/bin && rm /tmp/tool.tar.gz
`,
      `FROM debian:12
RUN curl -fsSLO https://example.com/tool.deb && curl -fsSLO https://example.com/tool.deb.asc \\
 && gpg --batch --verify tool.deb.asc tool.deb && dpkg -i tool.deb
`,
    ],
  },
  check({ model, report }) {
    for (const s of model.stages) {
      const posix = posixShell(model, s);
      for (const run of s.runs) {
        if (!posix && VERIFIED.test(model.text.slice(run.instr.span.start, run.instr.span.end))) continue;
        const cmds = run.commands;
        for (let i = 0; i < cmds.length; i++) {
          const d = readDownload(cmds[i]);
          if (!d || d.urls.every((u) => SIGNATURE_URL.test(u.value.replace(/[?#].*$/, '')))) continue;
          // A file at a full git commit (raw.githubusercontent.com/…/<40 hex>/…) cannot change, as with ADD.
          if (d.urls.every((u) => /\/[0-9a-f]{40}(\/|$)/i.test(expand(u.value, scopeAt(run.scope, cmds, i)) ?? ''))) continue;
          const use = useOf(cmds, i, d);
          if (!use || (posix && checked(s, run, i, use, d))) continue;
          const url = d.urls[0].value;
          const shown = url.length > 100 ? `${url.slice(0, 100)}…` : url;
          report({
            span: { start: d.command.start, end: d.command.end },
            message: `${d.tool} downloads ${shown} and the RUN ${use.what} without checking a checksum or signature: a changed or tampered file would go into the build unnoticed. Check a pinned sha256 (sha256sum -c) or the publisher's signature first.`,
            // No fix for a URL built from variables: one checksum cannot fit every value (each TARGETARCH needs its own).
            fixes: d.urls.some((u) => u.dynamic || u.value.includes('$')) ? [] : [checksumFix(model, s, run, d, use)],
          });
        }
      }
    }
  },
});

/** The list of commands (the RUN's script, or a heredoc script in it) that holds `cmd`. */
function siblings(script: ShellScript | undefined, cmd: SimpleCommand): SimpleCommand[] | undefined {
  if (!script) return undefined;
  if (script.commands.includes(cmd)) return script.commands;
  for (const c of script.commands)
    for (const r of c.redirects) {
      const found = siblings(r.heredoc?.script, cmd);
      if (found) return found;
    }
  return undefined;
}

/** `set -e` (or `-eux`, `-o errexit`) earlier in the script, or a SHELL with `-e`: a failed command stops the RUN. */
function errexit(model: DockerfileModel, s: Stage, list: SimpleCommand[], before: number): boolean {
  const shell = [...(s.parent?.shellInstr ? [s.parent.shellInstr] : []), ...s.instructions.filter((x) => x.keyword === 'SHELL')];
  if (shell.some((x) => /"-[a-z]*e[a-z]*"/.test(model.text.slice(x.span.start, x.span.end)))) return true;
  return list.slice(0, before).some((c) => {
    const argv = unwrap(c).argv;
    if (commandName(argv) !== 'set' || c.depth > 0) return false;
    return argv.some((w, k) => /^-[a-z]*e[a-z]*$/.test(w.value) || (w.value === '-o' && argv[k + 1]?.value === 'errexit'));
  });
}

/**
 * How the check joins the RUN between `first` and `last` (the download, or the download piped into
 * tar), or why it cannot. A failed check must fail the RUN: with `&&` where the AND-OR list holding
 * the download runs to the end of the script (its status is the RUN's); as a command of its own after
 * `set -e` where the script goes on after that list (`set -e` ignores a failure inside an `&&` list).
 */
function chainPlan(model: DockerfileModel, s: Stage, run: RunInfo, first: SimpleCommand, last: SimpleCommand): Joint | string {
  const list = siblings(run.script, first);
  if (!list) return 'the download is not a plain command of the RUN';
  if (!SAFE_BEFORE.has(first.after))
    return `the download follows \`${first.after.trim()}\`: a check there would change when the commands after it run`;
  const at = list.indexOf(last);
  let end = at + 1;
  while (list[end]?.after === '&&') end++;
  const rest = list[end];
  if (!rest) return { separate: false };
  if (rest.after !== ';' && rest.after !== '\n')
    return `${end === at + 1 ? 'the next command' : 'a later command'} follows \`${rest.after}\`: a check there would change when it runs`;
  if (!errexit(model, s, list, list.indexOf(first)))
    return `${end === at + 1 ? 'the next command' : 'the RUN goes on and'} runs after \`;\` or a new line without \`set -e\`: a failed check would not stop the build`;
  // After `&&`, the download and the rest of its list go in `{ …; }`, the list's last command, where `set -e` applies.
  const group = first.after === '&&' ? { start: first.start, end: list[end - 1].end } : undefined;
  if (end === at + 1) return { separate: true, group };
  const next = list[at + 1];
  const op = model.text.lastIndexOf('&&', next.start);
  return op >= last.end
    ? { separate: true, operator: { start: op, end: op + 2 }, group }
    : 'the `&&` after the download is not where it is expected';
}

/** tar reading standard input, with options the rewrite keeps: its `-` archive word, null when it has none, or why not. */
function tarStdin(argv: Word[]): { dash?: Word } | string {
  let dash: Word | undefined;
  for (let k = 1; k < argv.length; k++) {
    const w = argv[k];
    const v = w.value;
    if (w.dynamic && (k === 1 || !['-C', '--directory'].includes(argv[k - 1].value))) return 'tar has options built from variables';
    const bundle = k === 1 && /^[a-zA-Z]+$/.test(v) ? v : /^-[a-zA-Z]+$/.test(v) ? v.slice(1) : undefined;
    if (bundle !== undefined) {
      if (/[^xzjJvpofCkm]/.test(bundle)) return `tar ${v}: only simple extraction options are rewritten`;
      const takes = [...bundle].filter((c) => c === 'f' || c === 'C');
      if (takes.length > 1 || (takes.length && bundle[bundle.length - 1] !== takes[0]))
        return `tar ${v}: only simple extraction options are rewritten`;
      if (takes[0] === 'f') {
        if (argv[k + 1]?.value !== '-') return 'tar reads another archive than its standard input';
        dash = argv[++k];
      } else if (takes[0] === 'C') k++;
      continue;
    }
    if (v === '--file' || v === '--file=-' || /^-f-?$/.test(v)) {
      if (v === '--file=-' || v === '-f-') return 'tar --file=-: only simple extraction options are rewritten';
      if (argv[k + 1]?.value !== '-') return 'tar reads another archive than its standard input';
      dash = argv[++k];
      continue;
    }
    if (v === '--directory') {
      k++;
      continue;
    }
    if (
      /^--(extract|get|gzip|gunzip|xz|bzip2|zstd|verbose|no-same-owner|no-same-permissions|same-owner|preserve-permissions|numeric-owner|overwrite|keep-old-files|skip-old-files|touch|wildcards|anchored|no-anchored)$/.test(
        v,
      ) ||
      /^--(directory|strip-components|exclude|owner|group|warning)=/.test(v)
    )
      continue;
    if (v === '--strip-components' || v === '--exclude') {
      k++;
      continue;
    }
    if (v.startsWith('-')) return `tar ${v}: only simple extraction options are rewritten`;
  }
  return { dash };
}

function tmpName(url: string): string {
  const name = base(url.replace(/[?#].*$/, '')).replace(/[^\w.+-]/g, '_');
  return `/tmp/${name && name !== '.' && name !== '..' ? name : 'download'}`;
}

function checksumFix(model: DockerfileModel, s: Stage, run: RunInfo, d: Download, use: Use): Fix {
  const url = d.urls[0];
  let host = 'the server';
  try {
    if (!url.dynamic) host = new URL(url.value).host;
  } catch {
    // not a URL Node reads: unavailable below
  }
  const title = `Add a sha256 check (of what ${host} serves now — compare it with the publisher's)`;
  const unavailable = (reason: string): Fix => ({ title, kind: 'suggestion', network: 'download', unavailable: reason, edits: () => [] });
  if (d.urls.length !== 1) return unavailable('The command downloads several URLs: add a check per file by hand.');
  if (url.dynamic || url.value.includes('$'))
    return unavailable(
      'The URL is built from build arguments or variables: one checksum cannot fit every value (a TARGETARCH needs one per architecture). Add the checksums by hand.',
    );
  if (host === 'the server' || !/^https?:\/\//i.test(url.value))
    return unavailable('Only a literal http(s) URL can be downloaded to compute its checksum.');
  if (
    /\/(master|main|HEAD|develop|development|latest|nightly|trunk)(\/|$|\.(zip|tgz|tar\.\w+)$)|refs\/heads\/|[-_.]latest[-_.]/i.test(
      url.value,
    )
  )
    return unavailable(
      'The URL follows a branch or "latest": its content changes over time, so a checksum would break the next build. Pin a release or commit in the URL first.',
    );
  if (run.command.form !== 'shell') return unavailable('The RUN is in exec form: add the check by hand.');
  if (!posixShell(model, s)) return unavailable('The RUN does not run in a POSIX shell: add the check by hand.');
  let plan: ((b: EditBuilder, sha: string) => void) | undefined;
  let why: string | undefined;
  if (d.output.kind === 'stdout' && use.tar) {
    const tar = use.tar;
    const stdin = tarStdin(unwrap(tar).argv);
    const list = siblings(run.script, d.command);
    const pipe = model.text.indexOf('|', d.command.end);
    if (typeof stdin === 'string') why = stdin;
    else if (unwrap(tar).argv !== tar.argv || unwrap(d.command).argv !== d.command.argv)
      why = 'a wrapped command (env, sudo…) is not rewritten';
    else if (!list || list[list.indexOf(d.command) + 1] !== tar || pipe < 0 || pipe > tar.start)
      why = 'the download is not piped straight into tar';
    else if (list[list.indexOf(tar) + 1]?.after === '|') why = "tar's output goes into another pipe";
    else {
      const joint = chainPlan(model, s, run, d.command, tar);
      const tmp = tmpName(url.value);
      if (typeof joint === 'string') why = joint;
      else plan = (b, sha) => rewritePipe(b, d, tar, pipe, stdin.dash, tmp, sha, joint);
    }
  } else if (d.output.kind === 'file') {
    const file = d.output.path;
    if (!safePath(file)) why = 'the file name needs quoting';
    else {
      const joint = chainPlan(model, s, run, d.command, d.command);
      if (typeof joint === 'string') why = joint;
      else plan = (b, sha) => insertCheckAfter(b, d, file, sha, joint);
    }
  } else
    why =
      d.output.kind === 'unknown'
        ? `where the file goes is not certain (${d.output.why})`
        : 'only a download piped straight into tar, or saved to a named file, is rewritten';
  if (why || !plan) return unavailable(`No check added automatically: ${why ?? 'the command is not rewritten'}.`);
  const build = plan;
  return {
    title,
    kind: 'suggestion',
    network: 'download',
    async edits(ctx) {
      if (!ctx.fetchSha256)
        throw new Error(
          ctx.downloadOfflineReason ?? ctx.offlineReason ?? 'This fix downloads the file: pick it in the editor, in a trusted workspace.',
        );
      const sha = (await ctx.fetchSha256(url.value, { followRedirects: d.followsRedirects })).toLowerCase();
      if (ctx.cancelled?.()) throw new Error('cancelled');
      if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a sha256: ${JSON.stringify(sha.slice(0, 80))}`);
      const b = new EditBuilder(model);
      build(b, sha);
      return b.build();
    },
  };
}
