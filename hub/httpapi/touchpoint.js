/*! Touchpoint website snippet, served by the hub at /v1/web/touchpoint.js.
 *
 * Include it on every page of a site (one key per site; create it with
 * `touchpoint-hub key create --source web:zot.example --publishable`, and
 * start the hub with `--web-origins web:zot.example=https://www.zot.example`):
 *
 *   <script src="https://hub.example/v1/web/touchpoint.js" async
 *           data-key="tpw_..." data-source="web:zot.example"></script>
 *
 * It gives the visitor a first-party web_id (localStorage, else a cookie on
 * the site), records a page_view on load (data-page-view="off" turns that
 * off), and sends events in batches to the hub's /v1/web/events: every
 * 5 s, at 10 events, and with navigator.sendBeacon when the page is hidden
 * or left. Events before the person is known carry only the web_id.
 *
 *   touchpoint.track("configurator_saved", {vehicle: {model: "ZOT 12"}, attributes: {trim: "Sport"}})
 *   touchpoint.identify({email: "ann@example.com", given_name: "Ann"}) // goes with the next event only
 *   touchpoint.track("brochure_requested", {vehicle: {model: "ZOT 12"}})
 *
 * A form with data-touchpoint-event="brochure_requested" is recorded on
 * submit: inputs named email, phone, given_name, family_name, birth_date,
 * line1, city, postal_code, country become the person's hints, one named
 * model the vehicle. Calls made before the script loads may be queued as
 * window.touchpoint = [["track", type, fields], ...].
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || (window.touchpoint && window.touchpoint.track)) return;
  var key = script.getAttribute("data-key") || "";
  var source = script.getAttribute("data-source") || "";
  var endpoint = new URL("/v1/web/events", script.src).href + "?key=" + encodeURIComponent(key);
  var hintNames = ["email", "phone", "given_name", "family_name", "birth_date"];
  var addressNames = ["line1", "city", "postal_code", "country"];
  var queue = [], pending = null, timer = null;

  function hex(n) {
    var b = new Uint8Array(n), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < n; i++) s += (b[i] + 256).toString(16).slice(1);
    return s;
  }

  function webId() {
    var name = "tp_web_id", id = "";
    try { id = localStorage.getItem(name) || ""; } catch (e) { /* blocked */ }
    if (!id) {
      var m = document.cookie.match(/(?:^|; )tp_web_id=([0-9a-z-]+)/);
      id = m ? m[1] : "w-" + hex(16);
    }
    try { localStorage.setItem(name, id); } catch (e) {
      document.cookie = name + "=" + id + "; max-age=63072000; path=/; SameSite=Lax";
    }
    return id;
  }
  var visitor = webId();

  function body(events) { return JSON.stringify({ events: events }); }

  // send posts the queue in requests of at most 50 events (the queue
  // holds at most 100); text/plain keeps each a simple CORS request.
  function send(beacon) {
    clearTimeout(timer);
    timer = null;
    while (queue.length) {
      var blob = new Blob([body(queue.splice(0, 50))], { type: "text/plain" });
      if (beacon && navigator.sendBeacon && navigator.sendBeacon(endpoint, blob)) continue;
      fetch(endpoint, { method: "POST", body: blob, keepalive: true, credentials: "omit", mode: "cors" })
        .catch(function () { /* analytics never breaks the page; a lost batch is not retried */ });
    }
  }

  function track(type, fields) {
    fields = fields || {};
    var customer = { web_id: visitor };
    var hints = fields.customer || pending || {};
    pending = null;
    for (var k in hints) if (k !== "web_id" && k !== "customer_id") customer[k] = hints[k];
    var e = { id: "w-" + hex(12), type: type, occurred_at: new Date().toISOString(), customer: customer };
    if (source) e.source = source;
    if (fields.vehicle) e.vehicle = fields.vehicle;
    if (fields.attributes) e.attributes = fields.attributes;
    queue.push(e);
    if (queue.length > 100) queue.shift();
    if (queue.length >= 10) send(false);
    else if (!timer) timer = setTimeout(send, 5000);
    return e.id;
  }

  function identify(hints) { pending = hints || null; }

  function formEvent(ev) {
    var form = ev.target, type = form.getAttribute && form.getAttribute("data-touchpoint-event");
    if (!type) return;
    var hints = {}, address = {}, vehicle = null, v;
    function val(n) { var el = form.elements[n]; return el && el.value ? String(el.value).trim() : ""; }
    hintNames.forEach(function (n) { if ((v = val(n))) hints[n] = v; });
    addressNames.forEach(function (n) { if ((v = val(n))) address[n] = v; });
    if (Object.keys(address).length) hints.address = address;
    if ((v = val("model"))) vehicle = { model: v };
    track(type, { customer: hints, vehicle: vehicle });
    send(true); // the page may be about to go
  }

  function hidden() { if (document.visibilityState === "hidden") send(true); }

  document.addEventListener("submit", formEvent, true);
  document.addEventListener("visibilitychange", hidden);
  window.addEventListener("pagehide", function () { send(true); });

  var early = Array.isArray(window.touchpoint) ? window.touchpoint : [];
  window.touchpoint = { track: track, identify: identify, flush: function () { send(false); }, webId: visitor };
  if (script.getAttribute("data-page-view") !== "off") {
    track("page_view", { attributes: { path: location.pathname.slice(0, 500), title: document.title.slice(0, 200) } });
  }
  early.forEach(function (c) { if (c && window.touchpoint[c[0]]) window.touchpoint[c[0]].apply(null, c.slice(1)); });
})();
