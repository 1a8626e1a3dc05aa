// The replay worker: reads a log in chunks, hands each chunk's bytes to the engine's Replay
// (wasm/replay.cpp) and posts progress and the result, so the page never waits on parsing.
// Bundled with the engine's loader into rate-limit-replay-worker.js; the protocol is in
// README.md. The parsed log is kept, so a new rule re-runs without reading the file again.

/** Progress is posted at most once per this many bytes. */
const PROGRESS_BYTES = 1 << 21;
/** Buckets of the rejection timeline. */
const TIMELINE_BUCKETS = 60;

const workerEngine = createRateLimitEngine({
  locateFile: () => new URL('ratelimit-engine.wasm', self.location.href).href,
});
/** The last log read, as a Replay (deleted when the next log starts). */
let lastLog = null;

workerEngine.then(
  () => postMessage({ type: 'ready' }),
  (error) => postMessage({ type: 'failed', message: String(error?.message ?? error) }),
);

self.onmessage = async ({ data }) => {
  const engine = await workerEngine.catch(() => null);
  if (!engine) return;  // 'failed' was posted
  try {
    if (data.type === 'check') {
      postMessage({ type: 'checked', id: data.id, ...engine.parseRule(data.rule) });
    } else if (data.type === 'replay') {
      const readStart = performance.now();
      await readLog(engine, data);
      postMessage({ type: 'result', id: data.id, result: runRule(data.options, performance.now() - readStart) });
    } else if (data.type === 'rerun') {
      postMessage({ type: 'result', id: data.id, result: lastLog ? runRule(data.options) : { error: 'no log has been read yet' } });
    } else if (data.type === 'times') {
      const times = lastLog ? lastLog.clientTimes(data.client, data.most) : new Float64Array(0);
      postMessage({ type: 'result', id: data.id, result: { times } }, [times.buffer]);
    } else if (data.type === 'scaled') {
      const { rule, strategy, key } = data.options;
      postMessage({ type: 'result', id: data.id, result: lastLog ? lastLog.scaled(rule, strategy, key) : { error: 'no log has been read yet' } });
    }
  } catch (error) {
    postMessage({ type: 'error', id: data.id, message: String(error?.message ?? error) });
  }
};

/** Reads `sources`, the files of one log (rotated ones, in any order), into a new lastLog. */
async function readLog(engine, { id, sources, options }) {
  lastLog?.delete();
  lastLog = new engine.Replay(options.format ?? 'auto', options.keyField ?? '', options.path ?? '', options.methods ?? '',
    options.publicProxies ?? 0);
  // Progress counts the files' own bytes, read so far of `total` (compressed ones for a .gz).
  const total = sources.reduce((sum, source) => sum + source.size, 0);
  let read = 0;
  let unreported = 0;
  for (const [index, source] of sources.entries()) {
    if (index > 0) lastLog.endFile();
    try {
      for await (const chunk of chunksOf(source, (n) => { read += n; })) {
        engine.HEAPU8.set(chunk, lastLog.bufferFor(chunk.length));
        lastLog.feed(chunk.length);
        unreported += chunk.length;
        if (unreported >= PROGRESS_BYTES) {
          unreported = 0;
          postMessage({ type: 'progress', id, total, ...lastLog.progress(), bytes: read });
        }
      }
    } catch (error) {
      // A gzip file that breaks off (copied while it was written) is read up to there; the
      // browser's sentence ("The compressed data was not valid: ...") goes inside the engine's.
      lastLog.breakOff(String(error?.message ?? error).replace(/^\w/, (c) => c.toLowerCase()).replace(/\.$/, ''));
    }
  }
  lastLog.finish();
  postMessage({ type: 'progress', id, total, ...lastLog.progress(), bytes: read });
}

/** The last log under `options`, with `timing`: readMs (reading the file, when it was just read) and replayMs. */
function runRule({ rule, strategy = 'all', key = 'ip' }, readMs) {
  const start = performance.now();
  const result = lastLog.run(rule, strategy, key, TIMELINE_BUCKETS);
  if (!result.error) result.timing = { replayMs: performance.now() - start, ...(readMs === undefined ? {} : { readMs }) };
  return result;
}

/**
 * The bytes of a Blob or File, a chunk at a time, as the browser reads them; a gzip file (rotated
 * and cloud logs usually are) is decompressed on the way. `onRead(n)` is told each n bytes read
 * from the file itself.
 */
async function* chunksOf(blob, onRead) {
  const counted = blob.stream().pipeThrough(new TransformStream({
    transform(chunk, controller) {
      onRead(chunk.length);
      controller.enqueue(chunk);
    },
  }));
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const reader = (gzip ? counted.pipeThrough(new DecompressionStream('gzip')) : counted).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
