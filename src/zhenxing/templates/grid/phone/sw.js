{% load static %}// The grid worker's phone pages offline: a household visit happens where there is no signal, so
// the phone pages (/grid/m/, its household cards) are cached when seen, and the phone's static
// files when this worker installs. Pages: network first (4 s), then the cache, then the cached
// home page; static files: cache first. Never cached: POSTs, the sync endpoint, /api/, other
// origins. The visits themselves are queued by grid_phone.js in IndexedDB, not here.
"use strict";
const VERSION = "{{ version }}";
const PRECACHE = [{{ precache|safe }}];
const STATIC = "{% get_static_prefix %}";
const CACHE = "zx-phone-" + VERSION;
const PREFIX = "zx-phone-";
const TIMEOUT = 4000;
const MAX_PRECACHE = 300;
const SCOPE = new URL(self.registration.scope).pathname; // "/grid/m/"
const HOME = PRECACHE.length ? new URL(PRECACHE[0], self.location.href).href : self.registration.scope;

// A response worth keeping: a whole same-origin 200 that was not a redirect (to the login page).
function cacheable(response) {
  return response && response.status === 200 && response.type === "basic" && !response.redirected;
}

function skipped(url) {
  return url.pathname.startsWith(SCOPE + "sync/") || url.pathname.startsWith("/api/") ||
    url.pathname === SCOPE + "sw.js";
}

// Fetch one URL and cache it; a failure is skipped (the page is then simply not offline).
function store(cache, url) {
  return fetch(new Request(url, { credentials: "same-origin" }))
    .then(function (response) {
      if (cacheable(response)) return cache.put(url, response);
      return undefined;
    })
    .catch(function () { return undefined; });
}

// A few at a time: the phone's link is slow and the household list can be long.
function storeAll(urls) {
  return caches.open(CACHE).then(function (cache) {
    const queue = urls.slice();
    function next() {
      const url = queue.shift();
      if (url === undefined) return Promise.resolve();
      return store(cache, url).then(next);
    }
    return Promise.all([next(), next(), next()]);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(storeAll(PRECACHE).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.map(function (key) {
          if (key.startsWith(PREFIX) && key !== CACHE) return caches.delete(key);
          return undefined;
        }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request); });
}

function offlineAnswer(request) {
  if (request.mode === "navigate") {
    return fromCache(HOME).then(function (home) { return home || Response.error(); });
  }
  return Promise.resolve(Response.error());
}

// Network first: the network's answer if it comes within TIMEOUT (and is not a server error
// while a cached copy exists), else the cached copy; with no cached copy, keep waiting for the
// network, and if that fails too, the cached home page (for a page) or an error.
function networkFirst(request) {
  return new Promise(function (resolve) {
    let done = false;
    function finish(response) {
      if (!done) { done = true; resolve(response); }
    }
    function fallback(failed) {
      return fromCache(request).then(function (cached) {
        if (cached) finish(cached);
        else if (failed) offlineAnswer(request).then(finish);
        return cached;
      });
    }
    const timer = setTimeout(function () { fallback(false); }, TIMEOUT);
    fetch(request)
      .then(function (response) {
        clearTimeout(timer);
        if (cacheable(response)) {
          const copy = response.clone();
          caches.open(CACHE).then(function (cache) { return cache.put(request, copy); })
            .catch(function () { return undefined; });
          finish(response);
        } else if (response.status >= 500) {
          fallback(false).then(function (cached) { if (!cached) finish(response); });
        } else {
          finish(response);
        }
      })
      .catch(function () {
        clearTimeout(timer);
        fallback(true);
      });
  });
}

function cacheFirst(request) {
  return fromCache(request).then(function (cached) {
    if (cached) return cached;
    return fetch(request).then(function (response) {
      if (cacheable(response)) {
        const copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); })
          .catch(function () { return undefined; });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || skipped(url)) return;
  if (request.mode === "navigate" || url.pathname.startsWith(SCOPE)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(cacheFirst(request));
  }
});

// {type: "precache", urls: [...]}: the home page's household cards, so they open offline.
self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) return;
  const urls = [];
  data.urls.slice(0, MAX_PRECACHE).forEach(function (raw) {
    try {
      const url = new URL(String(raw), self.location.href);
      if (url.origin === self.location.origin && !skipped(url)) urls.push(url.href);
    } catch (e) {
      // not a URL: skipped
    }
  });
  event.waitUntil(storeAll(urls));
});
