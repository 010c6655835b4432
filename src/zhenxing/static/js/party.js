// Draws the party-building dashboard's charts from the JSON block the view rendered, fitted to
// the screen by charts.js (loaded first).
(function () {
  var BARS = ["chart-pipeline", "chart-age", "chart-education", "chart-one-shoulder", "chart-coverage", "chart-sources"];
  var PIES = ["chart-sex", "chart-ethnicity"];
  function draw() {
    var data = document.getElementById("party-charts");
    var z = window.zhenxingCharts;
    if (!data || !z || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    function bar(id, series, options) {
      if (series) z.bar(document.getElementById(id), series.labels, series.values, options);
    }
    function pie(id, series) {
      if (series) z.pie(document.getElementById(id), series.labels, series.values);
    }
    z.dispose(BARS.concat(PIES));
    bar("chart-pipeline", d.pipeline, { integer: true });
    bar("chart-age", d.age, { integer: true });
    bar("chart-education", d.education, { integer: true });
    bar("chart-sources", d.sources, { integer: true });
    bar("chart-one-shoulder", d.one_shoulder, { suffix: "%", max: 100, markLine: d.one_shoulder && d.one_shoulder.target });
    bar("chart-coverage", d.coverage, { suffix: "%", max: 100 });
    pie("chart-sex", d.sex);
    pie("chart-ethnicity", d.ethnicity);
  }
  function start() {
    draw();
    if (window.zhenxingCharts) window.zhenxingCharts.redrawOnResize(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
