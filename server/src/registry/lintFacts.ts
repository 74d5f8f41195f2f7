/**
 * Image facts for a lint run: which images a Dockerfile names (and on which platforms) and what the
 * disk cache knows of them. Linting only ever reads the cache; lookup.ts fills it where the user asked
 * (the CLI's `--image-facts fetch`, a hover in the editor). Nothing here loads the network modules.
 */
import type { DockerfileModel } from '../model/model';
import { imageUses } from '../model/imageUses';
import { imageKey, type ImageName } from '../model/registryNames';
import type { ImageRef } from '../model/imageRef';
import type { ImageFactsRecord } from '../model/imageFacts';
import type { FactCache } from './factCache';

/** An image a Dockerfile pulls, with the platform its stage asks for (a constant `--platform`). */
export interface ImageWanted {
  ref: ImageRef;
  platform?: string;
}

/** The images `model` pulls (FROM, COPY --from, RUN --mount from), each once per platform asked for. */
export function imagesOf(model: DockerfileModel): ImageWanted[] {
  const out = new Map<string, ImageWanted>();
  for (const use of imageUses(model)) {
    if (!use.ref) continue;
    const stage = use.where === 'FROM' ? model.stages.find((s) => s.from === use.instr) : undefined;
    const p = stage?.platform?.value;
    const platform = p && !p.includes('$') ? p : undefined;
    const key = `${imageKey(use.ref)}@${use.ref.digest ?? ''} ${platform ?? ''}`;
    if (!out.has(key)) out.set(key, { ref: use.ref, platform });
  }
  return [...out.values()];
}

/** What the cache knows of `images`: their facts, and what their tags point at (stale-digest reads that). */
export function cachedFacts(
  cache: FactCache,
  images: ImageWanted[],
): { imageFacts: ImageFactsRecord; currentDigests: Record<string, string> } {
  const refs = images.map((i) => i.ref);
  const currentDigests: Record<string, string> = {};
  for (const ref of refs) {
    if (!ref.digest || !ref.tag) continue;
    const now = cache.tag(nameOf(ref));
    if (now) currentDigests[imageKey(ref)] = now;
  }
  return { imageFacts: cache.record(refs), currentDigests };
}

export function nameOf(ref: Pick<ImageRef, 'registry' | 'repository' | 'tag'>): ImageName {
  return { registry: ref.registry, repository: ref.repository, tag: ref.tag };
}
