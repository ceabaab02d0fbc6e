/* The supervisors' dashboard: draws each chart with the vendored ECharts from the JSON that
   the page carries (json_script; no inline script), and switches each chart between its chart
   and its table. Without JavaScript the tables show and the charts stay hidden. */
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#174a84", "#c77700", "#1b5e2b", "#5a2b8c", "#3d434c", "#0f6e74", "#8a4b08"];

  function option(chart, emptyText) {
    var base = {
      color: PALETTE,
      animation: false,
      aria: { enabled: true },
      // richText: the default HTML tooltip writes style attributes, which the CSP refuses.
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis", confine: true, renderMode: "richText" },
      textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" }
    };
    if (chart.kind === "pie") {
      var total = chart.series[0].data.reduce(function (a, b) { return a + b; }, 0);
      if (!total) {
        // A ring of zeros would draw equal slices: say there is nothing to show instead.
        base.title = { text: emptyText,
          left: "center", top: "middle", textStyle: { color: "#5d6470", fontSize: 16, fontWeight: "normal" } };
        return base;
      }
      base.legend = { bottom: 0, type: "scroll" };
      base.series = [{
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        label: { formatter: "{b}\n{c}" },
        data: chart.labels.map(function (label, i) {
          return { name: label, value: chart.series[0].data[i] };
        })
      }];
      return base;
    }
    var horizontal = chart.kind === "bar";
    base.grid = { left: 8, right: horizontal ? 40 : 16, top: chart.series.length > 1 ? 36 : 16, bottom: 8, containLabel: true };
    if (chart.series.length > 1) { base.legend = { top: 0 }; }
    var categories = { type: "category", data: chart.labels, axisLabel: { interval: 0, hideOverlap: true } };
    var values = { type: "value", minInterval: 1 };
    if (horizontal) {
      categories.inverse = true;
      base.yAxis = categories;
      base.xAxis = values;
    } else {
      base.xAxis = categories;
      base.yAxis = values;
    }
    base.series = chart.series.map(function (series) {
      return {
        name: series.name,
        type: chart.kind,
        data: series.data,
        label: horizontal ? { show: true, position: "right" } : undefined,
        symbolSize: 6
      };
    });
    return base;
  }

  function showTable(figure, asTable) {
    var canvas = figure.querySelector(".chart-canvas");
    var table = figure.querySelector(".chart-table");
    var button = figure.querySelector(".chart-toggle");
    canvas.hidden = asTable;
    table.classList.toggle("sr-only", !asTable);
    button.setAttribute("aria-pressed", asTable ? "true" : "false");
    button.textContent = asTable ? button.dataset.chartText : button.dataset.tableText;
    figure.dataset.view = asTable ? "table" : "chart";
  }

  function start() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("figure.chart[data-chart]").forEach(function (figure) {
      var chart = data[figure.dataset.chart];
      if (!chart) { return; }
      var canvas = figure.querySelector(".chart-canvas");
      var button = figure.querySelector(".chart-toggle");
      canvas.hidden = false;
      var instance = window.echarts.init(canvas, null, { renderer: "canvas" });
      instance.setOption(option(chart, figure.dataset.emptyText || ""));
      drawn.push(instance);
      button.hidden = false;
      showTable(figure, false);
      button.addEventListener("click", function () {
        var asTable = figure.dataset.view !== "table";
        showTable(figure, asTable);
        if (!asTable) { instance.resize(); }
      });
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (instance) { instance.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
