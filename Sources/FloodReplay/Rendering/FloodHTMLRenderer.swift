/// The HTML rendering of a replay: one self-contained page (inline CSS, JavaScript and SVG, nothing fetched)
/// that draws each session's topology and animates a flood over time: the HELLO, queries spreading hop by hop,
/// duplicates, expired and lost queries, CHUNK_INFO answers and the chunks arriving at the client. Hovering or
/// clicking a node shows its arrivals and configuration. The address fragment picks the start:
/// `#flood=2&t=400` shows flood 2 at 40 % of its time line, `#play` starts the animation.
///
/// The data is the JSON document of `FloodJSONRenderer`, embedded in the page.
package enum FloodHTMLRenderer {
    package static func render(_ report: ReplayReport, floods: [Flood], warnings: [String] = []) -> String {
        let out = ReplayOutputStream()
        render(report, floods: floods, warnings: warnings, to: out)
        return out.text
    }

    /// Writes the page to `out`.
    package static func render(
        _ report: ReplayReport, floods: [Flood], warnings: [String] = [], to out: ReplayOutputStream
    ) {
        out.write(head + "<script id=\"replay-data\" type=\"application/json\">")
        FloodJSONRenderer.render(report, floods: floods, warnings: warnings, to: out)
        out.write("</script>\n<script>\n" + script + "\n</script>\n</body>\n</html>\n")
    }

    private static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>p2ptrace replay</title>
        <style>
        body { font: 14px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { padding: 10px 16px; background: #263238; color: #fff; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
        header h1 { font-size: 17px; margin: 0; }
        header select, header button { font-size: 14px; }
        #time { width: 280px; }
        #clock { font-variant-numeric: tabular-nums; min-width: 90px; display: inline-block; }
        main { display: flex; gap: 12px; padding: 12px; align-items: flex-start; }
        #views { flex: 3; min-width: 0; display: flex; flex-direction: column; gap: 12px; }
        #stage { background: #fff; border: 1px solid #ddd; border-radius: 6px; width: 100%; height: 560px; cursor: grab; touch-action: none; }
        #seq-wrap { background: #fff; border: 1px solid #ddd; border-radius: 6px; overflow: auto; max-height: 520px; }
        .lane { stroke: #eceff1; stroke-width: 1; }
        .lane-label { font-size: 11px; cursor: pointer; }
        .lane-label.selected { fill: #ff6f00; font-weight: bold; }
        .axis { font-size: 10px; fill: #607d8b; }
        .cursor { stroke: #ff6f00; stroke-width: 1.5; }
        .arrow { stroke-width: 1.5; fill: none; }
        .arrow.hello { stroke: #6a1b9a; } .arrow.query { stroke: #1565c0; } .arrow.info { stroke: #2e7d32; stroke-dasharray: 4 2; }
        .arrow.chunk { stroke: #ef6c00; } .arrow.lost { stroke: #c62828; stroke-dasharray: 2 2; }
        .arrow.future { opacity: 0.2; }
        .colhead { font-size: 12px; font-weight: bold; fill: #455a64; }
        .source { stroke: #ef6c00; stroke-width: 2; stroke-dasharray: 6 3; fill: none; }
        #legend svg { vertical-align: middle; }
        aside { flex: 1; min-width: 300px; display: flex; flex-direction: column; gap: 12px; }
        .card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; }
        .card h2 { font-size: 14px; margin: 0 0 6px 0; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { padding: 2px 8px 2px 0; text-align: left; vertical-align: top; }
        .muted { color: #777; }
        .lost { color: #c62828; }
        .ok { color: #2e7d32; }
        .link { stroke: #cfd8dc; stroke-width: 2; }
        .tree { stroke: #1e88e5; stroke-width: 2.5; fill: none; opacity: 0.55; }
        .node circle { stroke: #546e7a; stroke-width: 2; fill: #eceff1; cursor: pointer; }
        .node.reached circle { fill: #64b5f6; }
        .node.contact circle { stroke: #0d47a1; stroke-width: 4; }
        .node.answered circle { stroke: #2e7d32; stroke-width: 4; }
        .node.selected circle { stroke: #ff6f00; stroke-width: 5; }
        .node.client circle { fill: #ffe0b2; }
        .node.untraced circle { stroke-dasharray: 4 3; fill: #fff; }
        .node text { font-size: 11px; text-anchor: middle; pointer-events: none; }
        .badge { font-size: 10px; fill: #37474f; }
        .msg { stroke: #fff; stroke-width: 1; }
        .msg.query { fill: #1565c0; } .msg.hello { fill: #6a1b9a; } .msg.info { fill: #2e7d32; }
        .msg.chunk { fill: #ef6c00; } .msg.lost { fill: #c62828; }
        </style>
        </head>
        <body>
        <header>
        <h1>p2ptrace replay</h1>
        <label>Flood <select id="flood"></select></label>
        <button id="play" type="button">▶ Play</button>
        <input id="time" type="range" min="0" max="1000" value="1000">
        <span id="clock"></span>
        <label><input id="sources" type="checkbox"> chunk sources</label>
        <button id="fit" type="button">Fit</button>
        <span id="status" data-state="loading">loading…</span>
        </header>
        <main>
        <div id="views">
        <svg id="stage" viewBox="0 0 720 560" preserveAspectRatio="xMidYMin meet" role="img" aria-label="flood graph by hop (wheel: zoom, drag: pan)"></svg>
        <div id="seq-wrap"><svg id="sequence" role="img" aria-label="sequence diagram: one lane per node, time downwards"></svg></div>
        </div>
        <aside>
        <div class="card" id="legend"></div>
        <div class="card" id="summary"></div>
        <div class="card" id="details"><h2>Node</h2><p class="muted">Hover or click a node.</p></div>
        <div class="card" id="chunks"></div>
        <div class="card" id="problems"></div>
        </aside>
        </main>

        """

    private static let script = #"""
        (function () {
          "use strict";
          var data = JSON.parse(document.getElementById("replay-data").textContent);
          var svg = document.getElementById("stage");
          var NS = "http://www.w3.org/2000/svg";
          var select = document.getElementById("flood");
          var slider = document.getElementById("time");
          var clock = document.getElementById("clock");
          var playButton = document.getElementById("play");
          var state = { flood: null, positions: {}, messages: [], end: 1, selected: null, playing: false, startedAt: 0 };

          function el(name, attrs, parent) {
            var e = document.createElementNS(NS, name);
            for (var k in attrs) { e.setAttribute(k, attrs[k]); }
            if (parent) { parent.appendChild(e); }
            return e;
          }
          function ms(us) { return (us / 1000).toFixed(3) + " ms"; }
          function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; }); }

          function sessionOf(flood) {
            for (var i = 0; i < data.sessions.length; i++) { if (data.sessions[i].index === flood.session) { return data.sessions[i]; } }
            return { nodes: [] };
          }

          // Columns by hop (client, hop 0 = contact, hop 1, …, not reached); a hop with many peers wraps into
          // several columns of at most ROWS, so labels never overlap and 200 peers stay readable when zoomed.
          var ROWS = 30, COL = 190, ROW = 26;
          function layout(flood) {
            var session = sessionOf(flood);
            var peers = [];
            function addPeer(a) { if (a && a !== "?" && a !== flood.client && peers.indexOf(a) < 0) { peers.push(a); } }
            flood.visits.forEach(function (v) { addPeer(v.node); addPeer(v.from === flood.client ? null : v.from); });
            session.nodes.forEach(function (n) { if (n.role === "peer") { addPeer(n.address); } });
            flood.lost.forEach(function (l) { addPeer(l.to === flood.client ? null : l.to); addPeer(l.from === flood.client ? null : l.from); });
            var hopOf = {};
            flood.visits.forEach(function (v) { if (hopOf[v.node] === undefined) { hopOf[v.node] = v.hop; } });
            var maxHop = -1;
            peers.forEach(function (a) { if (hopOf[a] !== undefined && hopOf[a] > maxHop) { maxHop = hopOf[a]; } });
            var groups = [[flood.client]];
            for (var h = 0; h <= maxHop; h++) { groups.push([]); }
            var unreached = [];
            peers.forEach(function (a) { if (hopOf[a] !== undefined) { groups[hopOf[a] + 1].push(a); } else { unreached.push(a); } });
            if (unreached.length) { groups.push(unreached); }
            var positions = {}, labels = {}, heads = [], order = [];
            var col = 0, tallest = 1;
            groups.forEach(function (group, g) {
              if (!group.length) { return; }
              var title = g === 0 ? "client" : (group === unreached ? "not reached" : "hop " + (g - 1) + (g === 1 ? " (contact)" : ""));
              heads.push({ x: 40 + col * COL, text: title });
              group.forEach(function (a, i) {
                var c = col + Math.floor(i / ROWS), r = i % ROWS;
                positions[a] = { x: 40 + c * COL, y: 70 + r * ROW };
                labels[a] = { x: 40 + c * COL + 14, y: 70 + r * ROW + 4, anchor: "start" };
                order.push(a);
                tallest = Math.max(tallest, r + 1);
              });
              col += Math.ceil(group.length / ROWS);
            });
            var box = { x: 0, y: 0, w: Math.max(720, 40 + col * COL), h: Math.max(300, 90 + tallest * ROW) };
            return { peers: peers, positions: positions, labels: labels, session: session, heads: heads, order: order, box: box };
          }

          function setView(v) { state.view = v; svg.setAttribute("viewBox", v.x + " " + v.y + " " + v.w + " " + v.h); }
          function fit() { var b = state.layout.box; setView({ x: b.x, y: b.y, w: b.w, h: b.h }); }
          function svgPoint(evt) {
            var r = svg.getBoundingClientRect(), v = state.view;
            var k = Math.max(v.w / r.width, v.h / r.height);
            return { x: v.x + (evt.clientX - r.left) * k, y: v.y + (evt.clientY - r.top) * k, k: k };
          }
          svg.addEventListener("wheel", function (evt) {
            if (!state.view) { return; }
            evt.preventDefault();
            var p = svgPoint(evt), f = evt.deltaY < 0 ? 0.8 : 1.25, v = state.view;
            setView({ x: p.x - (p.x - v.x) * f, y: p.y - (p.y - v.y) * f, w: v.w * f, h: v.h * f });
          }, { passive: false });
          var drag = null;
          svg.addEventListener("pointerdown", function (evt) { if (state.view) { drag = { x: evt.clientX, y: evt.clientY, view: state.view }; } });
          window.addEventListener("pointerup", function () { drag = null; });
          window.addEventListener("pointermove", function (evt) {
            if (!drag) { return; }
            var r = svg.getBoundingClientRect(), v = drag.view, k = Math.max(v.w / r.width, v.h / r.height);
            setView({ x: v.x - (evt.clientX - drag.x) * k, y: v.y - (evt.clientY - drag.y) * k, w: v.w, h: v.h });
          });

          // Sequence diagram: one vertical lane per node (client first, then by hop), time downwards, each
          // message an arrow from its send to its receive; the orange line is the slider's time.
          var LANE = 30, TOP = 150, SEQ_H = 480;
          function drawSequence() {
            var seq = document.getElementById("sequence");
            while (seq.firstChild) { seq.removeChild(seq.firstChild); }
            var flood = state.flood;
            if (!flood) { return; }
            var order = state.layout.order, laneOf = {};
            order.forEach(function (a, i) { laneOf[a] = 60 + i * LANE; });
            var width = 60 + order.length * LANE + 20;
            seq.setAttribute("width", width);
            seq.setAttribute("height", TOP + SEQ_H + 20);
            var t0 = state.start, span = state.end - state.start;
            state.seqY = function (t) { return TOP + SEQ_H * (t - t0) / span; };
            for (var k = 0; k <= 5; k++) {
              var t = t0 + span * k / 5, y = state.seqY(t);
              el("line", { "class": "lane", x1: 40, y1: y, x2: width, y2: y }, seq);
              el("text", { "class": "axis", x: 2, y: y + 3 }, seq).textContent = (t / 1000).toFixed(1) + " ms";
            }
            var marker = el("marker", { id: "head", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, el("defs", {}, seq));
            el("path", { d: "M0,0 L8,4 L0,8 z", fill: "#455a64" }, marker);
            state.laneLabels = {};
            order.forEach(function (a) {
              var x = laneOf[a];
              el("line", { "class": "lane", x1: x, y1: TOP - 6, x2: x, y2: TOP + SEQ_H }, seq);
              var label = el("text", { "class": "lane-label", x: 0, y: 0, transform: "translate(" + (x + 4) + "," + (TOP - 10) + ") rotate(-60)", "data-lane": a }, seq);
              label.textContent = a === flood.client ? "client " + a : a;
              label.addEventListener("click", function () { state.selected = a; showNode(a); update(); });
              state.laneLabels[a] = label;
            });
            state.arrows = [];
            state.messages.forEach(function (m) {
              var x1 = laneOf[m.from], x2 = laneOf[m.to];
              if (x1 === undefined || x2 === undefined) { return; }
              var y1 = state.seqY(m.t0), y2 = state.seqY(m.t1);
              if (m.lost) { x2 = (x1 + x2) / 2; }
              var line = el("line", { "class": "arrow " + m.kind, x1: x1, y1: y1, x2: x2, y2: y2, "marker-end": m.lost ? "" : "url(#head)", "data-from": m.from, "data-to": m.to }, seq);
              if (m.lost) { el("text", { x: x2 - 4, y: y2 + 4, fill: "#c62828", "font-size": 12 }, seq).textContent = "✗"; }
              state.arrows.push({ line: line, m: m });
            });
            state.cursor = el("line", { "class": "cursor", x1: 40, x2: width, y1: TOP, y2: TOP }, seq);
          }

          function drawLegend() {
            function swatch(inner) { return "<svg width=\"26\" height=\"16\" viewBox=\"0 0 26 16\">" + inner + "</svg> "; }
            function ring(stroke, width, fill, dash) { return swatch("<circle cx=\"13\" cy=\"8\" r=\"6\" fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"" + width + "\"" + (dash ? " stroke-dasharray=\"3 2\"" : "") + "/>"); }
            function line(cls) { return swatch("<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" class=\"" + cls + "\"/>"); }
            function dot(cls) { return swatch("<circle cx=\"13\" cy=\"8\" r=\"5\" class=\"msg " + cls + "\"/>"); }
            var rows = [
              [ring("#546e7a", 2, "#eceff1"), "peer not reached (yet)"], [ring("#546e7a", 2, "#64b5f6"), "peer reached by the flood"],
              [ring("#0d47a1", 4, "#64b5f6"), "contact peer (got the HELLO)"], [ring("#2e7d32", 4, "#64b5f6"), "peer that answered (CHUNK_INFO)"],
              [ring("#546e7a", 2, "#ffe0b2"), "client (chunks arrived / asked)"], [ring("#546e7a", 2, "#fff", true), "node without a trace"],
              [ring("#ff6f00", 5, "#eceff1"), "selected node"], [line("link"), "neighbour link (topology)"],
              [line("tree"), "path the query took"], [line("source"), "chunk source (with “chunk sources”)"],
              [dot("hello"), "HELLO"], [dot("query"), "QUERY"], [dot("info"), "CHUNK_INFO"], [dot("chunk"), "RESPONSE (chunk)"], [dot("lost"), "lost datagram"],
              ["", "h2: hop at which the peer was first reached · sequence: arrows send → receive, orange line = slider time"]
            ];
            document.getElementById("legend").innerHTML = "<h2>Legend</h2>" + rows.map(function (r) { return "<div>" + r[0] + esc(r[1]) + "</div>"; }).join("");
          }

          /// Labels whose boxes intersect, counted once the page is drawn (a self-check the tests read).
          function countOverlaps() {
            var boxes = [];
            Object.keys(state.nodeGroups || {}).forEach(function (a) { boxes.push(state.nodeGroups[a].label.getBBox()); });
            var overlaps = 0;
            for (var i = 0; i < boxes.length; i++) {
              for (var j = i + 1; j < boxes.length; j++) {
                var p = boxes[i], q = boxes[j];
                if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) { overlaps++; }
              }
            }
            return overlaps;
          }

          function buildMessages(flood) {
            var msgs = [];
            var visits = flood.visits;
            var contact = visits.length ? visits[0] : null;
            if (contact && !contact.untraced_contact) {
              var t0 = flood.hello_sent_us !== null ? Math.min(flood.hello_sent_us, -1) : -200;
              msgs.push({ kind: "hello", from: flood.client, to: contact.node, t0: t0, t1: 0 });
            }
            visits.forEach(function (v) {
              if (v.parent !== null) {
                var p = visits[v.parent];
                var sent = v.sent_offset_us !== null ? v.sent_offset_us : p.offset_us;
                msgs.push({ kind: "query", from: p.node, to: v.node, t0: sent, t1: v.offset_us });
              } else if (v.hop > 0) {
                msgs.push({ kind: "query", from: v.from, to: v.node, t0: v.offset_us - 100, t1: v.offset_us });
              }
            });
            flood.answers.forEach(function (a) {
              var t1 = a.received_offset_us !== null ? a.received_offset_us : a.sent_offset_us + 100;
              msgs.push({ kind: "info", from: a.peer, to: flood.client, t0: a.sent_offset_us, t1: t1 });
            });
            flood.deliveries.forEach(function (d) {
              msgs.push({ kind: "chunk", from: d.peer, to: flood.client, t0: d.offset_us - 150, t1: d.offset_us });
            });
            flood.lost.forEach(function (l) {
              msgs.push({ kind: "lost", from: l.from, to: l.to, t0: l.offset_us, t1: l.offset_us + 200, lost: true });
            });
            return msgs;
          }

          function draw() {
            var flood = state.flood;
            while (svg.firstChild) { svg.removeChild(svg.firstChild); }
            if (!flood) {
              el("text", { x: 360, y: 300, "text-anchor": "middle" }, svg).textContent = "No flood in this trace set.";
              return;
            }
            var lay = state.layout;
            var pos = lay.positions;
            var drawn = {};
            lay.session.nodes.forEach(function (n) {
              (n.neighbors || []).forEach(function (m) {
                var key = [n.address, m].sort().join("|");
                if (drawn[key] || !pos[n.address] || !pos[m]) { return; }
                drawn[key] = true;
                el("line", { "class": "link", x1: pos[n.address].x, y1: pos[n.address].y, x2: pos[m].x, y2: pos[m].y }, svg);
              });
            });
            var treeDrawn = {};
            flood.visits.forEach(function (v) {
              var from = v.parent !== null ? flood.visits[v.parent].node : (v.hop > 0 ? v.from : null);
              if (!from || !pos[from] || !pos[v.node]) { return; }
              var key = [from, v.node].sort().join("|");
              if (treeDrawn[key]) { return; }
              treeDrawn[key] = true;
              el("line", { "class": "tree", x1: pos[from].x, y1: pos[from].y, x2: pos[v.node].x, y2: pos[v.node].y }, svg);
            });
            state.nodeGroups = {};
            Object.keys(pos).forEach(function (a) {
              var g = el("g", { "class": "node", "data-node": a, tabindex: "0" }, svg);
              el("circle", { cx: pos[a].x, cy: pos[a].y, r: 9 }, g);
              var spot = state.layout.labels[a];
              var label = el("text", { x: spot.x, y: spot.y, style: "text-anchor: " + spot.anchor }, g);
              label.textContent = a === flood.client ? "client " + a : a;
              var badge = el("text", { "class": "badge", x: pos[a].x - 12, y: pos[a].y + 4 }, g);
              badge.setAttribute("text-anchor", "end");
              g.addEventListener("mouseenter", function () { showNode(a); });
              g.addEventListener("click", function () { state.selected = a; showNode(a); update(); });
              state.nodeGroups[a] = { g: g, badge: badge, label: label };
            });
            lay.heads.forEach(function (h) { el("text", { "class": "colhead", x: h.x - 10, y: 40 }, svg).textContent = h.text; });
            state.sourceLayer = el("g", { id: "sources-layer" }, svg);
            state.msgLayer = el("g", { id: "messages" }, svg);
            drawSources();
            drawSequence();
            update();
          }

          function currentTime() { return state.start + (state.end - state.start) * Number(slider.value) / 1000; }

          function drawSources() {
            var layer = state.sourceLayer, pos = state.layout.positions, flood = state.flood;
            while (layer.firstChild) { layer.removeChild(layer.firstChild); }
            if (!document.getElementById("sources").checked) { return; }
            flood.deliveries.forEach(function (d) {
              var a = pos[d.peer], b = pos[flood.client];
              if (!a || !b) { return; }
              var mid = (a.x + b.x) / 2, lift = Math.min(a.y, b.y) - 30;
              el("path", { "class": "source", d: "M" + a.x + "," + a.y + " Q" + mid + "," + lift + " " + b.x + "," + b.y, "data-chunk": d.chunk }, layer);
            });
          }

          function update() {
            var flood = state.flood;
            if (!flood) { return; }
            var t = currentTime();
            clock.textContent = "t = " + ms(Math.max(0, t));
            var reached = {}, answered = {}, hops = {};
            flood.visits.forEach(function (v) {
              if (v.offset_us <= t && !v.untraced_contact) {
                reached[v.node] = true;
                if (hops[v.node] === undefined) { hops[v.node] = v.hop; }
              }
              if (v.untraced_contact) { hops[v.node] = 0; }
            });
            flood.answers.forEach(function (a) { if (a.sent_offset_us <= t) { answered[a.peer] = true; } });
            var arrived = flood.deliveries.filter(function (d) { return d.offset_us <= t; }).length;
            var contact = flood.visits.length ? flood.visits[0].node : null;
            Object.keys(state.nodeGroups).forEach(function (a) {
              var ng = state.nodeGroups[a];
              var cls = "node";
              if (a === flood.client) { cls += " client"; }
              if (reached[a]) { cls += " reached"; }
              if (answered[a]) { cls += " answered"; }
              if (a === contact) { cls += " contact"; }
              if (state.selected === a) { cls += " selected"; }
              if (!isTraced(a)) { cls += " untraced"; }
              ng.g.setAttribute("class", cls);
              ng.badge.textContent = a === flood.client ? arrived + "/" + flood.asked.length : (hops[a] !== undefined && (reached[a] || a === contact) ? "h" + hops[a] : "");
            });
            Object.keys(state.laneLabels || {}).forEach(function (a) { state.laneLabels[a].setAttribute("class", "lane-label" + (state.selected === a ? " selected" : "")); });
            if (state.cursor) { var cy = state.seqY(Math.max(state.start, t)); state.cursor.setAttribute("y1", cy); state.cursor.setAttribute("y2", cy); }
            (state.arrows || []).forEach(function (r) { r.line.setAttribute("class", "arrow " + r.m.kind + (r.m.t0 > t ? " future" : "")); });
            var layer = state.msgLayer;
            while (layer.firstChild) { layer.removeChild(layer.firstChild); }
            state.messages.forEach(function (m) {
              if (t < m.t0 || t > m.t1) { return; }
              var a = state.layout.positions[m.from], b = state.layout.positions[m.to];
              if (!a || !b) { return; }
              var f = m.t1 > m.t0 ? (t - m.t0) / (m.t1 - m.t0) : 1;
              if (m.lost) { f = Math.min(f, 0.5); }
              el("circle", { "class": "msg " + m.kind, r: 6, cx: a.x + (b.x - a.x) * f, cy: a.y + (b.y - a.y) * f }, layer);
            });
          }

          function isTraced(a) {
            var s = state.layout.session;
            for (var i = 0; i < s.nodes.length; i++) { if (s.nodes[i].address === a) { return true; } }
            return false;
          }

          function showNode(a) {
            var flood = state.flood;
            var box = document.getElementById("details");
            var html = "<h2>" + esc(a === flood.client ? "client " + a : a) + "</h2>";
            var info = null;
            state.layout.session.nodes.forEach(function (n) { if (n.address === a) { info = n; } });
            if (!info) { html += "<p class=\"muted\">No trace of this node in the set.</p>"; }
            else if (info.role === "peer") {
              html += "<p>neighbours " + esc(info.neighbors.join(", ") || "–") + "<br>holds " + esc(info.held.join(",") || "–") + "<br>runs " + esc(info.runs.join(", ")) + "</p>";
            }
            var rows = flood.visits.filter(function (v) { return v.node === a; });
            if (rows.length) {
              html += "<table><tr><th>hop</th><th>ttl</th><th>at</th><th>from</th><th></th></tr>";
              rows.forEach(function (v) {
                var notes = [];
                if (v.duplicate_of !== null) { notes.push("duplicate"); }
                if (v.expired) { notes.push("expired"); }
                if (v.answered.length) { notes.push("CHUNK_INFO " + v.answered.join(",")); }
                if (v.untraced_contact) { notes.push("no trace"); }
                html += "<tr><td>" + v.hop + "</td><td>" + (v.ttl === null ? "HELLO" : v.ttl) + "</td><td>+" + ms(v.offset_us) + "</td><td>" + esc(v.from) + "</td><td>" + esc(notes.join(", ")) + "</td></tr>";
              });
              html += "</table>";
            } else if (a !== flood.client) {
              html += "<p class=\"muted\">Not reached by this flood.</p>";
            }
            if (a === flood.client) {
              html += "<p>asked " + esc(flood.asked.join(",")) + "</p>";
            }
            box.innerHTML = html;
          }

          function showFlood() {
            var flood = state.flood;
            var s = flood.summary;
            document.getElementById("summary").innerHTML = "<h2>Flood #" + flood.index + " · session " + flood.session + "</h2>" +
              "<p>client " + esc(flood.client) + " asks " + esc(flood.asked.join(",")) + " of " + esc(flood.contact) + "<br>" + esc(flood.start) + "</p>" +
              "<table><tr><td>peers reached</td><td>" + s.peers_reached + " of " + s.peers_traced + " traced</td></tr>" +
              "<tr><td>query messages</td><td>" + s.query_messages + "</td></tr><tr><td>duplicates</td><td>" + s.duplicates + "</td></tr>" +
              "<tr><td>depth</td><td>" + s.depth + "</td></tr><tr><td>expired</td><td>" + s.expired + "</td></tr>" +
              "<tr><td>lost</td><td>" + s.lost + "</td></tr>" +
              "<tr><td>last CHUNK_INFO</td><td>" + (s.last_chunk_info_us === null ? "–" : "+" + ms(s.last_chunk_info_us)) + "</td></tr>" +
              "<tr><td>last chunk</td><td>" + (s.last_chunk_us === null ? "–" : "+" + ms(s.last_chunk_us)) + "</td></tr></table>";
            if (flood.retry_of !== null) {
              document.getElementById("chunks").innerHTML = "<h2>Chunks</h2><p class=\"muted\">This HELLO repeats the request of flood #" + flood.retry_of + ": its chunks are listed there.</p>";
            }
            var chunks = "<h2>Chunks</h2><table>";
            flood.asked.forEach(function (c) {
              var d = flood.deliveries.filter(function (x) { return x.chunk === c; })[0];
              if (d) { chunks += "<tr><td>" + c + "</td><td class=\"ok\">from " + esc(d.peer) + "</td><td>+" + ms(d.offset_us) + "</td></tr>"; }
              else if (flood.not_found.indexOf(c) >= 0) { chunks += "<tr><td>" + c + "</td><td class=\"lost\">nobody had it</td><td></td></tr>"; }
              else { chunks += "<tr><td>" + c + "</td><td class=\"lost\">never arrived</td><td></td></tr>"; }
            });
            if (flood.retry_of === null) { document.getElementById("chunks").innerHTML = chunks + "</table>"; }
            var problems = "<h2>Lost and notes</h2>";
            if (!flood.lost.length && !flood.notes.length && !data.warnings.length) { problems += "<p class=\"muted\">nothing lost</p>"; }
            flood.lost.forEach(function (l) {
              problems += "<div class=\"lost\">" + esc(l.message.toUpperCase() + " " + l.from + " → " + l.to + (l.ttl === null ? "" : " ttl " + l.ttl) + " at +" + ms(l.offset_us) + ": " + l.reason.replace(/_/g, " ")) + "</div>";
            });
            flood.notes.concat(data.warnings).forEach(function (n) { problems += "<div class=\"muted\">" + esc(n) + "</div>"; });
            document.getElementById("problems").innerHTML = problems;
          }

          function selectFlood(i) {
            var flood = data.floods[i];
            state.flood = flood;
            state.layout = layout(flood);
            state.messages = buildMessages(flood);
            var end = 1, start = 0;
            state.messages.forEach(function (m) { end = Math.max(end, m.t1); start = Math.min(start, m.t0); });
            state.start = start;
            state.end = end + (end - start) * 0.05;
            state.selected = null;
            slider.value = 1000;
            showFlood();
            draw();
            fit();
            showNode(flood.visits.length ? flood.visits[0].node : flood.client);
          }

          function frame(now) {
            if (!state.playing) { return; }
            var duration = 8000;
            var f = Math.min(1, (now - state.startedAt) / duration);
            slider.value = Math.round(f * 1000);
            update();
            if (f >= 1) { state.playing = false; playButton.textContent = "▶ Play"; return; }
            requestAnimationFrame(frame);
          }

          playButton.addEventListener("click", function () {
            if (!state.flood) { return; }
            state.playing = !state.playing;
            playButton.textContent = state.playing ? "❚❚ Pause" : "▶ Play";
            if (state.playing) {
              if (Number(slider.value) >= 1000) { slider.value = 0; }
              state.startedAt = performance.now() - Number(slider.value) * 8;
              requestAnimationFrame(frame);
            }
          });
          slider.addEventListener("input", function () { state.playing = false; playButton.textContent = "▶ Play"; update(); });
          select.addEventListener("change", function () { selectFlood(Number(select.value)); });
          document.getElementById("sources").addEventListener("change", function () { if (state.flood) { drawSources(); } });
          document.getElementById("fit").addEventListener("click", function () { if (state.flood) { fit(); } });
          drawLegend();

          data.floods.forEach(function (f, i) {
            var o = document.createElement("option");
            o.value = String(i);
            o.textContent = "#" + f.index + " " + f.client + " → " + f.contact + " (" + f.asked.join(",") + ")";
            select.appendChild(o);
          });
          var params = {};
          location.hash.replace(/^#/, "").split("&").forEach(function (kv) { var p = kv.split("="); if (p[0]) { params[p[0]] = p[1] || ""; } });
          var first = Math.max(0, Math.min(data.floods.length - 1, (Number(params.flood) || 1) - 1));
          if (data.floods.length) { select.value = String(first); selectFlood(first); } else { draw(); }
          if (params.t !== undefined && state.flood) { slider.value = Math.max(0, Math.min(1000, Number(params.t) || 0)); update(); }
          var status = document.getElementById("status");
          status.textContent = data.floods.length + (data.floods.length === 1 ? " flood" : " floods");
          status.setAttribute("data-overlaps", String(countOverlaps()));
          status.setAttribute("data-state", "ready");
          if (params.play !== undefined) { playButton.click(); }
        })();
        """#
}
