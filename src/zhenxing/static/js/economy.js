// Draws the collective economy dashboard's charts from the JSON block the view rendered.
(function () {
  var RED = "#c62828";
  function bar(id, labels, values, rotate) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 60, right: 10, top: 10, bottom: rotate ? 80 : 30 },
      tooltip: {},
      xAxis: { type: "category", data: labels, axisLabel: { rotate: rotate || 0, interval: 0 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: values, itemStyle: { color: RED } }]
    });
    return chart;
  }
  function draw() {
    var data = document.getElementById("economy-charts");
    if (!data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var charts = [
      bar("chart-tiers", d.tiers.labels, d.tiers.values),
      bar("chart-distribution", d.distribution.labels, d.distribution.values),
      bar("chart-top", d.top.labels, d.top.values, 45),
      bar("chart-bottom", d.bottom.labels, d.bottom.values, 45)
    ];
    var el = document.getElementById("chart-progress");
    if (el) {
      var progress = window.echarts.init(el, null, { renderer: "svg" });
      progress.setOption({
        grid: { left: 80, right: 10, top: 30, bottom: 30 },
        tooltip: { trigger: "axis" },
        legend: {},
        xAxis: { type: "category", data: d.progress.labels },
        yAxis: { type: "value" },
        series: [
          { name: d.progress.names[0], type: "line", showSymbol: true, symbolSize: 7, data: d.progress.accumulation, itemStyle: { color: RED } },
          { name: d.progress.names[1], type: "line", showSymbol: true, symbolSize: 7, data: d.progress.operating_income }
        ]
      });
      charts.push(progress);
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) c.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
