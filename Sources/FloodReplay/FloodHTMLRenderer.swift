/// The HTML rendering of a replay: one self-contained page (inline CSS, JavaScript and SVG, nothing fetched)
/// that draws each session's topology and animates a flood over time: the HELLO, queries spreading hop by hop,
/// duplicates, expired and lost queries, CHUNK_INFO answers and the chunks arriving at the client. Hovering or
/// clicking a node shows its arrivals and configuration. The address fragment picks the start:
/// `#flood=2&t=400` shows flood 2 at 40 % of its time line, `#play` starts the animation.
///
/// The data is the JSON document of `FloodJSONRenderer`, embedded in the page.
public enum FloodHTMLRenderer {
    public static func render(_ report: ReplayReport, floods: [Flood], warnings: [String] = []) -> String {
        let out = ReplayOutputStream()
        render(report, floods: floods, warnings: warnings, to: out)
        return out.text
    }

    /// Writes the page to `out`.
    public static func render(
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
        #stage { background: #fff; border: 1px solid #ddd; border-radius: 6px; }
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
        <span id="status" data-state="loading">loading…</span>
        </header>
        <main>
        <svg id="stage" width="720" height="640" viewBox="0 0 720 640" role="img" aria-label="flood topology"></svg>
        <aside>
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

          function layout(flood) {
            var session = sessionOf(flood);
            var peers = [];
            function addPeer(a) { if (a && a !== "?" && a !== flood.client && peers.indexOf(a) < 0) { peers.push(a); } }
            session.nodes.forEach(function (n) { if (n.role === "peer") { addPeer(n.address); } });
            flood.visits.forEach(function (v) { addPeer(v.node); addPeer(v.from === flood.client ? null : v.from); });
            flood.lost.forEach(function (l) { addPeer(l.to === flood.client ? null : l.to); });
            var positions = {}, labels = {};
            var r = Math.max(180, peers.length * 18);
            var cx = r + 110, cy = r + 70;
            peers.forEach(function (a, i) {
              var angle = -Math.PI / 2 + 2 * Math.PI * i / Math.max(1, peers.length);
              positions[a] = { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) };
              var c = Math.cos(angle);
              labels[a] = { x: cx + (r + 34) * c, y: cy + (r + 34) * Math.sin(angle) + 4, anchor: c > 0.3 ? "start" : c < -0.3 ? "end" : "middle" };
            });
            positions[flood.client] = { x: cx, y: cy };
            labels[flood.client] = { x: cx, y: cy + 38, anchor: "middle" };
            svg.setAttribute("viewBox", "0 0 " + (2 * cx) + " " + (2 * cy - 20));
            return { peers: peers, positions: positions, labels: labels, session: session };
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
              el("circle", { cx: pos[a].x, cy: pos[a].y, r: a === flood.client ? 20 : 24 }, g);
              var spot = state.layout.labels[a];
              var label = el("text", { x: spot.x, y: spot.y, style: "text-anchor: " + spot.anchor }, g);
              label.textContent = a === flood.client ? "client " + a : a;
              var badge = el("text", { "class": "badge", x: pos[a].x, y: pos[a].y + 4 }, g);
              badge.setAttribute("text-anchor", "middle");
              g.addEventListener("mouseenter", function () { showNode(a); });
              g.addEventListener("click", function () { state.selected = a; showNode(a); update(); });
              state.nodeGroups[a] = { g: g, badge: badge };
            });
            var legend = [["hello", "HELLO"], ["query", "QUERY"], ["info", "CHUNK_INFO"], ["chunk", "RESPONSE"], ["lost", "lost"]];
            legend.forEach(function (item, i) {
              el("circle", { "class": "msg " + item[0], r: 6, cx: 20, cy: 20 + i * 18 }, svg);
              el("text", { x: 32, y: 24 + i * 18, "class": "badge" }, svg).textContent = item[1];
            });
            state.msgLayer = el("g", { id: "messages" }, svg);
            update();
          }

          function currentTime() { return state.end * Number(slider.value) / 1000 - (state.end * 0.05); }

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
            var end = 1;
            state.messages.forEach(function (m) { if (m.t1 > end) { end = m.t1; } });
            state.end = end * 1.1;
            state.selected = null;
            slider.value = 1000;
            showFlood();
            draw();
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
          status.setAttribute("data-state", "ready");
          if (params.play !== undefined) { playButton.click(); }
        })();
        """#
}
