// Charts that stay readable on a 375-px phone, shared by every page that draws one
// (window.zhenxingCharts), and the home page's chart of the regions below.
//
// ECharts lays every category label out at full length by default, so ten village names or
// eleven years ran into each other on a phone. Here a category axis is fitted to the width it
// gets: labels that fit stand upright; labels that do not fit turn the chart on its side (one
// row per category, its name shortened, the chart as tall as its rows need). Value axes read
// 1.2万 / 1.2k, and the tooltip (kept inside the chart, so it never widens the page) gives each
// full name and value.
(function () {
  var PHONE = 576;
  var RED = "#c62828";
  var lang = (document.documentElement.lang || "zh-hans").toLowerCase();
  var chinese = lang.indexOf("zh") === 0;
  var traditional = lang === "zh-hant" || lang === "zh-tw" || lang === "zh-hk";
  var WAN = traditional ? "萬" : "万", YI = traditional ? "億" : "亿";
  var canvas = document.createElement("canvas").getContext("2d");

  function fontSize(width) { return width < PHONE ? 11 : 12; }

  function textWidth(text, size) {
    canvas.font = size + "px sans-serif";
    return canvas.measureText(String(text)).width;
  }

  // At most `max` characters (a Chinese character counts as two), with an ellipsis.
  function shorten(text, max) {
    var chars = Array.from(String(text));
    var out = "", used = 0;
    for (var i = 0; i < chars.length; i++) {
      var cost = chars[i].charCodeAt(0) > 0x2e80 ? 2 : 1;
      if (used + cost > max) return out + "…";
      out += chars[i];
      used += cost;
    }
    return out;
  }

  // 12,345,678 → 1234.57万 / 12.35M: what fits beside a value axis; the tooltip has the rest.
  function compact(value) {
    var v = Number(value), a = Math.abs(v);
    function trim(n) { return String(Math.round(n * 100) / 100); }
    if (chinese) {
      if (a >= 1e8) return trim(v / 1e8) + YI;
      if (a >= 1e4) return trim(v / 1e4) + WAN;
    } else {
      if (a >= 1e9) return trim(v / 1e9) + "B";
      if (a >= 1e6) return trim(v / 1e6) + "M";
      if (a >= 1e3) return trim(v / 1e3) + "k";
    }
    return trim(v);
  }

  function full(value, suffix) {
    if (value === null || value === undefined || value === "-") return "—";
    return Number(value).toLocaleString(lang, { maximumFractionDigits: 2 }) + (suffix || "");
  }

  // data-drawn on the chart's element once ECharts has finished drawing it, animations
  // included: what a test (or a screenshot) waits for.
  function init(el) {
    delete el.dataset.drawn;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", function () { el.dataset.drawn = "yes"; });
    return chart;
  }

  function valueAxis(width, suffix, integer) {
    return {
      type: "value",
      minInterval: integer ? 1 : 0,
      splitNumber: width < PHONE ? 3 : 5,
      axisLabel: {
        fontSize: fontSize(width),
        hideOverlap: true,
        formatter: function (v) { return compact(v) + (suffix || ""); }
      }
    };
  }

  // How a category axis of `labels` fits a chart `width` px wide: upright when every label
  // fits its slot, else sideways (one row per category, 26 px apart, so every name shows and
  // none touches; the chart as tall as its rows need). Rotated labels were tried first: the
  // first one ran off the chart's left edge, and thinning them dropped the names people read.
  function fit(labels, width) {
    var size = fontSize(width);
    var max = width < PHONE ? 12 : 20;
    var short = labels.map(function (l) { return shorten(l, max); });
    var widest = Math.max.apply(null, short.map(function (l) { return textWidth(l, size); }).concat([0]));
    var slot = (width - 70) / Math.max(labels.length, 1);
    var formatter = function (v) { return shorten(v, max); };
    if (widest + 8 <= slot) return { sideways: false, formatter: formatter };
    return { sideways: true, formatter: formatter, height: Math.max(260, labels.length * 26 + 60) };
  }

  function categoryAxis(labels, f, width) {
    return {
      type: "category",
      data: labels,
      inverse: !!f.sideways,  // sideways, the first category on top
      // Every label; upright ones that still meet (a wider value axis than reckoned) hide.
      axisLabel: { fontSize: fontSize(width), interval: 0, hideOverlap: !f.sideways,
                   formatter: f.formatter }
    };
  }

  function tooltip(suffix, trigger) {
    return {
      trigger: trigger || "axis",
      confine: true,
      axisPointer: { type: "shadow" },
      valueFormatter: function (v) { return full(v, suffix); }
    };
  }

  // A bar chart in `el` of labels → values, fitted to the element's width.
  // options: {color, suffix (of every value: "%"), markLine (a value), integer (counts), max}
  function bar(el, labels, values, options) {
    if (!el || !window.echarts) return null;
    options = options || {};
    var width = el.clientWidth || window.innerWidth;
    var f = fit(labels, width);
    if (f.height) el.style.height = f.height + "px";
    var chart = init(el);
    var series = { type: "bar", data: values, itemStyle: { color: options.color || RED } };
    if (options.markLine !== undefined && options.markLine !== null) {
      series.markLine = {
        symbol: "none",
        // At the far end from the value axis's labels, so the two never meet.
        label: { position: f.sideways ? "start" : "end",
                 formatter: function (p) { return full(p.value, options.suffix); } },
        data: [f.sideways ? { xAxis: options.markLine } : { yAxis: options.markLine }],
        lineStyle: { type: "dashed" }
      };
    }
    var category = categoryAxis(labels, f, width);
    var value = valueAxis(width, options.suffix, options.integer);
    if (options.max !== undefined) value.max = options.max;
    chart.setOption({
      grid: { left: 8, right: f.sideways ? 24 : 12, top: 20, bottom: 8, containLabel: true },
      tooltip: tooltip(options.suffix),
      xAxis: f.sideways ? value : category,
      yAxis: f.sideways ? category : value,
      series: [series]
    });
    return chart;
  }

  // A line chart of several series over categories (years): labels thinned to fit.
  function lines(el, labels, series) {
    if (!el || !window.echarts) return null;
    var width = el.clientWidth || window.innerWidth;
    var size = fontSize(width);
    var widest = Math.max.apply(null, labels.map(function (l) { return textWidth(l, size); }).concat([0]));
    var slot = (width - 70) / Math.max(labels.length, 1);
    var chart = init(el);
    chart.setOption({
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: tooltip("", "axis"),
      legend: { textStyle: { fontSize: size } },
      xAxis: {
        type: "category",
        data: labels,
        axisLabel: { fontSize: size, interval: Math.max(0, Math.ceil((widest + 10) / slot) - 1), hideOverlap: true }
      },
      yAxis: valueAxis(width),
      series: series.map(function (s, i) {
        return { name: s.name, type: "line", showSymbol: true, symbolSize: 7, data: s.data,
                 itemStyle: i === 0 ? { color: RED } : undefined };
      })
    });
    return chart;
  }

  // A ring of labels → values; on a phone the slice names go to the tooltip and a legend.
  function pie(el, labels, values) {
    if (!el || !window.echarts) return null;
    var width = el.clientWidth || window.innerWidth;
    var narrow = width < PHONE;
    var chart = init(el);
    chart.setOption({
      tooltip: { trigger: "item", confine: true, valueFormatter: function (v) { return full(v); } },
      legend: narrow ? { type: "scroll", bottom: 0, textStyle: { fontSize: fontSize(width) },
                         formatter: function (n) { return shorten(n, 12); } } : undefined,
      series: [{
        type: "pie",
        radius: narrow ? ["30%", "55%"] : ["35%", "65%"],
        center: ["50%", narrow ? "45%" : "50%"],
        label: { show: !narrow, formatter: function (p) { return shorten(p.name, 16); } },
        labelLayout: { hideOverlap: true },
        data: labels.map(function (l, i) { return { name: l, value: values[i] }; })
      }]
    });
    return chart;
  }

  // Redraw on a real width change only (a phone's address bar showing and hiding changes the
  // height): the fitted axes depend on the width, so each chart is drawn again from scratch.
  function redrawOnResize(draw) {
    var last = window.innerWidth, timer = null;
    window.addEventListener("resize", function () {
      if (window.innerWidth === last) return;
      last = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(draw, 150);
    });
  }

  function dispose(ids) {
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      var chart = el && window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  }

  window.zhenxingCharts = { bar: bar, lines: lines, pie: pie, redrawOnResize: redrawOnResize,
                            dispose: dispose, shorten: shorten, compact: compact, RED: RED };

  // The home page: the regions below the reader's, from its JSON block.
  function drawHome() {
    var data = document.getElementById("children-chart-data");
    if (!data) return;
    var d = JSON.parse(data.textContent);
    dispose(["children-chart"]);
    bar(document.getElementById("children-chart"), d.labels, d.values, { integer: true });
  }
  function start() {
    if (!document.getElementById("children-chart-data")) return;
    drawHome();
    redrawOnResize(drawHome);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
