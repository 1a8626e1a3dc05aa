// The page's pure helpers for numbers and times (web/playground/dom.js), in Node: what axis labels
// and captions read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTick } from '../../web/playground/dom.js';

test('axis labels: seconds, whole minutes and hours by their unit, the rest as a clock', () => {
  const read = (list) => list.map(formatTick);
  assert.deepEqual(read([0, 30, 59.5, 60, 75, 90.5, 120]), ['0', '30 s', '59.5 s', '1 min', '1:15', '1:30.5', '2 min']);
  assert.deepEqual(read([3600, 5400, 7200, 86400, 129600]), ['1 h', '1:30:00', '2 h', '1 d', '1.5 d']);
  // A 2-minute span late in a long run: each tick its own label (as decimals all were "1.68 h").
  assert.deepEqual(read([6060, 6075, 6090, 6105]), ['1:41:00', '1:41:15', '1:41:30', '1:41:45']);
  // Sub-second steps past a minute stay apart too, and a value a hair under a unit is that unit.
  assert.deepEqual(read([100, 100.5, 119.999]), ['1:40', '1:40.5', '2 min']);
  assert.deepEqual(read([-75, -60]), ['-1:15', '-1 min']);
});
