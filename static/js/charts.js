/* gonghui: draws the report pages' charts with Apache ECharts (static/vendor/echarts/).
 *
 *   <div data-chart="chart-members" class="chart-canvas chart-h-sm"></div>
 *   <script type="application/json" id="chart-members">{…}</script>   (Django's json_script)
 *
 * The JSON is gonghui.core.reports.Chart.spec(): {kind: bar|pie|line, title, format:
 * number|yuan|percent|pct, categories: [...], series: [{name, data: [...]}]}. Loaded only on
 * pages that chart (core/partials/_chart_scripts.html), never by base.html. Text at the page's
 * body size; bars lie down so that long sub-union names wrap instead of being cut off.
 */
(function () {
  "use strict";

  var COLOURS = ["#066fd1", "#94a3b8", "#d97706", "#2fb344", "#d63939", "#ae3ec9", "#0ca678", "#f76707"];
  var charts = [];

  function bodyFont() {
    var style = window.getComputedStyle(document.body);
    return {
      size: parseFloat(style.fontSize) || 14,
      family: style.fontFamily,
      colour: style.color,
    };
  }

  function formatter(format) {
    var lang = document.documentElement.lang || "zh-hans";
    var grouped = function (value, places) {
      return Number(value).toLocaleString(lang, { minimumFractionDigits: places, maximumFractionDigits: places });
    };
    var places = function (value) {
      var text = String(value);
      var dot = text.indexOf(".");
      return dot < 0 ? 0 : text.length - dot - 1;
    };
    if (format === "yuan") {
      return function (value) { return grouped(value, 2); };
    }
    if (format === "percent") {
      // a share: 0.0674 → 6.74%
      return function (value) {
        var shown = Math.round(value * 1000000) / 10000;
        return grouped(shown, Math.max(0, Math.min(places(value) - 2, 2))) + "%";
      };
    }
    if (format === "pct") {
      return function (value) { return grouped(value, places(value)) + "%"; };
    }
    return function (value) { return grouped(value, places(value)); };
  }

  function option(spec, element, font) {
    var show = formatter(spec.format);
    var text = { fontSize: font.size, fontFamily: font.family, color: font.colour };
    var many = spec.series.length > 1;
    var base = {
      color: COLOURS,
      animation: false,
      textStyle: text,
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", valueFormatter: show, textStyle: { fontSize: font.size } },
    };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, type: "scroll", textStyle: text };
      base.series = [{
        type: "pie",
        name: spec.series[0].name,
        radius: ["35%", "62%"],
        center: ["50%", "45%"],
        label: {
          fontSize: font.size,
          formatter: function (p) { return p.name + "\n" + show(p.value) + " (" + p.percent + "%)"; },
        },
        data: spec.categories.map(function (name, index) { return { name: name, value: spec.series[0].data[index] }; }),
      }];
      return base;
    }
    var width = element.clientWidth || 320;
    // the category labels get up to 40 % of the width; longer names wrap onto more lines
    var labelWidth = Math.max(64, Math.round(width * 0.4));
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { fontSize: font.size, color: font.colour, width: labelWidth, overflow: "break", interval: 0 },
    };
    var valueAxis = {
      type: "value",
      axisLabel: { fontSize: font.size, color: font.colour, formatter: show, hideOverlap: true },
      splitNumber: width < 480 ? 3 : 5,
    };
    var whole = spec.series.every(function (series) {
      return series.data.every(function (value) { return value === null || Number.isInteger(value); });
    });
    if (whole && spec.format === "number") {
      valueAxis.minInterval = 1; // counts: no 0.3 people on the axis
    }
    base.legend = many ? { top: 0, textStyle: text } : undefined;
    base.grid = { left: 8, right: spec.kind === "bar" ? 48 : 16, top: many ? 36 : 8, bottom: 8, containLabel: true };
    if (spec.kind === "line") {
      // Along the bottom, labels that would overlap are left out (every other year …) and, on a
      // phone, slanted; each point still names its category in the tooltip.
      categoryAxis.axisLabel.width = undefined;
      categoryAxis.axisLabel.overflow = "none";
      categoryAxis.axisLabel.interval = "auto";
      categoryAxis.axisLabel.hideOverlap = true;
      categoryAxis.axisLabel.rotate = width < 480 && spec.categories.length > 4 ? 40 : 0;
      if (categoryAxis.axisLabel.rotate) {
        base.grid.left = 32; // the first slanted label reaches left of the axis
      }
      base.xAxis = categoryAxis;
      base.yAxis = valueAxis;
    } else {
      categoryAxis.inverse = true; // the first label on top, as in the table
      base.xAxis = valueAxis;
      base.yAxis = categoryAxis;
    }
    base.series = spec.series.map(function (series) {
      return {
        type: spec.kind,
        name: series.name,
        data: series.data,
        label: { show: spec.kind === "bar", position: "right", fontSize: font.size, formatter: function (p) { return show(p.value); } },
      };
    });
    return base;
  }

  function draw(element) {
    var block = document.getElementById(element.getAttribute("data-chart"));
    if (!block || !window.echarts) {
      return;
    }
    var spec = JSON.parse(block.textContent);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(spec, element, bodyFont()));
    element.setAttribute("data-chart-drawn", spec.kind);
    charts.push({ chart: chart, spec: spec, element: element });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]:not([data-chart-drawn])").forEach(draw);
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      var font = bodyFont();
      charts.forEach(function (item) {
        item.chart.resize();
        item.chart.setOption(option(item.spec, item.element, font), true);
      });
    }, 150);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  document.addEventListener("htmx:afterSettle", drawAll);
})();
