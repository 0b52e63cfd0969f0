// Shared by the e2e tests: a static server for dist/ that records every
// request, and a fresh headless Debian Chromium driven by playwright-core.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(new URL("..", import.meta.url).pathname);
export const DIST = resolve(process.env.DIST_DIR || join(ROOT, "dist"));
export const ARTIFACTS = join(ROOT, "e2e", "artifacts");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".z": "application/octet-stream",
};

/** Serves `dir` on 127.0.0.1 (random port); `requests` lists every path asked for. */
export async function serve(dir = DIST) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push(url.pathname);
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!path.startsWith(dir + sep) && path !== dir) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** A fresh browser context (its own temporary user-data-dir). */
export async function browser(options = {}) {
  const profile = await mkdtemp(join(tmpdir(), "iamtrace-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a page and collects its errors (page errors, console errors, failed requests). */
export async function open(context, url) {
  const page = context.pages()[0] && context.pages()[0].url() === "about:blank" ? context.pages()[0] : await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid="app"]');
  return { page, errors };
}

/** The decision shown (`Allow`, `ExplicitDeny`, `ImplicitDeny` or `none`). */
export async function decision(page) {
  return page.getAttribute('[data-testid="decision"]', "data-decision");
}

/** The screen point of character `at` of the first occurrence of `needle`
 * in the editor with `data-testid=testid` (scrolled into view). */
export async function pointAt(page, testid, needle, at = 0) {
  const point = await page.evaluate(
    ([testid, needle, at]) => {
      const root = document.querySelector(`[data-testid="${testid}"] .cm-content`);
      if (!root) return null;
      for (const line of root.querySelectorAll(".cm-line")) {
        if (!line.textContent.includes(needle)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let text = "";
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          nodes.push([n, text.length]);
          text += n.textContent;
        }
        const index = text.indexOf(needle) + at;
        for (const [n, start] of nodes) {
          if (index >= start && index < start + n.textContent.length) {
            const r = document.createRange();
            r.setStart(n, index - start);
            r.setEnd(n, index - start + 1);
            r.startContainer.parentElement.scrollIntoView({ block: "center" });
            const b = r.getBoundingClientRect();
            return { x: b.left + 1, y: b.top + b.height / 2 };
          }
        }
      }
      return null;
    },
    [testid, needle, at],
  );
  if (!point) throw new Error(`${needle} not found in ${testid}`);
  return point;
}

/** Puts the editor's cursor just before the first occurrence of `needle`
 * (searched in the text nodes of the editor with `data-testid=testid`). */
export async function cursorBefore(page, testid, needle) {
  const point = await pointAt(page, testid, needle);
  await page.mouse.click(point.x, point.y);
}

/** Moves the pointer over character `at` of `needle` in an editor (for tooltips). */
export async function hoverText(page, testid, needle, at = 1) {
  await page.mouse.move(1, 1);
  const point = await pointAt(page, testid, needle, at);
  await page.mouse.move(point.x + 2, point.y);
}

/** Waits until the AWS knowledge module and the service reference are loaded. */
export async function dataReady(page) {
  await page.waitForSelector('[data-testid="data-status"][data-status="ready"]', { timeout: 15000 });
}

/** Asserts that the page's requests (`seen`, full URLs) and every path the
 * server saw are dist/'s own files (or `/`): no other origin, nothing missing. */
export async function assertOwnFiles(server, seen) {
  const files = await filesOf(DIST);
  files.add("/");
  for (const url of seen) {
    const u = new URL(url);
    if (u.protocol === "data:") continue;
    assert.equal(u.origin, new URL(server.url).origin, `request to another origin: ${url}`);
    assert.ok(files.has(u.pathname), `request for a file that is not in dist/: ${url}`);
  }
  for (const path of server.requests) assert.ok(files.has(path), `server saw ${path}`);
}

/** Every file of `dir`, recursively, as `/relative/path`. */
async function filesOf(dir) {
  const out = new Set();
  const walk = async (d, prefix) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.add(`/${prefix}${e.name}`);
    }
  };
  await walk(dir, "");
  return out;
}
