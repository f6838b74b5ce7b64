// tabletop-sim exercise pages: one script for the facilitator, the player stations and the projector.
// Every string from the server goes in with textContent (never innerHTML); nothing is fetched from elsewhere.
"use strict";

const code = new URLSearchParams(location.search).get("code") || "";
const role = document.body.dataset.role;
const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

function url(path) {
  return path + "?code=" + encodeURIComponent(code);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function fill(id, nodes) {
  const node = $(id);
  if (node) node.replaceChildren(...nodes);
}

function showError(message) {
  const node = $("error");
  node.textContent = message || "";
  node.hidden = !message;
}

async function act(body) {
  try {
    const r = await fetch(url("/api/act"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await r.json();
    showError(r.ok ? "" : answer.error);
  } catch (e) {
    showError("the server does not answer: " + e);
  }
}

function common(st) {
  $("clock").textContent = st.clock;
  $("state").textContent = st.state;
  $("state").className = "state " + st.state;
  $("pace").textContent = st.pace;
  const d = $("debrief");
  if (st.debrief === "ready") {
    d.replaceChildren(el("a", { href: url("/debrief"), id: "debrief-link" }, "The debrief is ready: open it"));
  } else if (st.state === "finished") {
    d.replaceChildren("The exercise is over; the debrief is " + st.debrief + ".");
  }
  d.hidden = st.state !== "finished";
}

function feed(lines) {
  fill("feed", lines.map((x) =>
    el("li", {}, el("span", { class: "t" }, x.t), " ", el("strong", {}, x.actor), " ", x.what,
      x.detail ? el("span", { class: "muted" }, " " + x.detail) : "")));
}

function readiness(items, tag, linksDown) {
  fill("readiness", items.map(([unit, level]) => el(tag, { class: "unit" }, unit + ": " + level)));
  $("links").textContent = linksDown.length ? linksDown.join(", ") : "none known";
}

function promptBox(p, withButtons) {
  const head = el("p", { class: "ask" }, "DECIDE ", p.kind, " ", el("strong", {}, p.subject), withButtons ? "" : " at " + p.post);
  const timer = el("p", { class: "timer" + (p.urgent ? " urgent" : "") },
    "open for " + p.open_for, p.impact_in ? "   impact in " + p.impact_in + " by the track" : "");
  const box = el("div", { class: "prompt", "data-prompt": p.id }, head, timer);
  if (withButtons) {
    const row = el("div", { class: "options" });
    for (const option of p.options) {
      const b = el("button", { type: "button", class: "option", "data-answer": option }, option);
      b.addEventListener("click", () => act({ action: "decide", prompt: p.id, answer: option }));
      row.append(b);
    }
    box.append(row);
  }
  return box;
}

// The open decisions, kept in place between pushes (only their timers change), so a button is never
// replaced under the pointer while someone clicks it.
function syncPrompts(id, prompts, withButtons, wrap, empty) {
  const box = $(id);
  const keep = new Map();
  for (const child of box.children) if (child.dataset.prompt !== undefined) keep.set(child.dataset.prompt, child);
  const nodes = prompts.map((p) => {
    const old = keep.get(String(p.id));
    if (old) {
      const fresh = promptBox(p, false).querySelector(".timer");
      old.querySelector(".timer").replaceWith(fresh);
      return old;
    }
    const node = wrap ? el(wrap, {}, promptBox(p, withButtons)) : promptBox(p, withButtons);
    node.dataset.prompt = p.id;
    return node;
  });
  if (!nodes.length && empty) nodes.push(el(wrap || "p", { class: "muted" }, empty));
  const same = nodes.length === box.children.length && nodes.every((n, i) => n === box.children[i]);
  if (!same) box.replaceChildren(...nodes);
}

const render = {
  post(st) {
    syncPrompts("prompts", st.prompts, true, null, "No decision for your post. Watch the feed.");
    fill("tracks", st.tracks.map((t) => el("tr", {}, el("td", {}, t.name), el("td", {}, t.status), el("td", {}, t.prediction))));
    readiness(st.readiness, "span", st.links_down);
    feed(st.feed);
  },
  projector(st) {
    const live = $("live");
    const nodes = [];
    for (const t of st.tracks) {
      if (t.impact) {
        const [x, y] = t.impact;
        nodes.push(svg("circle", { cx: x, cy: y, r: 2 * t.sigma, class: "sigma2" }));
        nodes.push(svg("circle", { cx: x, cy: y, r: t.sigma, class: "sigma1" }));
        nodes.push(svg("path", { d: `M${x - 7},${y - 7}L${x + 7},${y + 7}M${x - 7},${y + 7}L${x + 7},${y - 7}`, class: "impact" }));
      }
      if (t.trail.length) {
        nodes.push(svg("polyline", { points: t.trail.map((p) => p.join(",")).join(" "), class: "trail" + (t.ended ? " ended" : "") }));
        const [hx, hy] = t.trail[t.trail.length - 1];
        nodes.push(svg("circle", { cx: hx, cy: hy, r: 6, class: "head" + (t.ended ? " ended" : "") }));
        nodes.push(svg("text", { x: hx + 9, y: hy + 5, class: "track-label" }, t.name));
      }
    }
    live.replaceChildren(...nodes);
    fill("tracks", st.tracks.length ? st.tracks.map((t) => el("li", {}, el("strong", {}, t.name), " " + t.status + ": " + t.prediction))
      : [el("li", { class: "muted" }, "no track")]);
    syncPrompts("prompts", st.prompts, false, null, "");
    readiness(st.readiness, "li", st.links_down);
    feed(st.feed);
  },
  facilitator(st) {
    syncPrompts("prompts", st.prompts, false, "li", "none open");
    fill("decisions", st.decisions.map((d) => el("tr", {}, ...[d.t, d.post, d.decision, d.answer, d.by, d.took].map((c) => el("td", {}, c)))));
    fill("injects", st.injects.map((i) => el("tr", {}, el("td", {}, i.t), el("td", {}, i.inject))));
    fill("truth", st.truth.map((e) => el("tr", {}, ...[e.t, e.actor, e.what, e.detail].map((c) => el("td", {}, c)))));
    fill("joins", st.links.map(([r, href]) => el("li", {}, r + ": ", el("a", { href: href, target: "_blank" }, location.origin + href))));
    $("start").disabled = st.state !== "paused";
    $("pause").disabled = st.state !== "running";
    for (const id of ["skip", "end", "set-pace"]) $(id).disabled = st.state === "finished";
  },
};

function wire() {
  for (const b of document.querySelectorAll("button[data-action]")) {
    b.addEventListener("click", () => act({ action: b.dataset.action }));
  }
  const setPace = $("set-pace");
  if (setPace) setPace.addEventListener("click", () => act({ action: "pace", pace: $("pace-value").value }));
  const form = $("inject");
  if (form) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      act(Object.assign({ action: "inject" }, Object.fromEntries(new FormData(form))));
    });
  }
}

function connect() {
  const source = new EventSource(url("/api/events"));
  source.onmessage = (e) => {
    const st = JSON.parse(e.data);
    common(st);
    render[role](st);
    document.body.dataset.version = st.version;
  };
  source.onerror = () => {
    $("state").textContent = "reconnecting";
    $("state").className = "state paused";
  };
}

wire();
connect();
