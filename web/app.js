/*
 * app.js -- the page of `khaldun serve`: five views of a khaldun database
 * (overview, network, dyad timeline, map, evidence) over the JSON
 * endpoints of docs/serve.md, with d3 and topojson-client vendored under
 * vendor/ (tools/gen_web_vendor.sh).  No build step: this file is served
 * as it is.
 *
 * The state of the page -- the view, the filters and each view's own
 * settings -- lives in the URL's hash, so a view can be shared, bookmarked
 * and reloaded.  Every change goes through the hash: an input writes the
 * new state there, and render() draws whatever the hash says.
 *
 * When a render has finished, <body data-state> is "ready" (or "error"),
 * which is what the browser tests (tests/browser/) wait for.
 */
const d3 = window.d3;
const topojson = window.topojson;

const VIEWS = ["overview", "network", "dyad", "map", "evidence"];
/* The filters of docs/serve.md, sent to every endpoint as they are typed:
 * the server, not the page, decides what is valid, so its 400 message is
 * the one the analyst sees. */
const FILTERS = ["from", "to", "actor", "country", "code", "root", "quad", "plover", "q"];
/* Each view's own settings in the URL, with their defaults (a default is
 * left out of the URL, so a plain view has a short address). */
const SETTINGS = {
  bin: "week", by: "root",             // overview
  level: "actor", limit: "50",         // network
  a: "", b: "", dbin: "week",          // dyad
  sort: "-day", page: "1", event: "",  // evidence
};
/* Events per page of the evidence list: a screenful to read, not the
 * server's maximum, which a node's list asks for. */
const PAGE_SIZE = 25;
const EVENTS_PAGE_MAX = 200;   // the server's largest page (docs/serve.md)
/* A time axis fills in the empty bins between the first and the last, so
 * gaps look like gaps, unless that would make more bars than a chart can
 * show (a daily chart over decades); then only the bins with events are
 * drawn. */
const MAX_FILLED_BINS = 1500;

const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation",
                    3: "verbal conflict", 4: "material conflict"};
const QUAD_COLORS = {1: "#6baed6", 2: "#2166ac", 3: "#f4a582", 4: "#b2182b"};
/* Mean Goldstein of an edge: red for conflict (-10), blue for cooperation. */
const goldsteinColor = d3.scaleDiverging([-10, 0, 10], t => d3.interpolateRdBu(t));

// ---------------------------------------------------------------- state

/* The state the hash holds: {view, filters: {name: value}, settings}. */
function readState() {
  const params = new URLSearchParams(location.hash.slice(1));
  const view = VIEWS.includes(params.get("view")) ? params.get("view") : "overview";
  const filters = {};
  for (const name of FILTERS)
    if (params.get(name)) filters[name] = params.get(name);
  const settings = {};
  for (const [name, fallback] of Object.entries(SETTINGS))
    settings[name] = params.get(name) || fallback;
  return {view, filters, settings};
}

function stateHash(state) {
  const params = new URLSearchParams({view: state.view});
  for (const [name, value] of Object.entries(state.filters))
    if (value) params.set(name, value);
  for (const [name, value] of Object.entries(state.settings))
    if (value && value !== SETTINGS[name]) params.set(name, value);
  return "#" + params.toString();
}

/* Moves to a new state: one history entry per change, so Back undoes it. */
function go(change) {
  const state = readState();
  const next = {view: change.view || state.view,
                filters: change.filters || state.filters,
                settings: {...state.settings, ...(change.settings || {})}};
  const hash = stateHash(next);
  if (hash === location.hash) render();
  else location.hash = hash;   // the hashchange event renders
}

// ---------------------------------------------------------------- server

/* GET an endpoint; an error answer throws its {"error"} message. */
async function api(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${path}?${query}` : path);
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`${path}: the server answered ${response.status} without JSON`);
  }
  if (!response.ok)
    throw new Error(body.error || `${path}: the server answered ${response.status}`);
  return body;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

// ---------------------------------------------------------------- render

let renderCount = 0;

/* Draws the state in the hash.  A render that a newer one overtook (the
 * analyst clicked again before the answers came) draws nothing more:
 * `stale()` tells each view so. */
async function render() {
  const state = readState();
  const id = ++renderCount;
  const stale = () => id !== renderCount;
  document.body.dataset.state = "loading";
  showError("");
  showControls(state);
  try {
    await Promise.all([renderSummary(state, stale), VIEW_RENDERERS[state.view](state, stale)]);
    if (!stale()) document.body.dataset.state = "ready";
  } catch (error) {
    if (stale()) return;
    showError(error.message);
    // No count or chart of the previous filters under the new ones' error.
    document.getElementById("summary").replaceChildren();
    for (const chart of document.querySelectorAll(`#view-${state.view} .chart`)) chart.replaceChildren();
    document.body.dataset.state = "error";
  }
}

/* The tabs, the filter form and each view's inputs show the state. */
function showControls(state) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.view === state.view;
    tab.setAttribute("aria-selected", selected);
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  const form = document.getElementById("filters");
  for (const name of FILTERS) form.elements[name].value = state.filters[name] || "";
  for (const [name, value] of Object.entries(state.settings))
    for (const input of document.querySelectorAll(`main [name="${name}"]`)) input.value = value;
}

/* The summary of the last filters asked for: switching tabs keeps the
 * filters, and the count over a large database is not free. */
let summaryCache = {key: null, answer: null};

async function summaryOf(filters) {
  const key = new URLSearchParams(filters).toString();
  if (summaryCache.key !== key) summaryCache = {key, answer: api("/api/summary", filters)};
  try {
    return await summaryCache.answer;
  } catch (error) {
    summaryCache = {key: null, answer: null};   // ask again next time
    throw error;
  }
}

async function renderSummary(state, stale) {
  const s = await summaryOf(state.filters);
  if (stale()) return;
  const p = document.getElementById("summary");
  p.replaceChildren();
  const count = el("strong", {id: "summary-events"}, String(s.events));
  const span = s.first_day ? `, ${s.first_day} to ${s.last_day}` : "";
  p.append(count, ` events (${s.reports} reports) from ${s.documents} documents${span}`);
}

/* A DOM element with attributes and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function emptyNote(container, text) {
  container.replaceChildren(el("p", {class: "empty"}, text));
}

/* An SVG of width x height in `container`, scaled to fit it; `label`
 * says what it shows to a screen reader. */
function newSvg(container, width, height, className, label) {
  container.replaceChildren();
  return d3.select(container).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("width", width).attr("height", height)
    .attr("class", className).attr("role", "img").attr("aria-label", label);
}

// ---------------------------------------------------------------- time bins

const BIN_INTERVALS = {day: d3.utcDay, week: d3.utcMonday, month: d3.utcMonth};

/* Every bin name from the first to the last of `names` ("2011-03-21"...),
 * or just `names` sorted when that would be more than MAX_FILLED_BINS. */
function binRange(names, bin) {
  const sorted = [...new Set(names)].sort();
  const interval = BIN_INTERVALS[bin];
  if (sorted.length < 2 || !interval) return sorted;
  const first = new Date(sorted[0] + "T00:00:00Z");
  const last = new Date(sorted[sorted.length - 1] + "T00:00:00Z");
  const span = interval.count(first, last);
  if (span + 1 > MAX_FILLED_BINS) return sorted;
  return interval.range(first, interval.offset(last, 1)).map(d => d.toISOString().slice(0, 10));
}

/* A band axis over many bins labels about `ticks` of them. */
function bandAxis(scale, ticks = 8) {
  const domain = scale.domain();
  const step = Math.max(1, Math.ceil(domain.length / ticks));
  return d3.axisBottom(scale).tickValues(domain.filter((_, i) => i % step === 0));
}

// ---------------------------------------------------------------- overview

const ROOT_COLORS = d3.scaleOrdinal([...d3.schemeTableau10, ...d3.schemeSet3]);

function overviewColor(by, key) {
  return by === "quad" ? QUAD_COLORS[key] : ROOT_COLORS(key);
}

function overviewLabel(by, key) {
  return by === "quad" ? `${key} ${QUAD_NAMES[key] || ""}` : `root ${key}`;
}

async function renderOverview(state, stale) {
  const {bin, by} = state.settings;
  const answer = await api("/api/overview", {...state.filters, bin, by});
  if (stale()) return;
  const chart = document.getElementById("overview-chart");
  const legend = document.getElementById("overview-legend");
  legend.replaceChildren();
  if (!answer.series.length) return emptyNote(chart, "No events match the filters.");
  const keys = [...new Set(answer.series.map(d => String(d.key)))].sort();
  const bins = binRange(answer.series.map(d => d.bin), bin);
  drawStackedBars(chart, answer.series, bins, keys, by);
  for (const key of keys)
    legend.append(el("span", {}, swatch(overviewColor(by, key)), overviewLabel(by, key)));
}

function swatch(color) {
  const i = el("i");
  i.style.background = color;
  return i;
}

/* Bars of events per bin, stacked by key; each rect carries its bin, key
 * and count (data-*), which the browser tests add up. */
function drawStackedBars(container, series, bins, keys, by) {
  const width = 960, height = 360, m = {top: 10, right: 10, bottom: 30, left: 44};
  const table = new Map(bins.map(b => [b, {bin: b}]));
  for (const d of series) {
    const row = table.get(d.bin);
    if (row) row[String(d.key)] = d.events;
  }
  const rows = [...table.values()];
  const stack = d3.stack().keys(keys).value((row, key) => row[key] || 0)(rows);
  const x = d3.scaleBand(bins, [m.left, width - m.right]).padding(0.1);
  const top = d3.max(stack, layer => d3.max(layer, d => d[1])) || 1;
  const y = d3.scaleLinear([0, top], [height - m.bottom, m.top]).nice();
  const svg = newSvg(container, width, height, "overview",
                     `Events per ${bins.length} bins, by ${by === "quad" ? "QuadClass" : "CAMEO root"}`);
  svg.append("g").selectAll("g").data(stack).join("g")
    .attr("fill", layer => overviewColor(by, layer.key))
    .selectAll("rect").data(layer => layer.map(d => ({d, key: layer.key})))
    .join("rect")
    .filter(({d, key}) => d.data[key])
    .attr("class", "bar")
    .attr("data-bin", ({d}) => d.data.bin).attr("data-key", ({key}) => key)
    .attr("data-events", ({d, key}) => d.data[key])
    .attr("x", ({d}) => x(d.data.bin)).attr("width", Math.max(1, x.bandwidth()))
    .attr("y", ({d}) => y(d[1])).attr("height", ({d}) => y(d[0]) - y(d[1]))
    .append("title").text(({d, key}) => `${d.data.bin}, ${overviewLabel(by, key)}: ${d.data[key]} events`);
  svg.append("g").attr("transform", `translate(0,${height - m.bottom})`).call(bandAxis(x));
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6, "d"));
}

// ---------------------------------------------------------------- network

async function renderNetwork(state, stale) {
  const {level, limit} = state.settings;
  const answer = await api("/api/network", {...state.filters, level, limit});
  if (stale()) return;
  const chart = document.getElementById("network-chart");
  document.getElementById("network-events").replaceChildren();
  if (!answer.nodes.length) return emptyNote(chart, "No events match the filters.");
  drawNetwork(chart, answer, state);
}

/* The force layout is run to its end before drawing (a fixed number of
 * ticks), so the picture is the same on every load and nothing moves
 * under the analyst's pointer. */
function layoutNetwork(nodes, edges, width, height) {
  const simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(edges).id(d => d.id).distance(90))
    .force("charge", d3.forceManyBody().strength(-260))
    .force("x", d3.forceX(width / 2).strength(0.06))
    .force("y", d3.forceY(height / 2).strength(0.08))
    .force("collide", d3.forceCollide(d => d.r + 4))
    .stop();
  simulation.tick(300);
  for (const n of nodes) {
    n.x = Math.max(n.r + 2, Math.min(width - n.r - 2, n.x));
    n.y = Math.max(n.r + 2, Math.min(height - n.r - 14, n.y));
  }
}

/* An edge as an arc, so that A->B and B->A are two visible lines; it ends
 * at the target's rim, where the arrowhead goes. */
function edgePath(e) {
  const dx = e.target.x - e.source.x, dy = e.target.y - e.source.y;
  const dist = Math.hypot(dx, dy) || 1;
  const ex = e.target.x - (dx / dist) * (e.target.r + 3);
  const ey = e.target.y - (dy / dist) * (e.target.r + 3);
  return `M${e.source.x},${e.source.y}A${dist * 1.5},${dist * 1.5} 0 0,1 ${ex},${ey}`;
}

function drawNetwork(container, answer, state) {
  const width = 960, height = 560;
  const radius = d3.scaleSqrt([0, d3.max(answer.nodes, n => n.events)], [4, 26]);
  const thickness = d3.scaleSqrt([0, d3.max(answer.edges, e => e.events) || 1], [1, 8]);
  const nodes = answer.nodes.map(n => ({...n, r: radius(n.events)}));
  const edges = answer.edges.map(e => ({...e, sourceId: e.source, targetId: e.target}));
  layoutNetwork(nodes, edges, width, height);

  const svg = newSvg(container, width, height, "network",
                     `Network of ${nodes.length} actors and ${edges.length} directed edges`);
  svg.append("defs").append("marker").attr("id", "arrow")
    // In user units, so a thick edge does not get a huge arrowhead.
    .attr("viewBox", "0 -4 8 8").attr("refX", 7).attr("markerUnits", "userSpaceOnUse")
    .attr("markerWidth", 9).attr("markerHeight", 9)
    .attr("orient", "auto").append("path").attr("d", "M0,-4L8,0L0,4").attr("fill", "#555");
  const pick = (selection, onPick) => selection.attr("tabindex", 0)
    .on("click", (event, d) => onPick(event.currentTarget, d))
    .on("keydown", (event, d) => { if (event.key === "Enter" || event.key === " ") onPick(event.currentTarget, d); });

  svg.append("g").selectAll("path").data(edges).join("path")
    .attr("class", "edge").attr("d", edgePath).attr("marker-end", "url(#arrow)")
    .attr("stroke", e => goldsteinColor(e.goldstein_mean ?? 0))
    .attr("stroke-width", e => thickness(e.events))
    .attr("data-source", e => e.sourceId).attr("data-target", e => e.targetId)
    .attr("data-events", e => e.events)
    .attr("aria-label", e => `${e.sourceId} to ${e.targetId}: ${e.events} events`)
    .call(pick, (node, e) => { select(svg, node); listEdgeEvents(e, state); })
    .append("title").text(e => `${e.sourceId} → ${e.targetId}: ${e.events} events, mean Goldstein ${fmt(e.goldstein_mean)}`);

  const node = svg.append("g").selectAll("g").data(nodes).join("g")
    .attr("class", "node").attr("transform", n => `translate(${n.x},${n.y})`)
    .attr("data-id", n => n.id).attr("data-events", n => n.events)
    .attr("aria-label", n => `${n.id}: ${n.events} events`)
    .call(pick, (g, n) => { select(svg, g.querySelector("circle")); listNodeEvents(n, state); });
  node.append("circle").attr("r", n => n.r).attr("fill", "#8aa9c9");
  node.append("title").text(n => `${n.id}: ${n.events} events`);
  // The names last, over every edge and node, so none is hidden.
  svg.append("g").attr("class", "labels").selectAll("text").data(nodes).join("text")
    .attr("x", n => n.x).attr("y", n => n.y + n.r + 11).attr("text-anchor", "middle").text(n => n.id);
}

function select(svg, element) {
  svg.selectAll(".selected").classed("selected", false);
  d3.select(element).classed("selected", true);
}

function fmt(x) {
  return x === null || x === undefined ? "none" : (+x).toFixed(1);
}

/* The filter that selects a node's events: at the country level a node
 * is a country, unless it is an actor without one (IGOUNO). */
function nodeFilter(node, level) {
  return level === "country" && /^[A-Z]{3}$/.test(node.id) ? {country: node.id} : {actor: node.id};
}

/* A node's events.  Its actor (or country) replaces the filter bar's
 * actor (or country): the API takes one of each. */
async function listNodeEvents(node, state) {
  const box = document.getElementById("network-events");
  const params = {...state.filters, ...nodeFilter(node, state.settings.level), page_size: EVENTS_PAGE_MAX};
  await guard(async () => {
    const answer = await api("/api/events", params);
    box.replaceChildren(el("h2", {}, `Events of ${node.id}`), countNote(answer.events.length, answer.total));
    box.append(eventList(answer.events, openEvidence));
  });
}

/* The filter of one end of an edge: the exact code at the actor level;
 * at the country level the country's actors, or the exact code of an
 * actor without a country (nodeFilter's rule). */
function endFilter(end, id, level) {
  return level === "country" && /^[A-Z]{3}$/.test(id) ? {[end + "_country"]: id} : {[end]: id};
}

/* An edge's events: the server's first page of those from its source to
 * its target (docs/serve.md: source, target and their _country forms). */
async function listEdgeEvents(edge, state) {
  const box = document.getElementById("network-events");
  const level = state.settings.level;
  const params = {...state.filters, ...endFilter("source", edge.sourceId, level),
                  ...endFilter("target", edge.targetId, level), page_size: EVENTS_PAGE_MAX};
  await guard(async () => {
    const answer = await api("/api/events", params);
    const dyad = el("a", {href: stateHash({...state, view: "dyad",
                                            settings: {...state.settings, a: edge.sourceId, b: edge.targetId}})},
                    "its dyad timeline");
    box.replaceChildren(el("h2", {}, `Events of ${edge.sourceId} → ${edge.targetId}`),
                        countNote(answer.events.length, answer.total), el("p", {}, "See ", dyad, "."));
    box.append(eventList(answer.events, openEvidence));
  });
}

/* Runs an action started by a click; its failure is shown like a render's. */
async function guard(action) {
  try {
    showError("");
    await action();
  } catch (error) {
    showError(error.message);
  }
}

function countNote(shown, total) {
  return el("p", {}, shown < total ? `${shown} of ${total} events shown` : `${total} events`);
}

function openEvidence(event) {
  go({view: "evidence", settings: {event: String(event.id)}});
}

// ---------------------------------------------------------------- dyad

async function renderDyad(state, stale) {
  const {a, b, dbin} = state.settings;
  const goldstein = document.getElementById("dyad-goldstein");
  const quad = document.getElementById("dyad-quad");
  const legend = document.getElementById("dyad-legend");
  legend.replaceChildren();
  if (!a || !b) {
    emptyNote(quad, "");
    return emptyNote(goldstein, "Choose two actors (codes or prefixes: IRN and AZE), or click an edge of the network.");
  }
  const answer = await api("/api/dyad", {...state.filters, a, b, bin: dbin});
  if (stale()) return;
  if (!answer.series.length) {
    emptyNote(quad, "");
    return emptyNote(goldstein, `No events between ${a} and ${b} match the filters.`);
  }
  const bins = binRange(answer.series.map(d => d.bin), dbin);
  const byDirection = dir => new Map(answer.series.filter(d => d.direction === dir).map(d => [d.bin, d]));
  const directions = {"a>b": byDirection("a>b"), "b>a": byDirection("b>a")};
  drawDyadGoldstein(goldstein, bins, directions, a, b);
  drawDyadQuads(quad, bins, directions);
  legend.append(el("span", {}, swatch(DIRECTION_COLORS["a>b"]), `${a} → ${b}`),
                el("span", {}, swatch(DIRECTION_COLORS["b>a"]), `${b} → ${a}`));
  for (const q of [1, 2, 3, 4]) legend.append(el("span", {}, swatch(QUAD_COLORS[q]), `${q} ${QUAD_NAMES[q]}`));
}

const DIRECTION_COLORS = {"a>b": "#1b7837", "b>a": "#762a83"};

/* One line per direction: the Goldstein sum of each bin (0 when the bin
 * has no events). */
function drawDyadGoldstein(container, bins, directions, a, b) {
  const width = 960, height = 240, m = {top: 10, right: 10, bottom: 30, left: 44};
  const label = `Goldstein sum per bin of ${a} to ${b} and ${b} to ${a}`;
  const x = d3.scaleBand(bins, [m.left, width - m.right]);
  const values = Object.values(directions).flatMap(map => [...map.values()].map(d => d.goldstein || 0));
  const extent = Math.max(1, d3.max(values, Math.abs));
  const y = d3.scaleLinear([-extent, extent], [height - m.bottom, m.top]).nice();
  const svg = newSvg(container, width, height, "dyad", label);
  svg.append("line").attr("x1", m.left).attr("x2", width - m.right)
    .attr("y1", y(0)).attr("y2", y(0)).attr("stroke", "#aaa");
  for (const [dir, map] of Object.entries(directions)) {
    const points = bins.map(bin => [x(bin) + x.bandwidth() / 2, y(map.get(bin)?.goldstein || 0)]);
    svg.append("path").attr("class", `line ${dir === "a>b" ? "ab" : "ba"}`)
      .attr("fill", "none").attr("stroke", DIRECTION_COLORS[dir]).attr("stroke-width", 2)
      .attr("d", d3.line()(points))
      .append("title").text(dir === "a>b" ? `${a} → ${b}` : `${b} → ${a}`);
  }
  svg.append("g").attr("transform", `translate(0,${height - m.bottom})`).call(bandAxis(x));
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5));
}

/* The four QuadClass counts stacked, A->B above the axis, B->A below. */
function drawDyadQuads(container, bins, directions) {
  const width = 960, height = 240, m = {top: 10, right: 10, bottom: 30, left: 44};
  const x = d3.scaleBand(bins, [m.left, width - m.right]).padding(0.1);
  const most = d3.max(Object.values(directions), map => d3.max([...map.values()], d => d.events)) || 1;
  const y = d3.scaleLinear([-most, most], [height - m.bottom, m.top]).nice();
  const svg = newSvg(container, width, height, "dyad", "Events per QuadClass and bin, each direction");
  for (const [dir, map] of Object.entries(directions)) {
    const sign = dir === "a>b" ? 1 : -1;
    for (const d of map.values()) {
      let base = 0;
      d.quad.forEach((count, i) => {
        if (!count) return;
        const y0 = y(sign * base), y1 = y(sign * (base + count));
        svg.append("rect").attr("class", "bar").attr("data-direction", dir)
          .attr("data-quad", i + 1).attr("data-events", count)
          .attr("x", x(d.bin)).attr("width", Math.max(1, x.bandwidth()))
          .attr("y", Math.min(y0, y1)).attr("height", Math.abs(y1 - y0))
          .attr("fill", QUAD_COLORS[i + 1])
          .append("title").text(`${d.bin} ${dir}: ${count} ${QUAD_NAMES[i + 1]}`);
        base += count;
      });
    }
  }
  svg.append("g").attr("transform", `translate(0,${y(0)})`).call(bandAxis(x));
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(5).tickFormat(v => Math.abs(v)));
}

// ---------------------------------------------------------------- map

/* Precision drawn so it can be told apart at a glance: a city is a small
 * solid dot, a region a medium ring, a country's centroid a large
 * translucent disc (the event is somewhere in that country).  Larger
 * places are drawn first, so a city on top of its country shows. */
const PRECISION_STYLE = {
  country: {radius: 16, order: 0, label: "country (centroid)"},
  region: {radius: 8, order: 1, label: "region"},
  city: {radius: 3.5, order: 2, label: "city"},
};
const MAP_PLACES_LIMIT = 2000;   // the server's default: enough dots to read

let worldPromise = null;

/* The countries, loaded once from the vendored world-atlas file. */
function loadWorld() {
  worldPromise ||= fetch("vendor/countries-110m.json").then(r => {
    if (!r.ok) throw new Error(`vendor/countries-110m.json: ${r.status}`);
    return r.json();
  }).then(topology => topojson.feature(topology, topology.objects.countries));
  return worldPromise;
}

async function renderMap(state, stale) {
  const [world, answer] = await Promise.all([loadWorld(), api("/api/map", {...state.filters, limit: MAP_PLACES_LIMIT})]);
  if (stale()) return;
  drawMap(document.getElementById("map-chart"), world, answer.places);
  drawMapLegend(document.getElementById("map-legend"));
}

function placeRadius(place) {
  const style = PRECISION_STYLE[place.precision] || PRECISION_STYLE.country;
  return style.radius * (1 + 0.25 * Math.log2(Math.max(1, place.events)));
}

function drawMap(container, world, places) {
  const width = 960, height = 500;
  const projection = d3.geoNaturalEarth1().fitSize([width, height], {type: "Sphere"});
  const path = d3.geoPath(projection);
  const svg = newSvg(container, width, height, "map", `World map with ${places.length} places of events`);
  svg.append("path").attr("class", "sphere").attr("d", path({type: "Sphere"}));
  svg.append("g").selectAll("path").data(world.features).join("path")
    .attr("class", "country").attr("d", path)
    .append("title").text(f => f.properties.name);
  const located = places.filter(p => p.lat !== null && p.lon !== null)
    .sort((p, q) => (PRECISION_STYLE[p.precision]?.order ?? 0) - (PRECISION_STYLE[q.precision]?.order ?? 0));
  svg.append("g").selectAll("circle").data(located).join("circle")
    .attr("class", p => `place ${p.precision}`)
    .attr("data-name", p => p.name).attr("data-events", p => p.events)
    .attr("cx", p => projection([p.lon, p.lat])[0]).attr("cy", p => projection([p.lon, p.lat])[1])
    .attr("r", placeRadius)
    .append("title").text(p => `${p.name} (${p.country || "?"}), ${p.precision}: ${p.events} events`);
  if (!located.length)
    svg.append("text").attr("x", width / 2).attr("y", height / 2).attr("text-anchor", "middle")
      .attr("class", "empty").text("No located events match the filters.");
}

function drawMapLegend(container) {
  container.replaceChildren();
  for (const [precision, style] of Object.entries(PRECISION_STYLE).reverse()) {
    const size = 2 * style.radius + 4;
    const svg = d3.create("svg").attr("width", size).attr("height", size).attr("class", "map");
    svg.append("circle").attr("class", `place ${precision}`)
      .attr("cx", size / 2).attr("cy", size / 2).attr("r", style.radius);
    container.append(el("span", {}, svg.node(), style.label));
  }
  container.append(el("span", {}, "(larger with more events)"));
}

// ---------------------------------------------------------------- evidence

async function renderEvidence(state, stale) {
  const {sort, page, event} = state.settings;
  const answer = await api("/api/events", {...state.filters, sort, page, page_size: PAGE_SIZE});
  if (stale()) return;
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  document.getElementById("page-info").textContent = `page ${answer.page} of ${pages} (${answer.total} events)`;
  document.getElementById("page-prev").disabled = answer.page <= 1;
  document.getElementById("page-next").disabled = answer.page >= pages;
  const list = document.getElementById("event-list");
  list.replaceChildren(answer.events.length ? eventList(answer.events, e => go({settings: {event: String(e.id)}}), event)
                                            : el("p", {class: "empty"}, "No events match the filters."));
  const detail = document.getElementById("event-detail");
  if (!event) return detail.replaceChildren();
  const evidence = await api(`/api/event/${encodeURIComponent(event)}`);
  if (!stale()) detail.replaceChildren(...evidenceView(evidence));
}

/* Events as buttons (focusable, opened with Enter or a click). */
function eventList(events, onOpen, selectedId = "") {
  const list = el("div", {class: "events"});
  for (const e of events) {
    const item = el("button", {type: "button", class: "event", "data-id": e.id,
                               "aria-pressed": String(String(e.id) === selectedId)},
      el("span", {class: "meta"}, `${e.day || "no date"} · ${e.source} → ${e.target} · ${e.code}`,
         e.event_name ? ` ${e.event_name}` : "", ` · Goldstein ${fmt(e.goldstein)}`,
         e.mentions > 1 ? ` · ${e.mentions} reports` : ""),
      el("br"), e.sentence);
    item.addEventListener("click", () => onOpen(e));
    list.append(item);
  }
  return list;
}

/* Byte offset `i` of UTF-8 `bytes` moved back to the start of its
 * character, so a bad offset never splits one. */
function charStart(bytes, i) {
  i = Math.max(0, Math.min(bytes.length, i));
  while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i--;
  return i;
}

/* The sentence with its source, verb and target marked.  The offsets are
 * byte ranges into the UTF-8 text (schema.md), not JavaScript's UTF-16
 * indexes, so the sentence is cut as bytes and each piece decoded.  A
 * piece inside several ranges (a verb inside its target's words) is
 * nested in one <mark> per range, so each role's marks read as its words. */
function highlightSentence(sentence, offsets) {
  const bytes = new TextEncoder().encode(sentence);
  const spans = ["source", "verb", "target"]
    .filter(role => Array.isArray(offsets?.[role]))
    .map(role => ({role, start: charStart(bytes, offsets[role][0]), end: charStart(bytes, offsets[role][1])}))
    .filter(span => span.start < span.end);
  const cuts = [...new Set([0, bytes.length, ...spans.flatMap(s => [s.start, s.end])])].sort((p, q) => p - q);
  const decoder = new TextDecoder();
  const p = el("p", {class: "sentence"});
  for (let i = 0; i + 1 < cuts.length; i++) {
    let piece = document.createTextNode(decoder.decode(bytes.subarray(cuts[i], cuts[i + 1])));
    for (const span of spans.filter(s => s.start <= cuts[i] && cuts[i + 1] <= s.end).reverse()) {
      const mark = el("mark", {class: span.role, "data-role": span.role, title: span.role});
      mark.append(piece);
      piece = mark;
    }
    p.append(piece);
  }
  return p;
}

const FLAGS = ["negated", "passive", "hypothetical", "future", "paired", "historical"];

/* One event's evidence: its sentence, how it was coded, its document and
 * the reports merged with it. */
function evidenceView(e) {
  const rows = [
    ["event", `${e.source} → ${e.target}: ${e.code}${e.event_name ? " " + e.event_name : ""}`],
    ["day", e.day ? `${e.day}${e.date_source ? ` (${e.date_source}, precision ${e.date_precision || "?"})` : ""}` : "none"],
    ["QuadClass", e.quad ? `${e.quad} ${QUAD_NAMES[e.quad]}` : "none"],
    ["Goldstein", fmt(e.goldstein)],
    ["PLOVER", e.plover || "none"],
    ["pattern", el("code", {}, e.pattern || "none")],
    ["dictionary", el("code", {}, e.dict || "none")],
  ];
  const flags = FLAGS.filter(f => e[f] || e.flags?.[f] || (Array.isArray(e.flags) && e.flags.includes(f)));
  if (flags.length) rows.push(["flags", flags.join(", ")]);
  if (e.place) rows.push(["place", `${e.place.name || "?"} (${e.place.country || "?"}, ${e.place.precision || "?"})`]);
  if (e.quote) rows.push(["quotation", `${e.speaker ? e.speaker + ": " : ""}“${e.quote}”`]);
  // The document as one member, or its fields in the event itself.
  if (e.event_id) rows.push(["stable id", el("code", {}, String(e.event_id))]);
  rows.push(...documentRows(e.document || {doc_id: e.doc_id, title: e.title, date: e.doc_date,
                                            url: e.url, outlet: e.outlet}));
  const dl = el("dl");
  for (const [name, value] of rows) dl.append(el("dt", {}, name), el("dd", {}, value));
  return [el("h2", {}, `Event ${e.id}`), highlightSentence(e.sentence, e.offsets),
          legendOfMarks(), dl, mentionsView(e.mentions, e.id)];
}

function documentRows(doc) {
  const rows = [["document", doc.title || doc.doc_id || "untitled"]];
  if (doc.doc_id && doc.title) rows.push(["document id", doc.doc_id]);
  rows.push(["document date", doc.date || "none"]);
  if (doc.outlet) rows.push(["outlet", doc.outlet]);
  if (doc.url) rows.push(["URL", el("a", {href: doc.url, rel: "noopener noreferrer"}, doc.url)]);
  return rows;
}

function legendOfMarks() {
  return el("p", {class: "legend"}, el("mark", {class: "source"}, "source"), " ",
            el("mark", {class: "verb"}, "verb"), " ", el("mark", {class: "target"}, "target"));
}

/* The reports merged into this event (its own first), each with its
 * document and sentence. */
function mentionsView(mentions, ownId) {
  const reports = Array.isArray(mentions) ? mentions : [];
  const section = el("section", {class: "mentions"}, el("h3", {}, `Reports (${reports.length || mentions || 1})`));
  const ol = el("ol");
  for (const m of reports) {
    const doc = typeof m.document === "object" && m.document ? m.document : {doc_id: m.document || m.doc_id};
    const own = m.id === ownId ? " (this report)" : "";
    ol.append(el("li", {}, `${doc.title || doc.doc_id || "?"}${doc.date ? ", " + doc.date : ""}${own}: `, m.sentence || ""));
  }
  section.append(ol);
  return section;
}

// ---------------------------------------------------------------- wiring

const VIEW_RENDERERS = {overview: renderOverview, network: renderNetwork, dyad: renderDyad,
                        map: renderMap, evidence: renderEvidence};

/* The filter form's values, the empty ones left out. */
function formFilters() {
  const form = document.getElementById("filters");
  const filters = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function wireTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => go({view: tab.dataset.view}));
    // Arrow keys move between tabs, as in the ARIA tabs pattern.
    tab.addEventListener("keydown", event => {
      const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      next.focus();
      go({view: next.dataset.view});
    });
  }
}

function wireForms() {
  document.getElementById("filters").addEventListener("submit", event => {
    event.preventDefault();
    go({filters: formFilters(), settings: {page: "1", event: ""}});
  });
  document.getElementById("clear-filters").addEventListener("click", () =>
    go({filters: {}, settings: {page: "1", event: ""}}));
  document.getElementById("dyad-form").addEventListener("submit", event => {
    event.preventDefault();
    const form = event.currentTarget.elements;
    go({settings: {a: form.a.value.trim().toUpperCase(), b: form.b.value.trim().toUpperCase()}});
  });
  // A view's select or number input applies as soon as it changes.
  for (const input of document.querySelectorAll("main select, main input[type=number]"))
    input.addEventListener("change", () => go({settings: {[input.name]: input.value, page: "1"}}));
  const turn = step => () => go({settings: {page: String(Math.max(1, +readState().settings.page + step))}});
  document.getElementById("page-prev").addEventListener("click", turn(-1));
  document.getElementById("page-next").addEventListener("click", turn(1));
}

wireTabs();
wireForms();
window.addEventListener("hashchange", render);
render();
