import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './engine.mjs';

let engine;
before(async () => { engine = await loadEngine(); });

test('parseRule reads several limits in Flask-Limiter words', () => {
  assert.deepEqual(engine.parseRule('5/second;60 per minute'), {
    limits: [
      { amount: 5, multiples: 1, granularity: 'second', text: '5 per 1 second', windowSeconds: 1 },
      { amount: 60, multiples: 1, granularity: 'minute', text: '60 per 1 minute', windowSeconds: 60 },
    ],
  });
});

test('parseRule locates an error and suggests a fix', () => {
  const result = engine.parseRule('10/minits');
  assert.equal(result.offset, 3);
  assert.equal(result.length, 6);
  assert.match(result.error, /minits/);
  assert.match(result.hint, /minute/);
});
