/**
 * Image facts in the editor (issue 27): a disk cache holding facts for every image a file names
 * (written here with the cache's own code: the bench measures the server's path from cache to answer,
 * not a registry), the built server reading it. Hover on an image answered from the cache, and
 * edit → diagnostics with the facts on against the same server without them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { DockerfileModel } from '../server/src/model/model';
import { imagesOf } from '../server/src/registry/lintFacts';
import { FactCache } from '../server/src/registry/factCache';
import type { ImageFacts } from '../server/src/model/imageFacts';
import { BenchClient, editLatencies } from './lsp';

/** A cache directory with facts for each image of `text`; the caller removes it. */
export function filledCache(text: string): { dir: string; images: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dh-bench-facts-'));
  const cache = new FactCache(dir);
  const images = imagesOf(new DockerfileModel(text));
  images.forEach(({ ref }, i) => {
    const digest = ref.digest ?? `sha256:${i.toString(16).padStart(64, '0')}`;
    const facts: ImageFacts = {
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      index: false,
      platforms: [
        {
          platform: 'linux/amd64',
          digest,
          size: 80_000_000,
          config: {
            user: i % 2 ? 'app' : '',
            env: ['PATH=/usr/local/bin:/usr/bin'],
            exposedPorts: [],
            labels: {},
            created: '2026-10-01T00:00:00Z',
          },
        },
      ],
      supplyChain: { cosign: 'absent', referrers: 'unknown', attestations: 'unknown' },
      fetchedAt: new Date().toISOString(),
    };
    cache.putDigest(ref, facts);
    if (!ref.digest) cache.putTag({ registry: ref.registry, repository: ref.repository, tag: ref.tag }, digest);
  });
  return { dir, images: images.length };
}

/** Hover latencies (ms) on the first FROM image of `file`, from a filled cache. */
export async function hoverLatencies(
  server: string,
  file: string,
  count: number,
): Promise<{ times: number[]; images: number; answered: boolean }> {
  const text = readFileSync(file, 'utf8');
  const { dir, images } = filledCache(text);
  const client = await BenchClient.start(server, { ...process.env, DOCKERFILE_HARDENER_CACHE_DIR: dir });
  try {
    const uri = pathToFileURL(path.resolve(file)).toString();
    await client.open(uri, text);
    const model = new DockerfileModel(text);
    const first = model.stages.find((s) => s.imageSpan && s.base.kind === 'image');
    const position = model.lines.positionAt(first!.imageSpan!.start + 1);
    const times: number[] = [];
    let answered = false;
    for (let k = 0; k < count + 5; k++) {
      const start = performance.now();
      const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position })) as {
        contents?: { value?: string };
      } | null;
      const t = performance.now() - start;
      answered ||= /Default user/.test(h?.contents?.value ?? '');
      if (k >= 5) times.push(t);
    }
    return { times, images, answered };
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Edit → diagnostics latencies of `file` with the cache filled for its images. */
export async function editLatenciesWithFacts(server: string, file: string, edits: number, warmup: number, seed: number): Promise<number[]> {
  const { dir } = filledCache(readFileSync(file, 'utf8'));
  try {
    return (await editLatencies(server, file, edits, warmup, seed, { ...process.env, DOCKERFILE_HARDENER_CACHE_DIR: dir })).times;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
