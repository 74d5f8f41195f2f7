/**
 * The CLI's ShellCheck pass: after the rules have linted every file, the RUN scripts of all of them go
 * to ShellCheck in a few batches at once (one process per Dockerfile is several times slower), and
 * each file's comments join its findings. Without shellcheck, one line says so and nothing else
 * changes: the rules' verdict stands.
 */
import type { DockerfileModel } from '../model/model';
import { sortFindings, type Finding, type LintOptions } from '../engine/findings';
import { scriptJobs, type ScriptJob } from '../shellcheck/scripts';
import type { runShellCheck } from '../shellcheck/run';
import { placesOf, shellcheckEnabled, shellcheckFindings, type ScriptPlaces } from '../shellcheck/findings';

export interface LintedFile {
  findings: Finding[];
  /** What the ShellCheck pass needs of the file (scriptsOf); none when ShellCheck does not run on it. */
  scripts?: FileScripts;
}

/**
 * A file's scripts for ShellCheck, and what its comments are placed and filtered by: plain data that
 * keeps nothing of the model. The CLI drops each file's model as soon as its rules have run; held
 * until the end of the run, the 952 models of the corpus tripled the time spent collecting garbage.
 */
export interface FileScripts {
  jobs: ScriptJob[];
  /** The shells of the RUNs that were left out (not a POSIX shell). */
  skipped: string[];
  places: ScriptPlaces;
  options: Pick<LintOptions, 'rules' | 'hadolint'>;
}

export function scriptsOf(model: DockerfileModel, options: LintOptions): FileScripts | undefined {
  if (!shellcheckEnabled(options)) return undefined;
  const found = scriptJobs(model);
  return {
    jobs: found.jobs.map((j) => ({ ...j, instr: { span: j.instr.span, onbuild: j.instr.onbuild } })),
    skipped: found.skipped.map((s) => s.shell),
    places: placesOf(model),
    options: { rules: options.rules, hadolint: options.hadolint },
  };
}

/** What a ShellCheck pass has to tell the user (on stderr). */
export interface ShellCheckNotes {
  /** Shells whose RUN scripts were not checked (not POSIX shells): skippedNote says so, once a run. */
  skipped: string[];
  /** Anything else: no shellcheck, or a run that failed. */
  notes: string[];
}

/** The line that says which shells' scripts ShellCheck did not check; none when there is none. */
export function skippedNote(shells: Iterable<string>): string[] {
  const all = [...new Set(shells)].sort();
  return all.length ? [`dockerfile-hardener: RUN scripts for ${all.join(', ')} were not checked by ShellCheck (not a POSIX shell)\n`] : [];
}

/** Adds ShellCheck's findings to each file's; returns what to tell the user. */
export async function addShellCheckFindings(files: LintedFile[], binarySetting?: string): Promise<ShellCheckNotes> {
  const jobs: ScriptJob[][] = [];
  const skipped = new Set<string>();
  for (const f of files) {
    jobs.push(f.scripts?.jobs ?? []);
    for (const s of f.scripts?.skipped ?? []) skipped.add(s);
  }
  const count = jobs.reduce((n, j) => n + j.length, 0);
  if (!count) return { skipped: [], notes: [] };
  // Loaded only when there are scripts to check: it brings child_process, start-up a lint without
  // RUN instructions does not need.
  const { findShellCheck, runShellCheck: run } = await import('../shellcheck/run');
  const binary = findShellCheck(binarySetting);
  if (!binary) {
    return {
      skipped: [],
      notes: [
        binarySetting
          ? `dockerfile-hardener: ${binarySetting} is not an executable shellcheck: RUN scripts were not checked by ShellCheck\n`
          : 'dockerfile-hardener: shellcheck is not installed: RUN scripts were not checked by ShellCheck (Debian: apt-get install shellcheck)\n',
      ],
    };
  }
  let comments: Awaited<ReturnType<typeof runShellCheck>>;
  try {
    comments = await run(jobs, { binary });
  } catch (error) {
    return {
      skipped: [],
      notes: [
        `dockerfile-hardener: ShellCheck failed (${error instanceof Error ? error.message : String(error)}): RUN scripts were not checked by it\n`,
      ],
    };
  }
  if (!comments)
    return { skipped: [...skipped], notes: ['dockerfile-hardener: ShellCheck did not finish: RUN scripts were not checked by it\n'] };
  files.forEach((f, i) => {
    const s = f.scripts;
    if (s && comments[i]?.length) f.findings = sortFindings([...f.findings, ...shellcheckFindings(s.places, comments[i], s.options)]);
  });
  return { skipped: [...skipped], notes: [] };
}
