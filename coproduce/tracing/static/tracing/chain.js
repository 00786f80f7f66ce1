// The transmission chain: cases in the middle, degree-1 contacts around them, degree 2 outside.
// Labels count in the layout's spacing (nodeDimensionsIncludeLabels), so that they do not overlap.
(function () {
  var data = JSON.parse(document.getElementById("chain-data").textContent);
  var elements = data.nodes.map(function (n) { return {data: n}; }).concat(
    data.edges.map(function (e) { return {data: e}; }));
  window.chainGraph = cytoscape({
    container: document.getElementById("chain"),
    elements: elements,
    style: [
      {selector: "node", style: {"label": "data(label)", "font-size": 9, "width": 14, "height": 14,
        "background-color": "#e0a800", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "ellipsis", "text-max-width": 70,
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1}},
      {selector: "node[kind = 'case']", style: {"background-color": "#c62828", "width": 26, "height": 26, "font-size": 12, "font-weight": "bold"}},
      {selector: "node[kind = 'degree2']", style: {"background-color": "#f3d27a", "label": ""}},
      {selector: "edge", style: {"width": 1.5, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
        "target-arrow-shape": "triangle", "curve-style": "bezier"}},
      {selector: "edge[degree = 2]", style: {"line-style": "dashed"}}
    ],
    layout: {name: "concentric", padding: 8, minNodeSpacing: 6, avoidOverlap: true,
      nodeDimensionsIncludeLabels: true,
      concentric: function (node) { var k = node.data("kind"); return k === "case" ? 3 : k === "degree1" ? 2 : 1; },
      levelWidth: function () { return 1; }}
  });
})();
