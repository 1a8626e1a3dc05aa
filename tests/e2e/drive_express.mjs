// Runs a generated server.js with the real express-rate-limit and prints the status and body of
// each request, as drive_app.py does for app.py:
//
//     node drive_express.mjs SERVER.js SCENARIO.json
//
// The requests are the scenario's (as the page exports them: t, key, path, headers), each at the
// simulated epoch + t: Date.now(), which express-rate-limit's memory store reads, is set to it.
// Express itself is not installed: a stand-in records the routes server.js declares (app.all)
// and runs each route's handlers in order, as Express does, until one answers without next().
import fs from 'node:fs';
import { createRequire } from 'node:module';

const [serverFile, scenarioFile] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
const repoRequire = createRequire(new URL('../../package.json', import.meta.url));

const routes = new Map();
const settings = new Map();
const app = {
  set: (name, value) => settings.set(name, value),
  get: (name) => settings.get(name),
  all: (path, ...handlers) => routes.set(path, handlers.flat()),
  listen() {},
};
const express = () => app;

let now = scenario.epoch * 1000;
Date.now = () => now;
// The library's own advice (a validation about how it was set up) is not what is tested here.
console.error = () => {};

const require = (name) => (name === 'express' ? express : repoRequire(name));
// eslint-disable-next-line no-new-func -- the file under test, run as CommonJS with this require
new Function('require', 'module', 'exports', fs.readFileSync(serverFile, 'utf8'))(require, { exports: {} }, {});

/** Runs one handler; resolves with whether it called next(). */
const step = (handler, request, response) => new Promise((resolve, reject) => {
  let next = false;
  Promise.resolve(handler(request, response, (error) => {
    next = true;
    if (error) reject(error);
    else resolve(true);
  })).then(() => { if (!next) resolve(false); }, reject);
});

const answers = [];
for (const r of scenario.requests) {
  now = Math.round((scenario.epoch + r.t) * 1000);
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const request = { ip: r.key, method: 'GET', path: r.path, url: r.path, originalUrl: r.path, headers, app, get: (name) => headers[name.toLowerCase()] };
  const response = {
    statusCode: 200, headersSent: false, body: '', fields: {},
    setHeader(name, value) { this.fields[name.toLowerCase()] = value; },
    getHeader(name) { return this.fields[name.toLowerCase()]; },
    append(name, value) { this.setHeader(name, value); },
    status(code) { this.statusCode = code; return this; },
    send(body) { this.body = String(body); this.headersSent = true; return this; },
    json(body) { return this.send(JSON.stringify(body)); },
    end() { this.headersSent = true; return this; },
    on() { return this; },
  };
  for (const handler of routes.get(r.path) ?? []) {
    if (!(await step(handler, request, response))) break;
  }
  answers.push([response.statusCode, response.body]);
}
console.log(JSON.stringify(answers));
process.exit(0);  // the memory stores' sweep timers would keep Node alive for a window
