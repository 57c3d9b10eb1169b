// The Weft dashboard: polls /status (every ?every=ms, 1000 by default) and renders it. No build
// step, no dependencies: the admin server serves this file as it is.
'use strict';

const every = Number(new URLSearchParams(location.search).get('every')) || 1000;

function rate(n) {
  if (n === undefined || n === null) return '–';
  return n >= 10 || n === 0 ? String(Math.round(n)) : n.toFixed(1);
}

function ms(n) {
  return n === undefined || n === null ? '–' : n >= 10 ? n.toFixed(0) : n.toFixed(2);
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fill(tableId, rows, columns) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('none', 'empty');
    td.colSpan = columns;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  for (const cells of rows) {
    const tr = document.createElement('tr');
    cells.forEach(c => tr.appendChild(c));
    body.appendChild(tr);
  }
}

function errors(perSec, byCode) {
  const codes = Object.entries(byCode || {}).map(([code, n]) => code + ' ' + rate(n)).join(', ');
  return cell(rate(perSec) + (codes ? ' (' + codes + ')' : ''), perSec > 0 ? 'num errors' : 'num');
}

function breakers(byState) {
  const td = document.createElement('td');
  for (const [state, n] of Object.entries(byState || {})) {
    if (n === 0) continue;
    const span = document.createElement('span');
    span.className = state.toLowerCase();
    span.textContent = state.toLowerCase().replace('_', '-') + ' ' + n + ' ';
    td.appendChild(span);
  }
  return td;
}

function ready(role) {
  return cell(role.ready ? 'yes' : 'no', role.ready ? 'yes' : 'no');
}

function render(status) {
  const badge = document.getElementById('readiness');
  badge.textContent = status.ready ? 'ready' : 'not ready';
  badge.className = 'badge ' + (status.ready ? 'ok' : 'bad');
  document.getElementById('uptime').textContent = 'up ' + Math.round(status.uptimeMs / 1000) + ' s';
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  document.getElementById('window').textContent = (status.windowMs / 1000).toFixed(1);
  const v = status.velocity || {};
  document.getElementById('v-client').textContent = rate(v.clientRequestsPerSec);
  document.getElementById('v-routes').textContent = rate(v.gateRoutesPerSec);
  document.getElementById('v-calls').textContent = rate(v.serviceCallsPerSec);
  document.getElementById('v-pushes').textContent = rate(v.pushesPerSec);
  document.getElementById('v-events').textContent = rate(v.eventsPublishedPerSec);

  const services = [];
  const gates = [];
  for (const gate of status.gates || []) {
    gates.push([cell(gate.id), cell(gate.mode || ''), ready(gate), cell(String(gate.connections ?? '–'), 'num'),
      cell(String(gate.inFlight ?? '–'), 'num'), cell(rate(gate.clientRequestsPerSec), 'num'),
      cell(rate(gate.routesPerSec), 'num')]);
    for (const s of gate.services || []) {
      const instances = (s.instances || []).map(i => i.id + (i.routable ? '' : ' (' + i.state.toLowerCase() + ')'));
      services.push([cell(s.service, 'service'), cell(gate.id), cell(s.routable + '/' + instances.length + '  '
        + instances.join(', ')), cell(rate(s.callsPerSec), 'num qps'), cell(ms(s.p50Ms), 'num'),
        cell(ms(s.p99Ms), 'num p99'), errors(s.errorsPerSec, s.errorsByCode), breakers(s.breakers)]);
    }
  }
  services.sort((a, b) => a[0].textContent.localeCompare(b[0].textContent));
  const instances = (status.services || []).map(s => [cell(s.id, 'instance'), cell(s.kind), ready(s),
    cell(String(s.gates ?? '–'), 'num'), cell(String(s.running ?? '–'), 'num'), cell(String(s.waiting ?? '–'), 'num'),
    cell(rate(s.callsPerSec), 'num qps'), cell(ms(s.p50Ms), 'num'), cell(ms(s.p99Ms), 'num p99'),
    errors(s.errorsPerSec, s.errorsByCode)]);
  fill('services', services, 8);
  fill('instances', instances, 10);
  fill('gates', gates, 7);
}

async function poll() {
  try {
    const response = await fetch('status', {cache: 'no-store'});
    render(await response.json());
  } catch (e) {
    const badge = document.getElementById('readiness');
    badge.textContent = 'unreachable';
    badge.className = 'badge bad';
  }
  setTimeout(poll, every);
}

poll();
