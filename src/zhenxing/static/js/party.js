// Draws the party-building dashboard's charts from the JSON block the view rendered, fitted to
// the screen by charts.js (loaded first). The members' structure (sex, age, education, ethnic
// group) comes afterwards from the block's structure_url: it is the slowest figure to count.
(function () {
  var structure = null;
  var BARS = ["chart-pipeline", "chart-age", "chart-education", "chart-one-shoulder", "chart-coverage", "chart-sources"];
  var PIES = ["chart-sex", "chart-ethnicity"];
  function draw() {
    var data = document.getElementById("party-charts");
    var z = window.zhenxingCharts;
    if (!data || !z || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    if (structure) {
      for (var key in structure) d[key] = structure[key];
    }
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
    var data = document.getElementById("party-charts");
    var url = data && JSON.parse(data.textContent).structure_url;
    if (url && window.fetch) {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (s) {
            structure = s;
            draw();
          }
        })
        .catch(function () {});
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
