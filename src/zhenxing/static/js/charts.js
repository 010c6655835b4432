// Draws every chart on the page from the JSON block the view rendered (no data in the script).
(function () {
  function draw() {
    var el = document.getElementById("children-chart");
    var data = document.getElementById("children-chart-data");
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 40, right: 10, top: 10, bottom: 80 },
      tooltip: {},
      xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 60, interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: d.values, itemStyle: { color: "#c62828" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
