// Draws every [data-chart] element as a line chart from the JSON the page carries beside it
// (see the `chart` macro); a point with a link opens it when clicked. Tooltips are drawn on the canvas: HTML tooltips would need inline
// styles, which the Content-Security-Policy forbids.
(function () {
  // The stretch of line into a period only partly counted (this week so far) is shaded and
  // named, so that its lower values do not read as a fall. (A point alone has no width to shade.)
  function partialPeriods(data) {
    if (!data.partial || !data.partial.length || data.labels.length < 2) return undefined;
    var periods = data.partial.map(function (index) {
      var neighbour = index === 0 ? 1 : index - 1;
      return [{ xAxis: data.labels[Math.min(index, neighbour)] }, { xAxis: data.labels[Math.max(index, neighbour)] }];
    });
    return {
      silent: true,
      itemStyle: { color: "rgba(138, 143, 152, 0.15)" },
      label: { show: true, position: "insideTop", formatter: data.partial_label, color: "#6b7280", fontSize: 11 },
      data: periods
    };
  }

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
      series: data.series.map(function (line, position) {
        var drawn = { name: line.name, type: "line", data: line.values, showSymbol: Boolean(line.links) || data.labels.length <= 31, symbolSize: line.links ? 7 : 4, cursor: line.links ? "pointer" : "default", color: line.color };
        if (position === 0) drawn.markArea = partialPeriods(data);
        return drawn;
      })
    });
    // A point that stands for entries opens them (the page gives each point its address).
    chart.on("click", function (point) {
      var line = data.series[point.seriesIndex];
      if (line && line.links && line.links[point.dataIndex]) {
        window.location.href = line.links[point.dataIndex];
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
