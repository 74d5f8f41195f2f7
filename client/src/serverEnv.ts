/**
 * What the client adds to the language server's environment. glibc's allocator reads these when the
 * process starts (no JavaScript can set them later): below these sizes it gives freed memory back to
 * the system at once instead of keeping it in its heaps and per-thread arenas, which V8's background
 * threads otherwise leave behind: 60.0 instead of 66.3 MB settled after the corpus (bench/HISTORY.md).
 * Other allocators ignore them. The bench starts the server with the same (bench/run.ts).
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = {
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_MMAP_THRESHOLD_: '131072',
};
