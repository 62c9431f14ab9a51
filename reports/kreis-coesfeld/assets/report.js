(function () {
  'use strict';
  var tip = document.getElementById('spm-tooltip');
  function hide() { if (tip) tip.hidden = true; }
  function show(event, value) {
    if (!tip) return;
    if (value == null || value === '') { hide(); return; }
    tip.textContent = '';
    if (typeof value === 'object') {
      var table = document.createElement('table');
      Object.keys(value).forEach(function (k) {
        var tr = document.createElement('tr');
        var th = document.createElement('th');
        th.scope = 'row';
        th.textContent = k;
        var td = document.createElement('td');
        td.textContent = value[k] == null ? '' : String(value[k]);
        tr.appendChild(th);
        tr.appendChild(td);
        table.appendChild(tr);
      });
      tip.appendChild(table);
    } else {
      tip.textContent = String(value);
    }
    tip.hidden = false;
    var x = event.pageX + 12, y = event.pageY + 12;
    var w = tip.offsetWidth;
    if (x + w > window.scrollX + document.documentElement.clientWidth) x = Math.max(0, event.pageX - w - 12);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  function handler(h, event, item, value) { show(event, value); }
  var quiet = vega.logger(vega.Error);
  function render(el) {
    try {
      var spec = JSON.parse(document.getElementById(el.getAttribute('data-spec')).textContent);
      // Vega writes the spec's description into the container's aria-label: keep the page's alt text there
      var alt = el.getAttribute('aria-label');
      if (alt) spec.description = alt;
      var compiled = vegaLite.compile(spec, { logger: quiet }).spec;
      var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: el, hover: true, logLevel: vega.Error });
      view.tooltip(handler);
      return view.runAsync().then(function () { el.setAttribute('data-rendered', 'true'); }, function (e) { fail(el, e); });
    } catch (e) {
      fail(el, e);
      return Promise.resolve();
    }
  }
  function fail(el, e) {
    el.setAttribute('data-rendered', 'error');
    el.textContent = 'Das Diagramm konnte nicht angezeigt werden. Die Tabelle darunter enthält dieselben Werte.';
    console.error(e);
  }
  var charts = Array.prototype.slice.call(document.querySelectorAll('.chart[data-spec]'));
  // Vega measures text (label limits, padding) with canvas measureText: before the
  // web font is loaded it measures the fallback font and the drawn labels overflow
  // the chart (cut off in print). So load both faces first, then render.
  var fonts = document.fonts && document.fonts.load
    ? Promise.all([document.fonts.load("11px 'DejaVu Sans'"), document.fonts.load("bold 11px 'DejaVu Sans'")]).then(function () { return document.fonts.ready; }, function () {})
    : Promise.resolve();
  var chain = fonts;
  charts.forEach(function (el) { chain = chain.then(function () { return render(el); }); });
  chain.then(function () { document.documentElement.setAttribute('data-charts-ready', 'true'); });
  document.addEventListener('scroll', hide, { passive: true });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
})();
