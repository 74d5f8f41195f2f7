/**
 * `dockerfile-hardener pin [--check] [--timeout S] [--config FILE] [--target-stage NAME] PATH…`
 *
 * pin:          resolves every image's tag at its registry and writes `image:tag@sha256:…`
 *               (unpinned images pinned, stale digests updated), each file atomically. A file where
 *               any registry request failed is left unchanged. References that cannot be pinned
 *               (a build argument without default…) are listed with the reason.
 * pin --check:  writes nothing; prints the unpinned and the stale images as findings
 *               (`file:line:col severity rule message`) and exits 1 when there is one.
 *
 * The network is used only here (and by the editor's explicit commands); `lint` never does.
 * Credentials come from Docker's config and credential helpers. Exit status: 0 all pinned and
 * current; 1 something unpinned or stale (--check), or left unpinned (pin); 2 usage, I/O or registry
 * errors (messages on stderr).
 */
import { lintOptions } from '../config/options';
import { pinDocument, type PinNote } from '../pin/pinFile';
import { RegistryClient } from '../registry/client';
import { DockerCredentials } from '../registry/credentials';
import { Inputs } from './inputs';
import { parseArgs, UsageError } from './args';
import { formatText } from './formats';
import { writeFileAtomic } from './atomicWrite';
import { version } from '../../../package.json';
import type { Io } from './io';

export const PIN_USAGE = `Usage: dockerfile-hardener pin [--check] [--timeout S] [--config FILE] [--target-stage NAME] PATH...

  Pins every image (FROM, COPY --from, RUN --mount from=) to the digest its tag points at now,
  asking each image's registry (credentials from Docker's config and credential helpers), and
  writes the files atomically; stale digests are updated.

  --check          write nothing: report unpinned and stale images, exit 1 when there is one
  --timeout S      seconds to wait for a registry, per image (default 10)
  --config FILE    use this config file (ignore comments and the config's ignore globs apply)
  --target-stage NAME   as for lint

Exit status: 0 everything pinned and current; 1 unpinned or stale images (--check), or references
that could not be pinned; 2 usage, I/O or registry errors.
`;

export interface PinArgs {
  check: boolean;
  timeoutSeconds: number;
  config?: string;
  targetStage?: string;
  paths: string[];
}

export function parsePinArgs(argv: string[]): PinArgs {
  const { flags, values, positional } = parseArgs(argv, { flags: ['--check'], values: ['--timeout', '--config', '--target-stage'] });
  let timeoutSeconds = 10;
  const timeout = values.get('--timeout');
  if (timeout !== undefined) {
    timeoutSeconds = Number(timeout);
    if (!/^\d+(\.\d+)?$/.test(timeout) || !(timeoutSeconds > 0) || timeoutSeconds > 300)
      throw new UsageError(`--timeout must be a number of seconds (more than 0, at most 300), not "${timeout}"`);
  }
  if (positional.includes('-')) throw new UsageError('pin works on files; standard input is not supported');
  if (!positional.length) throw new UsageError('pin needs at least one PATH');
  return {
    check: flags.has('--check'),
    timeoutSeconds,
    config: values.get('--config'),
    targetStage: values.get('--target-stage'),
    paths: positional,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function runPin(args: PinArgs, io: Io, client?: RegistryClient): Promise<number> {
  const registry =
    client ??
    new RegistryClient({
      credentials: new DockerCredentials(),
      timeoutMs: args.timeoutSeconds * 1000,
      userAgent: `dockerfile-hardener/${version}`,
    });
  const inputs = new Inputs(args, io.err);
  let registryErrors = 0;
  let left = 0;
  let findings = 0;
  let pinned = 0;
  let updated = 0;
  let changed = 0;
  const note = (file: string, n: PinNote, prefix = '') => `${file}:${n.line}:${n.column}: ${prefix}${n.message}\n`;
  try {
    for await (const { file, shown: name, config, text } of inputs.each()) {
      const bom = text.charCodeAt(0) === 0xfeff;
      const body = bom ? text.slice(1) : text;
      const report = await pinDocument(body, {
        mode: args.check ? 'check' : 'pin',
        lint: lintOptions(config, { targetStage: args.targetStage }),
        context: { resolveDigest: async (ref) => (await registry.resolve(ref)).digest },
      });
      for (const n of report.errors) io.err(note(name, n, 'error: '));
      for (const n of report.cannotCheck) io.err(note(name, n));
      registryErrors += report.errors.length;
      if (args.check) {
        io.out(formatText([{ file: name, findings: report.findings }]));
        findings += report.findings.length;
        continue;
      }
      for (const n of report.refused) io.err(note(name, n));
      left += report.refused.length;
      if (report.errors.length) {
        io.err(`${name}: left unchanged: a registry could not answer\n`);
        continue;
      }
      if (!report.edits.length) continue;
      try {
        await writeFileAtomic(file, (bom ? '\ufeff' : '') + report.text);
      } catch (e) {
        inputs.errors.push(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); left unchanged`);
        continue;
      }
      for (const n of [...report.pinned, ...report.updated]) io.out(note(name, n));
      pinned += report.pinned.length;
      updated += report.updated.length;
      changed++;
    }
  } finally {
    if (!client) registry.close();
  }
  inputs.report();
  if (args.check) {
    io.err(
      `${plural(findings, 'image')} unpinned or stale in ${plural(inputs.count, 'file')}${registryErrors ? `; ${plural(registryErrors, 'image')} could not be checked` : ''}\n`,
    );
  } else {
    io.err(
      `${plural(pinned, 'image')} pinned, ${plural(updated, 'digest')} updated in ${plural(changed, 'file')}` +
        `${left ? `; ${plural(left, 'reference')} left unpinned` : ''}${registryErrors ? `; ${plural(registryErrors, 'registry error')}` : ''}\n`,
    );
  }
  if (!inputs.count && !inputs.errors.length) io.err('dockerfile-hardener: no Dockerfiles found\n');
  if (inputs.failed || registryErrors) return 2;
  return (args.check ? findings : left) > 0 ? 1 : 0;
}

/** The `pin` command: arguments, then the run; usage errors print the usage and exit 2. */
export async function pinCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(PIN_USAGE);
    return 0;
  }
  let args: PinArgs;
  try {
    args = parsePinArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`dockerfile-hardener: ${e.message}\n\n${PIN_USAGE}`);
    return 2;
  }
  return runPin(args, io);
}
