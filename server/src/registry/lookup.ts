/**
 * Looks images up in their registries and stores the answers in the disk cache (the CLI's
 * `--image-facts fetch`, a hover in the editor): a few at a time, each within the registry timeout,
 * one image's failure never stopping the others.
 */
import { imageKey, type ImageName } from '../model/registryNames';
import { DEFAULT_FACT_PLATFORMS, fetchImageFacts } from './facts';
import type { FactCache } from './factCache';
import type { RegistryClient } from './client';
import { RegistryError } from './errors';
import { nameOf, type ImageWanted } from './lintFacts';

export interface LookupOutcome {
  looked: number;
  failed: { image: string; message: string }[];
}

/**
 * Looks `images` up (tag and digest, for a pinned tag both) and stores the answers in the cache.
 * One image's failure never stops the others: it is returned, for the caller to say.
 */
export async function lookUpImages(
  client: RegistryClient,
  cache: FactCache,
  images: ImageWanted[],
  o: { signal?: AbortSignal; timeoutMs?: number; concurrency?: number } = {},
): Promise<LookupOutcome> {
  const jobs: { name: ImageName; digest?: string; platforms: string[]; text: string }[] = [];
  const seen = new Set<string>();
  for (const { ref, platform } of images) {
    const platforms = [...new Set([...(platform ? [platform] : []), ...DEFAULT_FACT_PLATFORMS])];
    const add = (digest: string | undefined, tagged: boolean) => {
      const key = `${imageKey(ref)} ${digest ?? ''} ${platforms.join(',')}`;
      if (seen.has(key) || (!tagged && !digest)) return;
      seen.add(key);
      jobs.push({ name: nameOf(ref), digest, platforms, text: ref.text });
    };
    if (ref.digest) add(ref.digest, false);
    if (ref.tag || !ref.digest) add(undefined, true);
  }
  const outcome: LookupOutcome = { looked: 0, failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      try {
        await fetchImageFacts(client, job.name, job.digest, { cache, platforms: job.platforms, signal: o.signal, timeoutMs: o.timeoutMs });
        outcome.looked++;
      } catch (e) {
        if (o.signal?.aborted) throw e;
        outcome.failed.push({ image: job.text, message: e instanceof RegistryError || e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, jobs.length) }, worker));
  return outcome;
}
