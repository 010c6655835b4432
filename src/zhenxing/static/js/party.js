// Draws the party-building dashboard's charts from the JSON block the view rendered.
(function () {
  var RED = "#c62828";
  function bar(id, d, rotate, target) {
    var el = document.getElementById(id);
    if (!el || !d) return null;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var series = { type: "bar", data: d.values, itemStyle: { color: RED } };
    if (target) series.markLine = { symbol: "none", data: [{ yAxis: target }], lineStyle: { type: "dashed" } };
    chart.setOption({
      grid: { left: 50, right: 10, top: 20, bottom: rotate ? 80 : 30 },
      tooltip: {},
      xAxis: { type: "category", data: d.labels, axisLabel: { rotate: rotate || 0, interval: 0 } },
      yAxis: { type: "value" },
      series: [series]
    });
    return chart;
  }
  function pie(id, d) {
    var el = document.getElementById(id);
    if (!el || !d) return null;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: d.labels.map(function (l, i) { return { name: l, value: d.values[i] }; }) }]
    });
    return chart;
  }
  function draw() {
    var data = document.getElementById("party-charts");
    if (!data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var charts = [
      bar("chart-pipeline", d.pipeline),
      bar("chart-age", d.age),
      bar("chart-education", d.education, 30),
      pie("chart-sex", d.sex),
      pie("chart-ethnicity", d.ethnicity),
      bar("chart-one-shoulder", d.one_shoulder, 45, d.one_shoulder.target),
      bar("chart-coverage", d.coverage, 45),
      bar("chart-sources", d.sources, 30)
    ];
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) c.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
