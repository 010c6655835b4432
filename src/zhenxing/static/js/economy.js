// Draws the collective economy dashboard's charts from the JSON block the view rendered, fitted
// to the screen by charts.js (loaded first).
(function () {
  var IDS = ["chart-tiers", "chart-distribution", "chart-top", "chart-bottom", "chart-progress"];
  function draw() {
    var data = document.getElementById("economy-charts");
    var z = window.zhenxingCharts;
    if (!data || !z || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    function el(id) { return document.getElementById(id); }
    z.dispose(IDS);
    z.bar(el("chart-tiers"), d.tiers.labels, d.tiers.values, { integer: true });
    z.bar(el("chart-distribution"), d.distribution.labels, d.distribution.values, { integer: true });
    z.bar(el("chart-top"), d.top.labels, d.top.values);
    z.bar(el("chart-bottom"), d.bottom.labels, d.bottom.values);
    z.lines(el("chart-progress"), d.progress.labels, [
      { name: d.progress.names[0], data: d.progress.accumulation },
      { name: d.progress.names[1], data: d.progress.operating_income }
    ]);
  }
  function start() {
    draw();
    if (window.zhenxingCharts) window.zhenxingCharts.redrawOnResize(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
