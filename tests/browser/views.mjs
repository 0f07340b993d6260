/*
 * views.mjs -- drives the page of `khaldun serve` in headless Chromium
 * (Debian's chromium, through playwright-core) and reports what it saw, as
 * one JSON object on standard output.  python/tests/test_serve_browser.py
 * runs it against a server on a database it coded, and compares the
 * report with SQL on that database: this script observes, the test
 * judges.
 *
 *     node tests/browser/views.mjs CONFIG.json
 *
 * CONFIG: {"url": the server's root, "artifacts": directory for the
 * screenshots, "playwright": playwright-core's package directory,
 * "chromium": the browser's path, "dyad": [A, B], "filter": {name: value}
 * (a filter that selects fewer events), "bad_filter": {name: value} (one
 * the server refuses), "search": a word of a sentence with non-ASCII text}.
 * The screenshots are ARTIFACTS/serve-VIEW.png.
 */
import fs from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";

/* Milliseconds a view may take to draw: the examples' database answers
 * in milliseconds, so this only bounds a hung page. */
const VIEW_TIMEOUT_MS = 20000;
const VIEWPORT = {width: 1280, height: 900};

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const {chromium} = await import(pathToFileURL(path.join(config.playwright, "index.mjs")).href);

/* Console errors and uncaught exceptions, collected per step. */
let consoleErrors = [];

/* Requests for anything but the server's own URLs (the page must work
 * offline: no CDN, no map tiles). */
const foreignRequests = [];

function watch(page) {
  page.on("console", msg => { if (msg.type() === "error") consoleErrors.push(msg.text()); });
  page.on("pageerror", error => consoleErrors.push(`uncaught: ${error.message}`));
  page.on("request", request => {
    const url = request.url();
    if (!url.startsWith(config.url) && !url.startsWith("data:")) foreignRequests.push(url);
  });
}

function takeErrors() {
  const errors = consoleErrors;
  consoleErrors = [];
  return errors;
}

/* Waits until the page says its render finished (body[data-state]). */
async function settled(page) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state),
                             null, {timeout: VIEW_TIMEOUT_MS});
  return page.evaluate(() => ({state: document.body.dataset.state,
                               error: document.getElementById("error").hidden ? null : document.getElementById("error").textContent,
                               summary: document.getElementById("summary-events")?.textContent ?? null,
                               hash: location.hash}));
}

/* Sets the hash (which renders) and waits for the render it starts. */
async function visit(page, hash) {
  await page.evaluate(h => {
    if (location.hash === h) return;   // no hashchange: the page is drawn
    document.body.dataset.state = "navigating";
    location.hash = h;
  }, hash);
  return settled(page);
}

async function shoot(page, name) {
  await page.screenshot({path: path.join(config.artifacts, `serve-${name}.png`), fullPage: true});
}

const sumEvents = (page, selector) =>
  page.$$eval(selector, rects => rects.reduce((n, r) => n + Number(r.dataset.events), 0));

/* What each view drew, from the data-* attributes it puts on its marks. */
const OBSERVE = {
  overview: async page => ({bars: await page.locator("#overview-chart rect.bar").count(),
                            events: await sumEvents(page, "#overview-chart rect.bar")}),
  network: async page => ({
    nodes: await page.$$eval("#network-chart g.node", gs => gs.map(g => ({id: g.dataset.id, events: +g.dataset.events}))),
    edges: await page.$$eval("#network-chart path.edge", ps => ps.map(p => ({source: p.dataset.source, target: p.dataset.target, events: +p.dataset.events}))),
  }),
  dyad: async page => ({
    lines: await page.locator("#dyad-goldstein path.line").count(),
    quads: await page.$$eval("#dyad-quad rect.bar", rs => rs.map(r => ({direction: r.dataset.direction, quad: +r.dataset.quad, events: +r.dataset.events}))),
  }),
  map: async page => ({
    countries: await page.locator("#map-chart path.country").count(),
    places: await page.$$eval("#map-chart circle.place", cs => cs.map(c => ({name: c.dataset.name, events: +c.dataset.events,
                                                                          precision: c.getAttribute("class").replace("place ", ""),
                                                                          r: +c.getAttribute("r")}))),
  }),
  evidence: async page => ({listed: await page.locator("#event-list button.event").count()}),
};

/* Every view, as its tab shows it, with a screenshot. */
async function eachView(page) {
  const views = {};
  const settings = {dyad: `&a=${config.dyad[0]}&b=${config.dyad[1]}`};
  for (const view of Object.keys(OBSERVE)) {
    const start = performance.now();
    const result = await visit(page, `#view=${view}${settings[view] || ""}`);
    result.ms = Math.round(performance.now() - start);   // requests and drawing
    Object.assign(result, await OBSERVE[view](page));
    await shoot(page, view);
    views[view] = {...result, console_errors: takeErrors()};
  }
  return views;
}

/* The filter typed into the form: the summary and the overview's bars. */
async function applyFilter(page, filter) {
  await visit(page, "#view=overview");
  for (const [name, value] of Object.entries(filter))
    await page.fill(`#filters [name="${name}"]`, value);
  await page.evaluate(() => { document.body.dataset.state = "navigating"; });
  await page.click("#filters button[type=submit]");
  const result = await settled(page);
  result.overview_events = await sumEvents(page, "#overview-chart rect.bar");
  result.console_errors = takeErrors();
  await shoot(page, "filtered");
  return result;
}

/* The marks of the open event, per role, and which event it is. */
async function openedEvent(page) {
  await page.waitForSelector("#event-detail .sentence", {timeout: VIEW_TIMEOUT_MS});
  return page.evaluate(() => {
    const marks = {};
    for (const role of ["source", "verb", "target"])
      marks[role] = [...document.querySelectorAll(`#event-detail .sentence mark[data-role="${role}"]`)]
        .map(m => m.textContent).join("");
    const detail = document.getElementById("event-detail");
    return {hash: location.hash, marks, sentence: detail.querySelector(".sentence").textContent,
            text: detail.textContent};
  });
}

/* Clicking listed events (the first one; the one a search finds) and, by
 * keyboard, the second. */
async function clickEvents(page) {
  const opened = [];
  await visit(page, "#view=evidence");
  await page.evaluate(() => { document.body.dataset.state = "navigating"; });
  await page.click("#event-list button.event >> nth=0");
  await settled(page);
  opened.push(await openedEvent(page));
  await shoot(page, "event");

  await visit(page, `#view=evidence&q=${encodeURIComponent(config.search)}`);
  await page.evaluate(() => { document.body.dataset.state = "navigating"; });
  await page.focus("#event-list button.event >> nth=0");
  await page.keyboard.press("Enter");
  await settled(page);
  opened.push(await openedEvent(page));
  return {opened, console_errors: takeErrors()};
}

/* A node and an edge of the network clicked: the events listed. */
async function clickNetwork(page) {
  await visit(page, "#view=network");
  const edge = page.locator("#network-chart path.edge").first();
  const clicked = {source: await edge.getAttribute("data-source"), target: await edge.getAttribute("data-target")};
  await edge.dispatchEvent("click");   // arcs overlap: click this one, not what lies on top
  await page.waitForSelector("#network-events button.event, #error:not([hidden])", {timeout: VIEW_TIMEOUT_MS});
  const edgeEvents = await page.$$eval("#network-events button.event", bs => bs.map(b => +b.dataset.id));
  const node = page.locator("#network-chart g.node").first();
  const nodeId = await node.getAttribute("data-id");
  await node.dispatchEvent("click");
  await page.waitForFunction(id => document.querySelector("#network-events h2")?.textContent === `Events of ${id}`
                                   || !document.getElementById("error").hidden,
                             nodeId, {timeout: VIEW_TIMEOUT_MS});
  const nodeEvents = await page.$$eval("#network-events button.event", bs => bs.map(b => +b.dataset.id));
  const error = await page.evaluate(() => document.getElementById("error").hidden ? null : document.getElementById("error").textContent);
  return {edge: clicked, edge_events: edgeEvents, node: nodeId, node_events: nodeEvents, error,
          console_errors: takeErrors()};
}

/* A state set through the page, then its URL opened in a new page, as a
 * shared link would be (page.goto to the same URL would only scroll to the
 * fragment, not load the page again). */
async function roundTrip(browser, page) {
  await visit(page, "#view=network");
  const [name, value] = Object.entries(config.filter)[0];
  await page.fill(`#filters [name="${name}"]`, value);
  await page.evaluate(() => { document.body.dataset.state = "navigating"; });
  await page.click("#filters button[type=submit]");
  await settled(page);
  await page.evaluate(() => { document.body.dataset.state = "navigating"; });
  await page.selectOption('#view-network [name="level"]', "country");
  const before = await settled(page);
  const look = p => p.evaluate(n => ({
    tab: document.querySelector("[role=tab][aria-selected=true]").dataset.view,
    filter: document.querySelector(`#filters [name="${n}"]`).value,
    level: document.querySelector('#view-network [name="level"]').value,
    nodes: [...document.querySelectorAll("#network-chart g.node")].map(g => g.dataset.id).sort(),
  }), name);
  const seen = await look(page);
  const url = page.url();
  const fresh = await browser.newPage({viewport: VIEWPORT});
  watch(fresh);
  await fresh.goto(url);
  const after = {...await settled(fresh), ...await look(fresh)};
  await fresh.close();
  return {url, before: {...before, ...seen}, after, console_errors: takeErrors()};
}

/* A filter the server refuses: its message is shown, not a blank page. */
async function badFilter(page) {
  await visit(page, "#view=overview");
  const params = new URLSearchParams(config.bad_filter).toString();
  const result = await visit(page, `#view=overview&${params}`);
  await shoot(page, "bad-filter");
  result.console_errors = takeErrors();
  return result;
}

const browser = await chromium.launch({executablePath: config.chromium, args: ["--no-sandbox"]});
try {
  const page = await browser.newPage({viewport: VIEWPORT});
  watch(page);
  await page.goto(config.url);
  const report = {first_load: {...await settled(page), console_errors: takeErrors()}};
  report.views = await eachView(page);
  report.filter = await applyFilter(page, config.filter);
  report.events = await clickEvents(page);
  report.network_clicks = await clickNetwork(page);
  report.round_trip = await roundTrip(browser, page);
  report.bad_filter = await badFilter(page);
  report.foreign_requests = foreignRequests;
  process.stdout.write(JSON.stringify(report) + "\n");
} finally {
  await browser.close();
}
