// Grid maps: every div.grid-map[data-map] draws the village's outline (dashed grey), its grids'
// boundaries (one colour each, the selected one thicker; click opens the grid) and its households'
// points (coloured by grid) from a <script type="application/json"> block named by data-map.
// No tile layer by default: the intranet has no internet, so public tile servers are unreachable;
// a plain background with the shapes is drawn unless the server gives an intranet tile URL.
// With data-draw="<textarea id>" a small control draws a grid boundary into that textarea as a
// GeoJSON Polygon geometry ([lng, lat], 6 decimals); a polygon pasted into it is redrawn on blur.
(function () {
  "use strict";
  const PALETTE = [
    "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
  ];
  const GREY = "#888888";
  const DRAWN = "#e8590c";
  const PANZHOU = [25.71, 104.63];

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  // A GeoJSON Polygon geometry as Leaflet rings ([lat, lng]), or null if it is not one.
  function rings(geometry) {
    if (!geometry || geometry.type !== "Polygon") return null;
    if (!Array.isArray(geometry.coordinates)) return null;
    const out = geometry.coordinates.map(function (ring) {
      if (!Array.isArray(ring) || ring.length < 4) return null;
      const pts = ring.map(function (p) {
        const ok = Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]);
        return ok ? [p[1], p[0]] : null;
      });
      return pts.indexOf(null) === -1 ? pts : null;
    });
    return out.length && out.indexOf(null) === -1 ? out : null;
  }

  function geometryOf(latlngs) {
    const round = function (x) { return Number(x.toFixed(6)); };
    const ring = latlngs.map(function (ll) { return [round(ll.lng), round(ll.lat)]; });
    ring.push(ring[0].slice());
    return { type: "Polygon", coordinates: [ring] };
  }

  function setup(el) {
    if (el.dataset.mapReady) return;
    const source = document.getElementById(el.dataset.map);
    let data;
    try {
      data = JSON.parse(source ? source.textContent : "");
    } catch (err) {
      console.warn("grid_map: no map data", el.dataset.map, err);
      return;
    }
    el.dataset.mapReady = "1";
    if (!el.clientHeight) el.style.minHeight = "320px";

    const map = L.map(el, { preferCanvas: true, maxZoom: 19 });
    if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
    const bounds = L.latLngBounds([]);

    const area = rings(data.area);
    if (area) {
      const outline = L.polygon(area, {
        color: GREY, weight: 2, dashArray: "6 6", fill: false, interactive: false,
      });
      bounds.extend(outline.addTo(map).getBounds());
    }

    const colours = {};
    (data.grids || []).forEach(function (g, i) {
      colours[g.id] = PALETTE[i % PALETTE.length];
      const shape = rings(g.boundary);
      if (!shape) return;
      const polygon = L.polygon(shape, {
        color: colours[g.id], weight: g.selected ? 4 : 2, fillOpacity: g.selected ? 0.2 : 0.08,
      }).addTo(map);
      polygon.bindTooltip(text(g.name), { sticky: true });
      polygon.on("click", function () {
        if (!el.classList.contains("grid-map-drawing") && g.url) window.location.href = g.url;
      });
      if (g.selected) polygon.bringToFront();
      bounds.extend(polygon.getBounds());
    });

    (data.households || []).forEach(function (h) {
      if (!Number.isFinite(h.lat) || !Number.isFinite(h.lng)) return;
      const colour = h.grid != null && colours[h.grid] ? colours[h.grid] : GREY;
      L.circleMarker([h.lat, h.lng], {
        radius: 3, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.8,
      })
        .bindTooltip(function () { return text(h.number); })
        .addTo(map);
      bounds.extend([h.lat, h.lng]);
    });

    const drawn = el.dataset.draw ? drawing(el, map) : null;
    if (drawn) bounds.extend(drawn);

    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    else if (Array.isArray(data.center)) map.setView(data.center, 14);
    else map.setView(PANZHOU, 10);
    // A map laid out while hidden (a closed <details>, a tab) has no size: redo it when shown.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(el);
    }
  }

  // The draw/clear control bound to a textarea; returns the bounds of the polygon it already holds.
  function drawing(el, map) {
    const textarea = document.getElementById(el.dataset.draw);
    if (!textarea) return null;
    let shape = null; // the drawn polygon
    let vertices = [];
    let guide = null; // the polyline while drawing
    let first = null; // the first vertex's marker: clicking it finishes

    function show(latlngs) {
      if (shape) shape.remove();
      shape = null;
      if (latlngs) {
        shape = L.polygon(latlngs, {
          color: DRAWN, weight: 3, fillOpacity: 0.15, interactive: false,
        });
        shape.addTo(map);
      }
      return shape;
    }
    function fromText() {
      const value = textarea.value.trim();
      if (!value) return show(null);
      let parsed = null;
      try { parsed = rings(JSON.parse(value)); } catch (err) { parsed = null; }
      return parsed ? show(parsed) : undefined; // unparsable: keep what is shown
    }
    function write(value) {
      textarea.value = value;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function stop() {
      if (guide) guide.remove();
      if (first) first.remove();
      guide = first = null;
      vertices = [];
      el.classList.remove("grid-map-drawing");
      el.style.cursor = "";
      map.doubleClickZoom.enable();
    }
    function finish() {
      if (vertices.length < 3) return;
      const latlngs = vertices.slice();
      stop();
      show(latlngs);
      write(JSON.stringify(geometryOf(latlngs)));
    }
    function start() {
      stop();
      el.classList.add("grid-map-drawing");
      el.style.cursor = "crosshair";
      map.doubleClickZoom.disable();
      guide = L.polyline([], { color: DRAWN, weight: 2, dashArray: "4 4", interactive: false });
      guide.addTo(map);
    }
    function drawingNow() { return el.classList.contains("grid-map-drawing"); }

    map.on("click", function (e) {
      if (!drawingNow()) return;
      const last = vertices[vertices.length - 1];
      // The two clicks of a double-click land on one spot: keep one vertex.
      if (last && map.latLngToContainerPoint(last).distanceTo(e.containerPoint) < 5) return;
      vertices.push(e.latlng);
      guide.setLatLngs(vertices);
      if (vertices.length === 1) {
        first = L.circleMarker(e.latlng, {
          radius: 7, color: DRAWN, fillColor: "#ffffff", fillOpacity: 1, bubblingMouseEvents: false,
        });
        first.on("click", finish).addTo(map);
      }
    });
    map.on("mousemove", function (e) {
      if (drawingNow() && vertices.length) guide.setLatLngs(vertices.concat([e.latlng]));
    });
    map.on("dblclick", function () { if (drawingNow()) finish(); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drawingNow()) stop();
    });
    textarea.addEventListener("change", function () {
      const redrawn = fromText();
      if (redrawn && !map.getBounds().contains(redrawn.getBounds())) {
        map.fitBounds(redrawn.getBounds(), { maxZoom: 17 });
      }
    });

    const Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        const box = L.DomUtil.create("div", "leaflet-bar grid-map-draw");
        box.style.cssText = "display:flex;gap:2px;background:#fff;padding:2px";
        const clear = function () {
          stop();
          show(null);
          write("");
        };
        const buttons = [
          [el.dataset.labelDraw || "Draw", start], [el.dataset.labelClear || "Clear", clear],
        ];
        buttons.forEach(function (item) {
          const button = L.DomUtil.create("button", "secondary", box);
          button.type = "button";
          button.textContent = item[0];
          button.style.cssText = "margin:0;width:auto;padding:0.2rem 0.6rem;font-size:0.85rem";
          L.DomEvent.on(button, "click", function (e) { L.DomEvent.stop(e); item[1](); });
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    map.addControl(new Control());
    const initial = fromText();
    return initial ? initial.getBounds() : null;
  }

  function setupAll(root) {
    (root || document).querySelectorAll("div.grid-map[data-map]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setupAll(); });
  } else {
    setupAll();
  }
  // Pages swapped in by htmx (panels) get their maps too.
  document.addEventListener("htmx:load", function (e) {
    if (e.target && e.target.querySelectorAll) setupAll(e.target);
  });
})();
