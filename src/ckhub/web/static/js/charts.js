// Draws every [data-chart] element as a line chart from the JSON the page carries beside it
// (see the `chart` macro). Tooltips are drawn on the canvas: HTML tooltips would need inline
// styles, which the Content-Security-Policy forbids.
(function () {
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (line) {
        return { name: line.name, type: "line", data: line.values, showSymbol: data.labels.length <= 31 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
