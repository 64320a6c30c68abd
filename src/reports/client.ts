/**
 * The page's own script (a string: it runs in the browser, not in Node). It reads the embedded
 * JSON, adds what JSON cannot carry (tooltip and axis-label formatters, which escape every
 * name they print), draws each chart, and sets `<body data-rendered="N">` once every chart has
 * finished or failed, N being the charts drawn (the render test and exportPng wait for it). A
 * chart that fails shows its error in its box and on the console.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('gradflow-report-data').textContent);
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function num(v) {
    if (v === null || v === undefined || v === '-' ) return '—';
    if (typeof v !== 'number') return esc(v);
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v);
    if (v === 0) return '0';
    if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }
  // axis ticks: short ('1e-4', '0.25', '2k' is not used: exponents read better on log axes)
  function tick(v) {
    if (typeof v !== 'number' || !isFinite(v) || v === 0) return String(v);
    var a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) return v.toExponential(a === Math.pow(10, Math.round(Math.log10(a))) ? 0 : 1).replace('e+', 'e');
    return String(Number(v.toPrecision(4)));
  }
  function axisName(axis) { return axis && axis.name ? esc(axis.name) + ' ' : ''; }
  function decorate(spec) {
    var o = spec.option;
    var axes = [].concat(o.yAxis || [], o.xAxis || []);
    axes.forEach(function (ax) {
      if (ax.type === 'log' || ax.type === 'value') ax.axisLabel = Object.assign({}, ax.axisLabel, { formatter: tick });
    });
    if (spec.kind === 'line') {
      o.tooltip.formatter = function (ps) {
        if (!ps.length) return '';
        var head = axisName(o.xAxis) + num(ps[0].value[0]);
        return head + ps.map(function (p) { return '<br>' + p.marker + esc(p.seriesName) + ': ' + num(p.value[1]); }).join('');
      };
    } else if (spec.kind === 'heatmap') {
      o.tooltip.formatter = function (p) {
        var v = p.value[2];
        return esc(o.yAxis.data[p.value[1]]) + '<br>' + axisName(o.xAxis) + esc(o.xAxis.data[p.value[0]]) + ': ' +
          (spec.log ? num(Math.pow(10, v)) + ' (log10 ' + num(v) + ')' : num(v));
      };
    } else {
      o.tooltip.formatter = function (ps) {
        if (!ps.length) return '';
        return esc(ps[0].name) + ps.map(function (p) { return '<br>' + p.marker + esc(p.seriesName) + ': ' + num(p.value); }).join('');
      };
    }
    o.animation = false;
  }
  // charts[i] draws payload.charts[i] (null where it failed)
  var charts = payload.charts.map(function () { return null; });
  var drawn = 0;
  var pending = payload.charts.length;
  if (typeof echarts === 'undefined') {
    console.error('gradflow report: the chart library did not load');
  }
  payload.charts.forEach(function (spec, i) {
    var el = document.getElementById(spec.id);
    var settled = false;
    // 'finished' may fire inside setOption; count each chart once
    function finish(ok) {
      if (settled) return;
      settled = true;
      if (ok) drawn += 1;
      pending -= 1;
      if (pending === 0) document.body.setAttribute('data-rendered', String(drawn));
    }
    try {
      decorate(spec);
      var chart = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
      charts[i] = chart;
      chart.on('finished', function () { finish(true); });
      chart.setOption(spec.option);
    } catch (e) {
      charts[i] = null;
      console.error('gradflow report: chart ' + spec.key + ' failed: ' + (e && e.message));
      if (el) { el.innerHTML = '<p class="chart-error">This chart could not be drawn: ' + esc(e && e.message) + '</p>'; }
      finish(false);
    }
  });
  if (payload.charts.length === 0) document.body.setAttribute('data-rendered', '0');
  function resize() { charts.forEach(function (c) { if (c) c.resize(); }); }
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
    resize();
  });
  window.addEventListener('afterprint', resize);
  // the print layout (two columns, no margins) applies through the media query: redraw to fit it
  if (window.matchMedia) {
    var print = window.matchMedia('print');
    if (print.addEventListener) print.addEventListener('change', resize);
  }
  window.gradflowReport = { payload: payload, charts: charts };
})();
`;
