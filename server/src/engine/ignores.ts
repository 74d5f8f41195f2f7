/**
 * Ignore comments:
 *   # dockerfile-hardener ignore=<id>[,<id>]          (on the comment lines right above an instruction)
 *   # dockerfile-hardener global ignore=<id>[,<id>]   (anywhere: the whole file)
 *   # hadolint ignore=DLxxxx / # hadolint global ignore=DLxxxx   (through rules' hadolint equivalents)
 *   # check=skip=<BuildKit check>|all                  (through rules' BuildKit equivalents: as a
 *                                                      parser directive for the file, read by the
 *                                                      model; right above an instruction, as BuildKit
 *                                                      reads it, for that instruction only)
 */
import type { DockerfileModel } from '../model/model';

const IGNORE = /^#\s*(dockerfile-hardener|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)/i;

export interface IgnoreSet {
  /** Ids (ours, hadolint codes prefixed `hadolint:`, BuildKit checks prefixed `buildkit:`) ignored in the whole file. */
  global: Set<string>;
  /** Per instruction start offset: ids ignored for that instruction. */
  local: Map<number, Set<string>>;
}

function parseIgnore(line: string): { global: boolean; ids: string[] } | undefined {
  const m = IGNORE.exec(line.trim());
  if (!m) return undefined;
  const hadolint = m[1].toLowerCase() === 'hadolint';
  const ids = m[3]
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((id) => (hadolint ? `hadolint:${id.toUpperCase()}` : id.toLowerCase()));
  return { global: !!m[2], ids };
}

const CHECK = /^#\s*check\s*=\s*(.*)$/i;

/** `# check=skip=A,B;error=true` → buildkit:A, buildkit:B (`all` → buildkit:all). */
function parseCheck(line: string): string[] | undefined {
  const m = CHECK.exec(line.trim());
  if (!m) return undefined;
  const ids: string[] = [];
  for (const part of m[1].split(';')) {
    const skip = /^\s*skip\s*=\s*(.*)$/i.exec(part);
    if (!skip) continue;
    for (const name of skip[1].split(',')) {
      const t = name.trim().split(/\s/)[0];
      if (t) ids.push(`buildkit:${t.toLowerCase() === 'all' ? 'all' : t}`);
    }
  }
  return ids;
}

export function readIgnores(model: DockerfileModel): IgnoreSet {
  const global = new Set<string>();
  const local = new Map<number, Set<string>>();
  const lines = model.lines;
  // Every comment line counts, parser-directive position included (dockerfile-ast reads a
  // `# key=value` line at the top as a directive, not a comment).
  const text = model.text;
  const word = /ignore/gi;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const line = lines.positionAt(m.index).line;
    const p = parseIgnore(lines.lineText(line));
    if (p?.global) for (const id of p.ids) global.add(id);
  }
  // The parser directives at the top (`# key=value` lines before any other line): a `# check=` there
  // is the file's setting (the model reads it), not a comment on the instruction below.
  let directives = 0;
  while (directives < lines.lineCount && /^#\s*[A-Za-z][\w-]*\s*=/.test(lines.lineText(directives).trim())) directives++;
  for (const instr of model.instructions) {
    const first = lines.positionAt(instr.span.start).line;
    let ids: Set<string> | undefined;
    for (let l = first - 1; l >= 0; l--) {
      const text = lines.lineText(l).trim();
      if (!text.startsWith('#')) break;
      const p = parseIgnore(text);
      if (p && !p.global) {
        ids ??= new Set();
        for (const id of p.ids) ids.add(id);
      }
      const check = l < directives ? undefined : parseCheck(text);
      if (check?.length) {
        ids ??= new Set();
        for (const id of check) ids.add(id);
      }
    }
    if (ids) local.set(instr.span.start, ids);
  }
  return { global, local };
}
