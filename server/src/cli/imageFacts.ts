/**
 * `lint --image-facts MODE` (or `imageFacts:` in the config): what registries said of the images a
 * Dockerfile names, for the rules that read it (root-user, toolchain-final-stage, platform-digest-pinned,
 * platform-unavailable, stale-base, stale-digest).
 *   off    no facts (the default: CI may be offline, and the verdict must not depend on the network)
 *   cache  the disk cache that the editor and earlier runs filled (registry/factCache.ts); no network
 *   fetch  asks each image's registry first (credentials as `pin`), stores the answers, then lints
 * A lookup that fails is said on standard error; the rules then use what the cache already holds of
 * the image (a digest's facts never expire), else nothing, and stay silent. The registry client (and
 * Node's http, tls and child_process with it) loads only for `fetch`.
 */
import { DockerfileModel } from '../model/model';
import { modelOptions, type LintOptions } from '../engine/findings';
import { FactCache } from '../registry/factCache';
import type { RegistryClient } from '../registry/client';
import { cachedFacts, imagesOf } from '../registry/lintFacts';
import type { ImageFactsMode } from '../config/projectConfig';
import { version } from '../../../package.json';

export class CliImageFacts {
  private cache?: FactCache;
  private client?: RegistryClient;

  constructor(private readonly timeoutMs = 10_000) {}

  /** The facts options for one Dockerfile, in `mode`; `note` says what could not be looked up. */
  async optionsFor(
    mode: ImageFactsMode,
    text: string,
    base: LintOptions,
    note: (message: string) => void,
  ): Promise<Pick<LintOptions, 'imageFacts' | 'currentDigests'>> {
    if (mode === 'off') return {};
    this.cache ??= new FactCache();
    const images = imagesOf(new DockerfileModel(text, modelOptions(base)));
    if (!images.length) return {};
    if (mode === 'fetch') {
      const [{ RegistryClient }, { DockerCredentials }, { lookUpImages }] = await Promise.all([
        import('../registry/client'),
        import('../registry/credentials'),
        import('../registry/lookup'),
      ]);
      this.client ??= new RegistryClient({
        credentials: new DockerCredentials(),
        timeoutMs: this.timeoutMs,
        userAgent: `dockerfile-hardener/${version}`,
      });
      const outcome = await lookUpImages(this.client, this.cache, images);
      for (const f of outcome.failed) note(`image facts: ${f.message}`);
    }
    const { imageFacts, currentDigests } = cachedFacts(this.cache, images);
    return {
      ...(Object.keys(imageFacts).length ? { imageFacts } : {}),
      ...(Object.keys(currentDigests).length ? { currentDigests: { ...base.currentDigests, ...currentDigests } } : {}),
    };
  }

  close(): void {
    this.client?.close();
  }
}
