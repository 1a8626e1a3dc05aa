// The Replay binding in Node: chunks of bytes in, plain JS results out, handles released.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { loadEngine } from './engine.mjs';

const engine = await loadEngine();
const SAMPLE = fs.readFileSync(new URL('../../web/samples/access.log', import.meta.url));

/** Replays `bytes` fed in pieces of `piece` bytes; the Replay is always deleted. */
function replayBytes(bytes, piece, { rule = '2/second;60/minute', strategy = 'all', key = 'ip', format = 'auto', keyField = '', publicProxies = 0, buckets = 60 } = {}) {
  const replay = new engine.Replay(format, keyField, '', '', publicProxies);
  try {
    for (let at = 0; at < bytes.length; at += piece) {
      const chunk = bytes.subarray(at, at + piece);
      engine.HEAPU8.set(chunk, replay.bufferFor(chunk.length));
      replay.feed(chunk.length);
    }
    replay.finish();
    return { progress: replay.progress(), result: replay.run(rule, strategy, key, buckets) };
  } finally {
    replay.delete();
  }
}

test('the sample log replays through every algorithm with plain JS values', () => {
  const { progress, result } = replayBytes(SAMPLE, 1 << 20);
  assert.deepEqual(progress, { bytes: SAMPLE.length, lines: 3000, requests: 3000, badLines: 0, format: 'combined' });
  assert.equal(result.requests, 3000);
  assert.equal(result.clients, 14);
  assert.equal(result.algorithms.length, engine.algorithms().length);
  for (const one of result.algorithms) {
    assert.equal(one.allowed + one.denied, 3000);
    assert.equal(one.timeline.length, 60);
    assert.equal(one.timeline.reduce((a, b) => a + b, 0), one.denied);
    assert.equal(one.top[0].client, '198.51.100.66');  // the scraper
    assert.ok(one.top.length <= one.clientsDenied && one.clientsDenied <= result.clients, JSON.stringify(one));
    for (const offender of one.top) {  // its own timeline: its denials, within the algorithm's per bucket
      assert.equal(offender.timeline.reduce((a, b) => a + b, 0), offender.denied);
      assert.ok(offender.timeline.every((n, i) => n <= one.timeline[i]));
    }
  }
  // The bucket family is one meter: replayed once, its figures under each name.
  const byName = Object.fromEntries(result.algorithms.map((one) => [one.algorithm, one]));
  for (const name of ['leaky-bucket', 'leaky-queue', 'gcra']) {
    const { sameAs, ...figures } = byName[name];
    assert.equal(sameAs, 'token-bucket');
    assert.deepEqual({ ...figures, algorithm: 'token-bucket' }, byName['token-bucket']);
  }
  assert.equal(result.algorithms.filter((one) => one.sameAs).length, 3);
  assert.equal(replayBytes(SAMPLE, 1 << 20, { strategy: 'gcra' }).result.algorithms[0].sameAs, undefined);
});

test('the result does not depend on where the chunks were cut', () => {
  const whole = replayBytes(SAMPLE, SAMPLE.length).result;
  for (const piece of [1, 97, 4096]) assert.deepEqual(replayBytes(SAMPLE, piece).result, whole);
});

test('the timelines have as many buckets as asked for, spread over the log', () => {
  const log = Buffer.from(['22:13:20', '22:13:50', '22:13:50']
    .map((time) => `10.0.0.1 - - [14/Nov/2023:${time} +0000] "GET / HTTP/1.1" 200 5\n`).join(''));
  const { result } = replayBytes(log, 64, { rule: '1/minute', strategy: 'fixed-window', buckets: 10 });
  assert.equal(result.bucketSeconds, 3);
  const [fixed] = result.algorithms;
  assert.deepEqual(fixed.timeline, [0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 'the two denied 30 s in, in the last of ten');
  assert.deepEqual(fixed.top[0].timeline, fixed.timeline);
});

test('bad lines, a bad rule and a bad strategy come back as values', () => {
  const log = Buffer.from('{"ts": 1700000000, "ip": "a"}\nnot json\n{"ts": "soon"}\n{"ts": 1700000001, "ip": "a"}\n');
  const { result } = replayBytes(log, 5, { rule: '1/second', strategy: 'fixed-window' });
  assert.equal(result.format, 'jsonl');
  assert.equal(result.requests, 2);
  assert.deepEqual(result.badSamples.map((b) => b.line), [2, 3]);
  assert.equal(result.badLines, 2);
  assert.match(replayBytes(log, 64, { rule: '10/minits' }).result.error, /unknown time unit/);
  assert.match(replayBytes(log, 64, { strategy: 'fastest' }).result.error, /unknown strategy/);
  const shared = replayBytes(log, 64, { key: 'none', strategy: 'fixed-window', rule: '1/second' }).result.algorithms[0];
  assert.deepEqual([shared.top, shared.clientsDenied], [[], 0]);
});

test('clients are found in nested JSON; requests naming none are counted', () => {
  const log = Buffer.from('{"ts": 1700000000, "request": {"client_ip": "203.0.113.5"}}\n' +
    '{"ts": 1700000000.5, "httpRequest": {"remoteIp": "198.51.100.7"}}\n{"ts": 1700000001}\n');
  const { result } = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window' });
  assert.deepEqual([result.requests, result.clients, result.withoutClient], [3, 3, 1]);
  assert.equal(result.algorithms[0].denied, 0);  // three clients, one request each
  assert.equal(replayBytes(SAMPLE, 1 << 20).result.withoutClient, 0);
});

test('behind a proxy, the requests that carry X-Forwarded-For are counted; keyed by it, its clients are', () => {
  const log = Buffer.from(['203.0.113.7', '1.2.3.4, 203.0.113.7', '-']
    .map((xff) => `10.0.0.2 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"\n`).join(''));
  const byAddress = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window' }).result;
  assert.deepEqual(byAddress.proxy, { client: '10.0.0.2', requests: 3, loopback: false, forwardedFor: 2 });
  const byClient = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window', keyField: 'x-forwarded-for' }).result;
  assert.deepEqual([byClient.clients, byClient.withoutClient, byClient.algorithms[0].denied], [2, 1, 1]);
  assert.equal(byClient.proxy, undefined);
  const together = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window', key: 'none' }).result;
  assert.equal(together.proxy, undefined, 'counted all together, there is no client to mistake for a proxy');
  // behind a CDN, from its public edges: no proxy address, but most requests came through one
  const cdn = Buffer.from([['162.158.1.1', '203.0.113.7'], ['172.70.2.2', '198.51.100.9'], ['198.51.100.20', '-']]
    .map(([edge, xff]) => `${edge} - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"\n`).join(''));
  const behindCdn = replayBytes(cdn, 64, { rule: '1/second', strategy: 'fixed-window' }).result;
  assert.equal(behindCdn.proxy, undefined);
  assert.deepEqual(behindCdn.forwarded, { requests: 2 });
  assert.equal(replayBytes(cdn, 64, { rule: '1/second', strategy: 'fixed-window', keyField: 'x-forwarded-for' }).result.forwarded, undefined);
  assert.equal(behindCdn.publicProxies, undefined, 'said only when counted per X-Forwarded-For');
});

test('behind a CDN and a load balancer, the edges counted per X-Forwarded-For are said, and skipped when asked', () => {
  const log = Buffer.from(['203.0.113.7, 130.176.12.4', '198.51.100.9, 130.176.12.4', '192.0.2.1']
    .map((xff) => `10.0.0.5 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"\n`).join(''));
  const edges = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window', keyField: 'x-forwarded-for' }).result;
  assert.equal(edges.publicProxies, 0);
  assert.deepEqual(edges.beyondPublicProxy, { requests: 2, publicProxies: 1 });
  assert.equal(edges.algorithms[0].top[0].client, '130.176.12.4');
  const clients = replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window', keyField: 'x-forwarded-for', publicProxies: 1 }).result;
  assert.equal(clients.publicProxies, 1);
  assert.equal(clients.beyondPublicProxy, undefined);
  assert.deepEqual([clients.clients, clients.algorithms[0].denied], [3, 0]);
});

test('a log in several files: each file ends its last line, and bad lines say which file they are in', () => {
  const replay = new engine.Replay('auto');
  try {
    for (const [index, text] of ['1700000002\nbad\n1700000001', 'oops\n1700000000\n'].entries()) {
      if (index > 0) replay.endFile();
      const bytes = Buffer.from(text);
      engine.HEAPU8.set(bytes, replay.bufferFor(bytes.length));
      replay.feed(bytes.length);
    }
    replay.finish();
    const result = replay.run('1/second', 'fixed-window', 'ip', 60);
    assert.deepEqual([result.requests, result.lines, result.outOfOrder, result.algorithms[0].denied], [3, 5, 1, 0]);
    assert.deepEqual(result.badSamples.map(({ file, line }) => [file, line]), [[0, 2], [1, 1]]);
  } finally {
    replay.delete();
  }
});

test('a file that breaks off: the lines before it are read, the cut one is a bad line that says why', () => {
  const replay = new engine.Replay('auto');
  try {
    const bytes = Buffer.from('1700000000\n1700000001\n17000');
    engine.HEAPU8.set(bytes, replay.bufferFor(bytes.length));
    replay.feed(bytes.length);
    replay.breakOff('incomplete data');
    replay.finish();
    const result = replay.run('1/second', 'fixed-window', 'ip', 60);
    assert.deepEqual([result.requests, result.lines, result.badLines], [2, 3, 1]);
    assert.deepEqual(result.badSamples, [{ file: 0, line: 3, reason: 'the file breaks off here (incomplete data); the lines before it were read', text: '17000' }]);
    assert.deepEqual(result.unread, [{ ...result.badSamples[0], text: '' }]);
    // one client's times, as replayed (here the timestamps log's only client, named '')
    assert.deepEqual([...replay.clientTimes('', 10)], [1700000000, 1700000001]);
    assert.deepEqual([...replay.clientTimes('', 1)], [1700000000]);
    assert.deepEqual([...replay.clientTimes('nobody', 10)], []);
  } finally {
    replay.delete();
  }
});

test('only the requests to a path, with a method: the filter as applied and what it left out', () => {
  const replay = new engine.Replay('auto', '', 'login', 'post');
  try {
    const bytes = Buffer.from(['GET /login', 'POST /login', 'POST /login?next=/', 'POST /loginx']
      .map((request, i) => `203.0.113.9 - - [01/May/2024:10:00:0${i} +0000] "${request} HTTP/1.1" 200 5\n`).join(''));
    engine.HEAPU8.set(bytes, replay.bufferFor(bytes.length));
    replay.feed(bytes.length);
    replay.finish();
    const result = replay.run('1/minute', 'fixed-window', 'ip', 60);
    assert.deepEqual([result.path, result.methods, result.leftOut, result.requests, result.algorithms[0].denied], ['/login', 'POST', 2, 2, 1]);
  } finally {
    replay.delete();
  }
});

test('requests whose time names no zone are counted', () => {
  const log = Buffer.from('{"ts": "2026-11-29T09:00:00"}\n{"ts": "2026-11-29T09:00:01Z"}\n{"ts": 1795942802}\n');
  assert.equal(replayBytes(log, 64, { rule: '1/second' }).result.withoutZone, 1);
  assert.equal(replayBytes(SAMPLE, 1 << 20).result.withoutZone, 0);
});

test('scaled: the rule from an eighth to eight times under one algorithm; the rule itself as run', () => {
  const replay = new engine.Replay('auto');
  try {
    engine.HEAPU8.set(SAMPLE, replay.bufferFor(SAMPLE.length));
    replay.feed(SAMPLE.length);
    replay.finish();
    const { scaled } = replay.scaled('2/second;60/minute', 'sliding-window-counter', 'ip');
    assert.deepEqual(scaled.map((one) => [one.rule, one.factor]), [['1/second;8/minute', 0.125], ['1/second;15/minute', 0.25],
      ['1/second;30/minute', 0.5], ['2/second;60/minute', 1], ['4/second;120/minute', 2], ['8/second;240/minute', 4], ['16/second;480/minute', 8]]);
    for (const one of scaled) {
      const [alone] = replay.run(one.rule, 'sliding-window-counter', 'ip', 60).algorithms;
      assert.deepEqual([one.denied, one.clientsDenied], [alone.denied, alone.clientsDenied], one.rule);
    }
    const shared = replay.scaled('100/minute', 'gcra', 'none').scaled;
    assert.ok(shared.every((one) => one.clientsDenied === 0));
    assert.match(replay.scaled('2/secnd', 'gcra', 'ip').error, /unknown time unit/);
    assert.match(replay.scaled('2/second', 'fastest', 'ip').error, /unknown strategy/);
  } finally {
    replay.delete();
  }
});

test('a key field: requests counted per its values instead of the address', () => {
  const log = Buffer.from('{"ts": 1700000000, "ip": "10.0.0.1", "request": {"user": "alice"}}\n' +
    '{"ts": 1700000000.5, "ip": "10.0.0.1", "request": {"user": "bob"}}\n');
  const replay = new engine.Replay('auto', 'user');
  try {
    engine.HEAPU8.set(log, replay.bufferFor(log.length));
    replay.feed(log.length);
    replay.finish();
    const result = replay.run('1/second', 'fixed-window', 'ip', 60);
    assert.deepEqual([result.clients, result.withoutClient, result.algorithms[0].denied], [2, 0, 0]);
  } finally {
    replay.delete();
  }
  assert.equal(replayBytes(log, 64, { rule: '1/second', strategy: 'fixed-window' }).result.algorithms[0].denied, 1);  // one address
});

test('replays leave no Embind handle behind', () => {
  const before = engine.count_emval_handles();
  for (let i = 0; i < 3; i += 1) replayBytes(SAMPLE, 65536);
  const replay = new engine.Replay('auto');
  replay.delete();
  assert.throws(() => replay.progress(), /deleted/);
  assert.equal(engine.count_emval_handles(), before);
});
