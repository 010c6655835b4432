// The grid worker's phone: every visit goes through a queue in IndexedDB (zhenxing/visits), so a
// visit made without signal is kept on the phone and sent when the signal returns. Each item has
// an id made here (client_id), so a retry after a lost answer never saves the visit twice.
// Photos are shrunk (1280 px, JPEG 0.7) before they are stored. The service worker (pages
// offline) needs https or localhost: without it the queue still works. Plain ES2017, no library.
// window.zxQueue exposes the queue to the tests and the benchmark.
(function () {
  "use strict";
  const body = document.body;
  const STORE = "visits";
  const MAX_PHOTOS = 3;
  const MAX_SIDE = 1280;
  const TIMEOUT = 120000; // photos over a weak link are slow; the client_id makes a retry safe
  const block = document.getElementById("phone-messages");
  const msgs = block ? JSON.parse(block.textContent || "{}") : {};
  const msg = (key) => msgs[key] || key;
  let signedOut = false;

  function uuid() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID(); // only in secure contexts
    const b = c.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => (x + 0x100).toString(16).slice(1)).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // ISO 8601 with the phone's local offset: 2026-03-04T09:15:00.000+08:00.
  function isoLocal(d) {
    const p = (n, w) => String(Math.abs(n)).padStart(w || 2, "0");
    const off = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" +
      p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + "." +
      p(d.getMilliseconds(), 3) + (off < 0 ? "-" : "+") + p(Math.floor(Math.abs(off) / 60)) +
      ":" + p(Math.abs(off) % 60);
  }

  // --- storage: IndexedDB, or a Map for the page's life if the browser refuses IndexedDB -----
  const memory = new Map();
  const memStore = {
    put: (i) => memory.set(i.client_id, i), delete: (id) => memory.delete(id), clear: () => memory.clear(),
  };
  let opening = null;
  function db() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        if (!window.indexedDB) throw new Error("no IndexedDB");
        const req = indexedDB.open("zhenxing", 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "client_id" });
        req.onsuccess = () => {
          req.result.onversionchange = () => { req.result.close(); opening = null; };
          resolve(req.result);
        };
        req.onerror = () => reject(req.error);
      }).catch(() => null);
    }
    return opening;
  }
  const write = (fn) => db().then((d) => {
    if (!d) return void fn(memStore);
    return new Promise((resolve, reject) => {
      const tx = d.transaction(STORE, "readwrite");
      fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error || new Error("IndexedDB"));
    });
  });
  const items = () => db().then((d) => {
    if (!d) return Array.from(memory.values());
    return new Promise((resolve, reject) => {
      const req = d.transaction(STORE, "readonly").objectStore(STORE).getAll();
      req.onsuccess = () => resolve(req.result || []);
      req.onerror = () => reject(req.error);
    });
  }).then((list) => list.sort((a, b) => Date.parse(a.visited_at) - Date.parse(b.visited_at)));
  const put = (item) => write((s) => s.put(item));
  const remove = (id) => write((s) => s.delete(id));
  const count = () => items().then((list) => list.length);
  const clear = () => write((s) => s.clear()).then(refresh);
  function add(item) {
    const full = Object.assign({ household: "", household_version: "", label: "", checked: [],
      values: {}, notes: "", latitude: null, longitude: null, photos: [], reason: "", conflict: null }, item);
    full.client_id = full.client_id || uuid();
    full.visited_at = full.visited_at || isoLocal(new Date());
    full.status = full.status || "waiting";
    return put(full).then(refresh).then(() => full);
  }

  // --- sending -------------------------------------------------------------------------------
  function csrf() {
    // The cookie first: a page served from the cache may carry a token older than the last sign-in.
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : body.dataset.csrf || "";
  }
  function formData(item) {
    const fd = new FormData();
    ["client_id", "household", "household_version", "visited_at"]
      .forEach((k) => fd.append(k, String(item[k])));
    (item.checked || []).forEach((c) => fd.append("checked", c));
    Object.keys(item.values || {}).forEach((k) => fd.append("value_" + k, item.values[k]));
    ["notes", "latitude", "longitude"].forEach((k) => {
      if (item[k] !== null && item[k] !== undefined && item[k] !== "") fd.append(k, item[k]);
    });
    (item.photos || []).forEach((blob, i) => fd.append("photos", blob, "photo" + (i + 1) + ".jpg"));
    return fd;
  }
  function post(item) {
    const ctl = window.AbortController ? new AbortController() : null;
    const init = { method: "POST", body: formData(item), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" } };
    if (ctl) init.signal = ctl.signal;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { if (ctl) ctl.abort(); reject(new Error("timeout")); }, TIMEOUT);
      const done = (fn) => (x) => { clearTimeout(timer); fn(x); };
      fetch(body.dataset.syncUrl, init).then(done(resolve), done(reject));
    });
  }
  function reasonOf(data) {
    const errs = data.errors && typeof data.errors === "object" ? data.errors : {};
    const parts = Object.keys(errs).map((k) => [].concat(errs[k]).join(" "));
    return [data.message || ""].concat(parts).filter(Boolean).join(" · ");
  }
  // One item: "sent" (gone from the queue), "kept" (refused or in conflict), "stop" (try later).
  async function send(item) {
    let response;
    try { response = await post(item); } catch (e) { return "stop"; }
    let data = null;
    if ((response.headers.get("content-type") || "").indexOf("json") >= 0) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    const st = response.status;
    // A 403 with a JSON refusal is the server saying no; any other 401/403 or a login page is
    // a lost session (or a stale CSRF token): keep the item and stop until the worker signs in.
    if (response.redirected || st === 401 || (st === 403 && !(data && data.status === "rejected")) ||
        (st < 300 && !data)) {
      signedOut = true;
      item.reason = "signed_out";
      return put(item).then(() => "stop");
    }
    if (st >= 500 || st === 408 || st === 429) return "stop";
    signedOut = false;
    if (st < 300 && (data.status === "saved" || data.status === "duplicate")) {
      return remove(item.client_id).then(() => "sent");
    }
    if (st === 409 && data && data.household) {
      item.status = "conflict";
      item.reason = data.message || "";
      const h = data.household;
      item.conflict = { message: item.reason, version: h.version, values: h.values || {} };
    } else { // a 409 without the household's present state cannot be resolved by a retry
      item.status = "rejected";
      item.reason = data ? reasonOf(data) : "HTTP " + st;
    }
    return put(item).then(() => "kept");
  }
  let running = null;
  let again = false; // a flush asked for while one runs: run the list once more at its end
  function flush() {
    if (running) { again = true; return running; }
    running = (async () => {
      let sent = 0;
      try {
        let stop = false;
        do {
          again = false;
          for (const item of await items()) {
            if (item.status !== "waiting") continue;
            const outcome = await send(item);
            if (outcome === "sent") sent += 1;
            await refresh();
            if (outcome === "stop") { stop = true; break; }
          }
        } while (again && !stop);
        await refresh();
        return { sent: sent, kept: await count() };
      } finally {
        running = null;
      }
    })();
    return running;
  }

  // --- display -------------------------------------------------------------------------------
  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    return node;
  }
  const MARK = { true: "✓", false: "✗", null: "?", yes: "✓", no: "✗", unknown: "?" };
  const button = (key, action) => el("button", msg(key), { type: "button", "data-action": action });
  function renderItem(item) {
    const li = el("li", "", { class: item.status, "data-id": item.client_id });
    li.append(el("strong", item.label || String(item.household)),
      el("span", " " + String(item.visited_at).slice(5, 16).replace("T", " "), { class: "muted" }),
      el("br"));
    if (item.status === "conflict") {
      const c = item.conflict || {};
      // The household's present values; "→" and my value where my visit changes one.
      const mine = item.values || {};
      const present = Object.keys(c.values || {}).map((k) =>
        k + " " + MARK[String(c.values[k])] + (k in mine ? " → " + MARK[mine[k]] : ""));
      li.append(el("span", msg("conflict") + (c.message ? ": " + c.message : "")),
        el("div", present.join(" · "), { class: "muted" }),
        button("keep_mine", "mine"), button("keep_theirs", "theirs"));
    } else if (item.status === "rejected") {
      li.append(el("span", msg("rejected") + (item.reason ? ": " + item.reason : "")),
        button("discard", "discard"));
    } else {
      li.append(el("span", item.reason ? msg(item.reason) : msg("queued")));
    }
    return li;
  }
  async function refresh() {
    const list = await items();
    const badge = document.getElementById("queue-count");
    if (badge) {
      const notes = [!navigator.onLine && msg("offline"), signedOut && list.length && msg("signed_out")]
        .filter(Boolean);
      const text = list.length ? msg("waiting").replace("%n", list.length) : msg("none_waiting");
      badge.textContent = [text].concat(notes).join(" · ");
      badge.title = notes.join(" · ");
    }
    const ul = document.getElementById("queue-list");
    if (ul) {
      ul.textContent = "";
      list.forEach((item) => ul.appendChild(renderItem(item)));
      const retry = document.getElementById("queue-retry");
      if (retry) retry.hidden = !list.length;
    }
  }
  async function onQueueClick(event) {
    const target = event.target.closest("button[data-action]");
    const li = target && target.closest("li[data-id]");
    if (!li) return;
    target.disabled = true;
    const item = (await items()).find((i) => i.client_id === li.dataset.id);
    if (item && target.dataset.action === "discard") await remove(item.client_id);
    else if (item) {
      if (target.dataset.action === "theirs") item.values = {};
      if (item.conflict) item.household_version = item.conflict.version;
      Object.assign(item, { status: "waiting", reason: "", conflict: null });
      await put(item);
      flush();
    }
    await refresh();
  }

  // --- the visit form ------------------------------------------------------------------------
  const shrink = (file) => new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => resolve(blob), "image/jpeg", 0.7);
    };
    img.onerror = () => { // not decodable here: keep it only if the server can take it as it is
      URL.revokeObjectURL(url);
      resolve(/^image\/(jpeg|png|webp)$/.test(file.type) ? file : null);
    };
    img.src = url;
  });
  async function shrinkAll(files) { // one at a time: a cheap phone's memory
    const out = [];
    for (const file of Array.from(files || []).slice(0, MAX_PHOTOS)) out.push(await shrink(file));
    return out.filter(Boolean);
  }
  const position = (wanted) => new Promise((resolve) => {
    if (!wanted || !navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition((p) => resolve(p.coords), () => resolve(null),
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
  async function onSubmit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const submit = form.querySelector("[type=submit]");
    const visitedAt = isoLocal(new Date());
    const say = (text) => {
      const p = document.getElementById("visit-status");
      if (p) p.textContent = text;
    };
    if (submit) submit.disabled = true;
    try {
      const values = {};
      const selects = Array.from(form.querySelectorAll("select[name^='value_']"));
      selects.forEach((s) => {
        if (s.value !== s.dataset.initial) values[s.name.slice(6)] = s.value;
      });
      const field = (selector) => form.querySelector(selector) || {};
      const found = await Promise.all([shrinkAll(field("input[name=photos]").files),
        position(field("input[name=locate]").checked)]);
      const coords = found[1];
      const item = await add({
        household: form.dataset.household, household_version: form.dataset.version,
        label: form.dataset.label || "", visited_at: visitedAt, values: values,
        checked: Array.from(form.querySelectorAll("input[type=checkbox][name=checked]:checked"),
          (c) => c.value),
        notes: String(field("textarea[name=notes]").value || "").trim(), photos: found[0],
        latitude: coords ? coords.latitude.toFixed(6) : null,
        longitude: coords ? coords.longitude.toFixed(6) : null,
      });
      // What was recorded becomes the form's state, so a second tap does not queue it again.
      selects.forEach((s) => {
        s.dataset.initial = s.value;
        Array.from(s.options).forEach((o) => { o.defaultSelected = o.selected; });
      });
      form.reset();
      say(msg("queued"));
      await flush();
      const left = (await items()).find((i) => i.client_id === item.client_id);
      if (!left) say(msg("sent"));
      else if (left.status !== "waiting") {
        say(msg(left.status) + (left.reason ? ": " + left.reason : ""));
      }
    } catch (e) {
      say(String(e && e.message ? e.message : e));
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  // --- service worker and start --------------------------------------------------------------
  function registerWorker() {
    if (!("serviceWorker" in navigator) || !body.dataset.swUrl) return;
    const swUrl = new URL(body.dataset.swUrl, location.href);
    const scope = new URL("./", swUrl).pathname; // "/grid/m/"
    navigator.serviceWorker.register(swUrl.href, { scope: scope }).then(() => {
      if (!document.getElementById("to-visit") || !navigator.onLine) return undefined;
      return navigator.serviceWorker.ready.then((reg) => {
        const urls = Array.from(document.querySelectorAll("a[data-card]"), (a) => a.href)
          .slice(0, 300);
        if (reg.active && urls.length) reg.active.postMessage({ type: "precache", urls: urls });
      });
    }).catch(() => undefined); // no worker (plain http, old browser): the queue works without it
  }
  async function start() {
    await db();
    const ul = document.getElementById("queue-list");
    if (ul) {
      ul.addEventListener("click", onQueueClick);
      const retry = el("button", msg("retry"), { type: "button", id: "queue-retry" });
      retry.addEventListener("click", () => flush());
      ul.parentNode.insertBefore(retry, ul.nextSibling);
    }
    await refresh();
    body.dataset.queueReady = "1";
    const form = document.getElementById("visit-form");
    if (form) form.addEventListener("submit", onSubmit);
    window.addEventListener("online", () => { refresh(); flush(); });
    window.addEventListener("offline", () => refresh());
    setInterval(() => { if (navigator.onLine) flush(); }, 30000);
    if (document.readyState === "complete") registerWorker();
    else window.addEventListener("load", registerWorker);
    flush();
  }

  window.zxQueue = { add: add, flush: flush, items: items, count: count, clear: clear };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
