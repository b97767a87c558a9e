(() => {
  'use strict';
  const meta = name => document.querySelector(`meta[name="actormq-${name}"]`).content;
  const base = meta('base');
  const antiforgery = meta('antiforgery');
  const refreshMs = Number(meta('refresh-ms'));
  const chartPoints = Number(meta('chart-points'));
  const defaultPageSize = Number(meta('page-size'));
  const $ = id => document.getElementById(id);

  // ---- DOM helpers: text is always set as text, never parsed as HTML
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  // ---- untrusted text (queue names, routing keys, headers, error text): what UntrustedText does on the server.
  // Controls, format characters (bidi controls such as U+202E, zero-width characters), line separators and lone
  // surrogates are shown as visible escapes (orders\u202Egnp.exe, never "ordersexe.png"); a long value is cut with "…"
  // and shows in full (escaped too) on hover.
  const unsafeChars = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;
  const escapeChar = c => {
    const code = c.codePointAt(0);
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (code <= 0x9f) return '\\x' + code.toString(16).padStart(2, '0');
    if (code <= 0xffff) return '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    return '\\u{' + code.toString(16).toUpperCase() + '}';
  };
  const visible = (text, keepLines) => String(text ?? '').replace(unsafeChars, c => keepLines && (c === '\n' || c === '\t') ? c : escapeChar(c));
  const nameLength = 80;
  function shown(text, max) {
    const full = visible(text);
    const limit = max || nameLength;
    const chars = Array.from(full);
    const cut = chars.length > limit ? chars.slice(0, limit - 1).join('') + '…' : full;
    const span = el('span', { class: cut === full ? 'untrusted' : 'untrusted cut', title: cut === full && full === String(text ?? '') ? null : full.slice(0, 4096) }, cut);
    return span;
  }

  const fmt = n => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
  const rate = r => r === null || r === undefined || !isFinite(r) ? '–' : r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en-US');
  const when = iso => {
    if (!iso) return '–';
    const d = new Date(iso);
    const pad = n => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  const shortType = t => t && t.includes('.') ? t.slice(t.lastIndexOf('.') + 1) : t;
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : (many || one + 's')}`;

  // ---- the API
  async function api(path, options) {
    const response = await fetch(base + path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, options));
    if (!response.ok) {
      let detail = '';
      try { const problem = await response.json(); detail = problem.detail || problem.title || ''; } catch { /* not JSON */ }
      throw new Error(detail || `${response.status} ${response.statusText}`);
    }
    return response.json();
  }
  const post = (path, body) => api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-ActorMq-Antiforgery': antiforgery },
    body: JSON.stringify(body),
  });

  // ---- routing between the two views
  // The dead-letter view keeps its filter and page in the address (#/dead-letters?queue=orders&group=...&page=2): a link
  // to it opens the same selection.
  const views = { overview: $('view-overview'), 'dead-letters': $('view-dead-letters'), groups: $('view-groups') };
  const filterKeys = ['queue', 'errorType', 'search', 'text', 'messageId', 'from', 'to', 'state', 'group'];
  let current = null;
  function route() {
    const hash = location.hash.replace(/^#\/?/, '');
    const question = hash.indexOf('?');
    const name = (question < 0 ? hash : hash.slice(0, question)) || 'overview';
    current = views[name] ? name : 'overview';
    for (const [key, view] of Object.entries(views)) view.hidden = key !== current;
    for (const key of Object.keys(views)) $(`tab-${key}`).classList.toggle('active', current === key);
    if (current === 'overview') drawChart();
    if (current === 'dead-letters') {
      const params = new URLSearchParams(question < 0 ? '' : hash.slice(question + 1));
      const next = {};
      for (const key of filterKeys) if (params.get(key)) next[key] = params.get(key);
      const nextPage = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
      if (JSON.stringify(next) !== JSON.stringify(filter)) selected.clear();
      filter = next;
      page = nextPage;
      const size = parseInt(params.get('size') || '', 10);
      pageSize = size >= 1 && size <= 500 ? size : defaultPageSize;
      sort = ['id', 'deadAt', 'queue', 'errorType', 'attempts'].includes(params.get('sort')) ? params.get('sort') : 'id';
      dir = params.get('dir') === 'asc' ? 'asc' : 'desc';
      writeSortAndSize();
      writeFilterForm(filter);
      loadDeadLetters();
    } else closeDetail();
    if (current === 'groups') loadGroups();
  }
  function deadLettersHash(f, p) {
    const params = new URLSearchParams();
    for (const key of filterKeys) if (f[key]) params.set(key, f[key]);
    if (p && p > 1) params.set('page', String(p));
    if (sort !== 'id') params.set('sort', sort);
    if (dir !== 'desc') params.set('dir', dir);
    if (pageSize !== defaultPageSize) params.set('size', String(pageSize));
    const query = params.toString();
    return '#/dead-letters' + (query ? '?' + query : '');
  }
  // Shows the dead letters for this filter and page, through the address (so back, reload and a copied link agree).
  function navigate(f, p) {
    const hash = deadLettersHash(f, p);
    if (location.hash === hash) route(); else location.hash = hash;
  }
  window.addEventListener('hashchange', route);

  // ---- overview: polling, rates, chart
  const series = [
    { key: 'handled', label: 'handled', color: '#16a34a', css: 'handled' },
    { key: 'failed', label: 'failed', color: '#dc2626', css: 'failed' },
    { key: 'retried', label: 'retried', color: '#d97706', css: 'retried' },
    { key: 'deadLettered', label: 'dead-lettered', color: '#7c3aed', css: 'dead' },
  ];
  const points = []; // { at: ms, handled, failed, retried, deadLettered } per second
  const history = []; // recent statistics snapshots, for consumer rates
  let lastStats = null;
  $('chart-legend').append(...series.map(s => el('span', { class: s.css }, el('i'), s.label)));

  function linkClass(state) { return (state || 'unreachable').toLowerCase(); }

  function showLink(state, detail) {
    const badge = $('link-badge');
    badge.className = 'link-badge ' + linkClass(state);
    $('link-badge-text').textContent = state === 'unreachable' ? 'admin API unreachable' : `Broker ${state.toLowerCase()}`;
    const value = $('link-state');
    value.textContent = state === 'unreachable' ? 'Unreachable' : state;
    value.className = 'value state-' + linkClass(state);
    $('link-detail').textContent = detail || '';
  }

  async function pollOverview() {
    try {
      const o = await api('/api/overview');
      const link = o.link;
      const state = link.state.charAt(0).toUpperCase() + link.state.slice(1);
      showLink(state, [link.endpoint, `since ${when(link.since)} UTC`, link.reason].filter(Boolean).join(' · '));
      $('dead-waiting').textContent = fmt(o.deadLetters);
      $('dead-count').textContent = o.deadLetters > 0 ? fmt(o.deadLetters) : '';
      const s = o.statistics;
      $('total-handled').textContent = fmt(s.handled);
      $('total-failed').textContent = fmt(s.failed);
      $('total-retried').textContent = fmt(s.retried);
      $('total-dead').textContent = fmt(s.deadLettered);
      $('total-replayed').textContent = fmt(s.replayed);
      $('in-flight').textContent = fmt(s.inFlight);
      $('buffered').textContent = fmt(s.buffered);
      $('total-published').textContent = fmt(s.published);
      $('total-confirmed').textContent = fmt(s.confirmed);
      addPoint(s);
      renderConsumers(o.consumers, s);
      renderQueues(o.queues);
    } catch (e) {
      showLink('unreachable', e.message);
    }
  }

  function addPoint(s) {
    const at = Date.parse(s.at);
    if (lastStats) {
      const seconds = (at - Date.parse(lastStats.at)) / 1000;
      if (seconds > 0) {
        const p = { at };
        for (const { key } of series) p[key] = Math.max(0, (s[key] - lastStats[key]) / seconds);
        points.push(p);
        while (points.length > chartPoints) points.shift();
      }
    }
    lastStats = s;
    history.push(s);
    while (history.length > 6) history.shift();
    if (current === 'overview') drawChart();
  }

  function queueRate(queue, key) {
    if (history.length < 2) return null;
    const first = history[0], last = history[history.length - 1];
    const seconds = (Date.parse(last.at) - Date.parse(first.at)) / 1000;
    const a = (first.queues || {})[queue], b = (last.queues || {})[queue];
    if (!(seconds > 0)) return null;
    return Math.max(0, ((b ? b[key] : 0) - (a ? a[key] : 0)) / seconds);
  }

  function renderConsumers(consumers) {
    const body = $('consumers').tBodies[0];
    body.replaceChildren(...consumers.map(c => {
      const state = !c.runsHere
        ? el('span', { class: 'pill elsewhere', title: 'not consumed by this process' }, c.brokerConsumers === null || c.brokerConsumers === undefined ? 'not here' : `${plural(c.brokerConsumers, 'consumer')} on broker`)
        : c.breaker === 'open' ? el('span', { class: 'pill breaker', title: `paused by its circuit breaker: ${plural(c.waiting, 'delivery', 'deliveries')} held unacked` }, 'Breaker open')
        : c.breaker === 'halfOpen' ? el('span', { class: 'pill breaker', title: `probing: one delivery goes through, ${plural(c.waiting, 'delivery', 'deliveries')} held` }, 'Breaker half-open')
        : c.consuming ? el('span', { class: 'pill consuming' }, 'Consuming') : el('span', { class: 'pill stopped' }, 'Stopped');
      return el('tr', { dataset: { consumer: c.name } },
        el('td', {}, el('strong', {}, shown(c.name))),
        el('td', { class: 'mono' }, shown(c.queue)),
        el('td', {}, state),
        el('td', { class: 'num' }, c.runsHere ? fmt(c.inFlight) : '–'),
        // Rates come from this process's own totals: a consumer running elsewhere has none here.
        ...['handled', 'failed', 'retried', 'deadLettered'].map(key => el('td', { class: 'num' }, c.runsHere ? rate(queueRate(c.queue, key)) : '–')));
    }));
    $('consumers-note').textContent = consumers.length === 0 ? 'no consumers configured' : 'rates over the last polls';
  }

  function renderQueues(queues) {
    const body = $('queues').tBodies[0];
    const max = Math.max(1, ...queues.map(q => q.messages || 0));
    body.replaceChildren(...queues.map(q => {
      const bar = el('div');
      bar.style.width = `${Math.round(100 * (q.messages || 0) / max)}%`;
      return el('tr', { class: q.kind === 'retry' ? 'tier' : '', dataset: { queue: q.queue } },
        el('td', { class: 'mono' }, shown(q.queue)),
        el('td', { class: 'muted' }, q.kind === 'retry' ? 'retry tier' : 'work'),
        el('td', { class: 'num' }, q.exists === false ? 'missing' : fmt(q.messages)),
        el('td', { class: 'num' }, fmt(q.consumers)),
        el('td', {}, el('div', { class: 'bar' }, bar)));
    }));
  }

  function niceMax(value) {
    if (value <= 1) return 1;
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
    return 10 * magnitude;
  }

  function drawChart() {
    const canvas = $('rate-chart');
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (!width || !height) return;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 48, right = 12, top = 10, bottom = 26;
    const plotW = width - left - right, plotH = height - top - bottom;
    const maxY = niceMax(Math.max(0, ...points.flatMap(p => series.map(s => p[s.key]))));
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    for (let i = 0; i <= 4; i++) {
      const y = top + plotH - (plotH * i) / 4;
      g.strokeStyle = i === 0 ? '#cbd5e1' : '#eef2f6';
      g.lineWidth = 1;
      g.beginPath(); g.moveTo(left, Math.round(y) + 0.5); g.lineTo(left + plotW, Math.round(y) + 0.5); g.stroke();
      g.fillStyle = '#64748b';
      const v = (maxY * i) / 4;
      g.fillText(String(+v.toFixed(2)), left - 8, y);
    }
    g.save(); g.translate(12, top + plotH / 2); g.rotate(-Math.PI / 2); g.textAlign = 'center'; g.fillText('msg/s', 0, 0); g.restore();
    const span = chartPoints * refreshMs;
    const now = points.length ? points[points.length - 1].at : Date.now();
    const x = at => left + plotW - ((now - at) / span) * plotW;
    g.textAlign = 'center';
    g.textBaseline = 'top';
    g.fillStyle = '#64748b';
    for (let i = 0; i <= 4; i++) {
      const ago = (span * i) / 4;
      const label = i === 0 ? 'now' : ago >= 120000 ? `-${+(ago / 60000).toFixed(1)}m` : `-${Math.round(ago / 1000)}s`;
      g.fillText(label, left + plotW - (plotW * i) / 4, top + plotH + 8);
    }
    if (points.length < 2) {
      g.textBaseline = 'middle';
      g.fillStyle = '#94a3b8';
      g.font = '13px system-ui, sans-serif';
      g.fillText('Collecting samples…', left + plotW / 2, top + plotH / 2);
      return;
    }
    g.save();
    g.beginPath(); g.rect(left, top - 2, plotW, plotH + 4); g.clip();
    for (const s of series) {
      g.strokeStyle = s.color;
      g.lineWidth = 2;
      g.lineJoin = 'round';
      g.beginPath();
      points.forEach((p, i) => {
        const px = x(p.at), py = top + plotH - (p[s.key] / maxY) * plotH;
        if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
      });
      g.stroke();
    }
    g.restore();
  }
  window.addEventListener('resize', () => { if (current === 'overview') drawChart(); });

  // ---- dead letters: filters, list, paging, selection, actions
  let filter = {};
  let waiting = 0;
  let page = 1;
  let pageSize = defaultPageSize;
  let sort = 'id';
  let dir = 'desc';

  function writeSortAndSize() {
    for (const th of document.querySelectorAll('#dead-letters th.sortable'))
      th.setAttribute('aria-sort', th.dataset.sort === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none');
    const select = $('page-size');
    if (![...select.options].some(o => Number(o.value) === pageSize)) select.append(el('option', {}, String(pageSize)));
    select.value = String(pageSize);
  }
  for (const th of document.querySelectorAll('#dead-letters th.sortable')) {
    th.setAttribute('data-testid', `sort-${th.dataset.sort}`);
    th.addEventListener('click', () => {
      if (sort === th.dataset.sort) dir = dir === 'asc' ? 'desc' : 'asc';
      else { sort = th.dataset.sort; dir = th.dataset.sort === 'queue' || th.dataset.sort === 'errorType' ? 'asc' : 'desc'; }
      navigate(filter, 1);
    });
  }
  $('page-size').addEventListener('change', e => { pageSize = Number(e.target.value); navigate(filter, 1); });
  let total = 0;
  let rows = [];
  const selected = new Set();

  function readFilter() {
    const value = id => $(id).value.trim();
    // The time inputs are in UTC, as every time on the page.
    const date = id => value(id) ? new Date(value(id) + 'Z').toISOString() : undefined;
    const f = { queue: value('f-queue'), errorType: value('f-error-type'), search: value('f-search'), text: value('f-text'), messageId: value('f-message-id'),
      from: date('f-from'), to: date('f-to'), state: value('f-state'), group: filter.group };
    for (const key of Object.keys(f)) if (!f[key]) delete f[key];
    return f;
  }

  // The form shows the filter in the address: selects get the value even before their facets arrive.
  function writeFilterForm(f) {
    const setSelect = (id, value) => {
      const select = $(id);
      if (value && ![...select.options].some(o => o.value === value)) select.append(el('option', { value }, value));
      select.value = value || '';
    };
    const local = iso => {
      if (!iso) return '';
      const d = new Date(iso);
      if (isNaN(d)) return '';
      const pad = n => String(n).padStart(2, '0');
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    };
    setSelect('f-queue', f.queue);
    setSelect('f-error-type', f.errorType);
    setSelect('f-state', f.state);
    $('f-search').value = f.search || '';
    $('f-text').value = f.text || '';
    $('f-message-id').value = f.messageId || '';
    $('f-from').value = local(f.from);
    $('f-to').value = local(f.to);
    $('group-chip').hidden = !f.group;
    $('group-chip-text').textContent = f.group ? (groupNames.get(f.group) || f.group) : '';
  }

  function describeFilter(f) {
    const parts = [];
    if (f.queue) parts.push(`queue ${f.queue}`);
    if (f.errorType) parts.push(`error ${shortType(f.errorType)}`);
    if (f.group) parts.push(`group ${groupNames.get(f.group) || f.group}`);
    if (f.messageId) parts.push(`message id ${f.messageId}`);
    if (f.search) parts.push(`search “${f.search}”`);
    if (f.text) parts.push(`message containing “${f.text}”`);
    if (f.from) parts.push(`from ${when(f.from)} UTC`);
    if (f.to) parts.push(`before ${when(f.to)} UTC`);
    if (f.state) parts.push(`state ${f.state}`);
    return parts.join(', ');
  }
  // "every dead letter" or "every dead letter matching queue orders, error TimeoutException"
  const scope = f => describeFilter(f) ? `every dead letter matching ${describeFilter(f)}` : 'every dead letter';

  $('filters').addEventListener('submit', e => {
    e.preventDefault();
    navigate(readFilter(), 1);
  });
  $('filter-clear').addEventListener('click', () => {
    $('filters').reset();
    navigate({}, 1);
  });
  $('group-chip-clear').addEventListener('click', () => navigate(Object.assign({}, filter, { group: undefined }), 1));
  $('prev').addEventListener('click', () => { if (page > 1) navigate(filter, page - 1); });
  $('next').addEventListener('click', () => { if (page * pageSize < total) navigate(filter, page + 1); });

  function fillFacet(select, facets, allLabel) {
    const keep = select.value;
    select.replaceChildren(el('option', { value: '' }, allLabel),
      ...facets.map(f => el('option', { value: f.value, title: visible(f.value).slice(0, 4096) }, `${Array.from(visible(select.id === 'f-error-type' ? shortType(f.value) : f.value)).slice(0, nameLength).join('')} (${fmt(f.count)})`)));
    if (keep && !facets.some(f => f.value === keep)) select.append(el('option', { value: keep }, keep));
    select.value = keep;
  }

  let loading = 0;
  async function loadDeadLetters() {
    const ticket = ++loading;
    const query = new URLSearchParams(Object.assign({}, filter, { page: String(page), pageSize: String(pageSize), sort, dir }));
    try {
      const list = await api('/api/dead-letters?' + query.toString());
      if (ticket !== loading) return;
      rows = list.items;
      total = list.total;
      fillFacet($('f-queue'), list.facets.queues, 'All queues');
      fillFacet($('f-error-type'), list.facets.errorTypes, 'All error types');
      waiting = list.facets.waiting;
      $('dead-count').textContent = waiting > 0 ? fmt(waiting) : '';
      renderRows();
      if (filter.group && !groupNames.has(filter.group)) {
        // Opened from a link: name the group in the chip.
        const named = await api('/api/dead-letters/groups?group=' + encodeURIComponent(filter.group));
        if (named.items.length) {
          groupNames.set(filter.group, groupLabel(named.items[0]));
          writeFilterForm(filter);
          renderRows();
        }
      }
    } catch (e) {
      showBanner('error', `Could not load dead letters: ${e.message}`);
    }
  }

  // The replay loop as the store records it (never guessed): a replayed row's copy is pending until a consumer reports
  // it handled (resolved) or dead-lettered again (failed again → the new row, which names this one as replayed from).
  const stateNames = { failedAgain: 'failed again' };
  function stateName(state) { return stateNames[state] || state; }
  function rowLink(id, text, testid) {
    return el('a', { class: 'again', href: `#dead-letter-${id}`, dataset: { testid },
      onclick: e => { e.preventDefault(); e.stopPropagation(); openDetail(id); } }, text);
  }
  function lineage(r) {
    const parts = [];
    if (r.state === 'replayed') parts.push(el('span', { class: 'again pending', dataset: { testid: 'lineage' } }, 'sent, not yet handled'));
    else if (r.state === 'resolved') parts.push(el('span', { class: 'again ok', dataset: { testid: 'lineage' }, title: `handled ${when(r.resolvedAt)} UTC` }, 'copy handled'));
    else if (r.state === 'failedAgain' && r.failedAgainId) parts.push(rowLink(r.failedAgainId, `failed again → #${r.failedAgainId}`, 'lineage'));
    if (r.replayedFrom) parts.push(rowLink(r.replayedFrom, `replay of #${r.replayedFrom}`, 'replayed-from'));
    if (r.replayError && r.state === 'dead') parts.push(el('span', { class: 'again', title: r.replayError }, 'replay publish failed'));
    return parts;
  }
  function stateCell(r) {
    return el('td', {}, el('span', { class: `pill ${r.state}`, dataset: { testid: 'state' } }, stateName(r.state)), ...lineage(r));
  }

  function renderRows() {
    const body = $('dead-letters').tBodies[0];
    body.replaceChildren(...rows.map(r => {
      const box = el('input', { type: 'checkbox', 'aria-label': `Select ${r.id}`, onclick: e => e.stopPropagation(), onchange: e => {
        if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
        e.target.closest('tr').classList.toggle('selected', e.target.checked);
        updateSelection();
      } });
      box.checked = selected.has(r.id);
      return el('tr', { class: selected.has(r.id) ? 'selected' : '', dataset: { id: String(r.id), state: r.state }, onclick: () => openDetail(r.id) },
        el('td', { class: 'check' }, box),
        el('td', { class: 'num mono' }, `#${r.id}`),
        el('td', { class: 'mono' }, when(r.deadAt)),
        el('td', { class: 'mono', dataset: { testid: 'queue' } }, shown(r.queue)),
        el('td', { class: 'mono msg-id', dataset: { testid: 'message-id' }, title: r.messageId || '' }, r.messageId ? shown(r.messageId, 80) : '–'),
        el('td', {}, el('div', { class: 'err-type' }, shown(shortType(r.errorType))), el('div', { class: 'err-msg' }, shown(r.errorMessage, 300))),
        el('td', { class: 'num' }, fmt(r.attempts)),
        stateCell(r));
    }));
    $('empty').hidden = rows.length > 0;
    const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
    $('page-info').textContent = `${fmt(first)}–${fmt(Math.min(total, page * pageSize))} of ${plural(total, 'dead letter')}`;
    // The tab's badge counts the rows waiting (state dead); with the state filter "dead" the list's total is that number.
    $('matching').textContent = (describeFilter(filter) ? `${plural(total, 'dead letter')} matching ${describeFilter(filter)}` : `${plural(total, 'dead letter')} · no filter`)
      + (filter.state === 'dead' ? '' : ` · ${fmt(waiting)} waiting (state dead)`);
    $('prev').disabled = page <= 1;
    $('next').disabled = page * pageSize >= total;
    updateSelection();
  }

  function updateSelection() {
    const n = selected.size;
    $('replay-selected').disabled = n === 0;
    $('discard-selected').disabled = n === 0;
    $('replay-selected').textContent = n ? `Replay selected (${n})` : 'Replay selected';
    $('discard-selected').textContent = n ? `Discard selected (${n})` : 'Discard selected';
    const all = $('select-all');
    all.checked = rows.length > 0 && rows.every(r => selected.has(r.id));
  }
  $('select-all').addEventListener('change', e => {
    for (const r of rows) { if (e.target.checked) selected.add(r.id); else selected.delete(r.id); }
    renderRows();
  });

  function showBanner(kind, text) {
    const banner = $('banner');
    banner.className = `banner ${kind}`;
    banner.textContent = text;
    banner.hidden = false;
  }

  function confirmAction(title, text, okLabel, danger) {
    return new Promise(resolve => {
      $('confirm-title').textContent = title;
      $('confirm-text').textContent = text;
      const ok = $('confirm-ok');
      ok.textContent = okLabel;
      ok.className = danger ? 'btn danger solid' : 'btn primary';
      $('confirm').hidden = false;
      ok.focus();
      const done = answer => {
        $('confirm').hidden = true;
        ok.onclick = null; $('confirm-cancel').onclick = null; document.onkeydown = null;
        resolve(answer);
      };
      ok.onclick = () => done(true);
      $('confirm-cancel').onclick = () => done(false);
      document.onkeydown = e => { if (e.key === 'Escape') done(false); };
    });
  }

  function replayText(result) {
    if (result.replayed + result.failed === 0) return ['warn', 'Nothing replayed: no dead letter in state dead matches.'];
    const ids = result.outcomes.filter(o => o.replayed).slice(0, 10).map(o => `#${o.id}`).join(', ');
    let text = `Replayed ${plural(result.replayed, 'message')}${ids ? ` (${ids}${result.replayed > 10 ? ', …' : ''})` : ''}: the broker confirmed ${result.replayed === 1 ? 'it' : 'them'}.`;
    if (result.failed > 0) {
      const first = result.outcomes.find(o => !o.replayed);
      text += ` ${plural(result.failed, 'message')} failed to publish and stayed dead${first && first.error ? ` (${first.error})` : ''}.`;
    }
    text += ' A message that fails again shows up as a new dead letter and its replayed row says “failed again”.';
    return [result.failed > 0 ? 'warn' : 'ok', text];
  }

  async function run(action, body, describe) {
    try {
      const result = await post(`/api/dead-letters/${action}`, body);
      if (action === 'replay') {
        const [kind, text] = replayText(result);
        showBanner(kind, text);
        // The replayed copies are handled (or fail again) shortly: look again.
        setTimeout(loadDeadLetters, 1500);
        setTimeout(loadDeadLetters, 5000);
      } else {
        showBanner('ok', describe(result.count));
      }
      selected.clear();
      await loadDeadLetters();
      pollOverview();
      return result;
    } catch (e) {
      showBanner('error', `${action} failed: ${e.message}`);
      return null;
    }
  }

  $('replay-one').addEventListener('click', () => run('replay', Object.assign({}, filter, { limit: 1 })));
  $('replay-selected').addEventListener('click', async () => {
    const ids = [...selected];
    if (await confirmAction('Replay selected', `Replay ${plural(ids.length, 'selected dead letter')} to the queues they failed in? Only rows in state dead are replayed.`, 'Replay'))
      run('replay', { ids });
  });
  $('replay-all').addEventListener('click', async () => {
    if (await confirmAction('Replay all matching', `Replay ${scope(filter)} (${plural(total, 'row')}; only rows in state dead are replayed) to the queues they failed in?`, 'Replay all'))
      run('replay', Object.assign({}, filter));
  });
  $('discard-selected').addEventListener('click', async () => {
    const ids = [...selected];
    if (await confirmAction('Discard selected', `Set ${plural(ids.length, 'selected dead letter')} aside? Discarded rows are kept for the record and never replayed.`, 'Discard'))
      run('discard', { ids }, n => `Discarded ${plural(n, 'dead letter')}.`);
  });
  $('purge').addEventListener('click', async () => {
    if (await confirmAction('Purge matching', `Delete ${scope(filter)} (${plural(total, 'row')}) for good? This cannot be undone.`, 'Purge', true))
      run('purge', Object.assign({}, filter), n => `Deleted ${plural(n, 'dead letter')}.`);
  });

  // ---- failure groups: one row per cause, with its count; open, replay (one first, then the rest) or discard it
  const groupNames = new Map(); // key -> "queue · Type: pattern", for the chip and the descriptions
  const groupLabel = g => `${g.queue} · ${shortType(g.errorType)}: ${g.pattern}`;
  let groupList = [];

  async function loadGroups() {
    const state = $('groups-state').value;
    try {
      const list = await api('/api/dead-letters/groups' + (state ? `?state=${encodeURIComponent(state)}` : ''));
      groupList = list.items;
      for (const g of groupList) groupNames.set(g.key, groupLabel(g));
      renderGroups(list);
    } catch (e) {
      groupBanner('error', `Could not load the failure groups: ${e.message}`);
    }
  }
  $('groups-state').addEventListener('change', loadGroups);

  function groupBanner(kind, text) {
    const banner = $('groups-banner');
    banner.className = `banner ${kind}`;
    banner.textContent = text;
    banner.hidden = false;
  }

  function renderGroups(list) {
    const body = $('groups').tBodies[0];
    body.replaceChildren(...list.items.map(g => {
      const cause = el('td', {},
        el('div', { class: 'err-type' }, shown(shortType(g.errorType))),
        el('div', { class: 'err-msg', dataset: { testid: 'pattern' } }, shown(g.pattern, 300)),
        g.topFrames.length ? el('div', { class: 'frame' }, shown(`at ${g.topFrames[0]}`, 160)) : null);
      const open = el('a', { class: 'btn small', href: deadLettersHash({ group: g.key }, 1), dataset: { testid: 'group-open' } }, 'Open');
      const one = el('button', { class: 'btn small primary', dataset: { testid: 'group-replay-one' }, title: 'Replays the oldest dead letter of this group, at once',
        onclick: () => groupAction(g, 'replay', { group: g.key, limit: 1 }) }, 'Replay one');
      const rest = el('button', { class: 'btn small', dataset: { testid: 'group-replay-all' }, onclick: async () => {
        if (await confirmAction('Replay the group', `Replay every dead letter of “${visible(groupLabel(g))}” (${plural(g.count, 'row')}) to queue ${visible(g.queue)}?`, 'Replay all'))
          groupAction(g, 'replay', { group: g.key });
      } }, 'Replay all');
      const discard = el('button', { class: 'btn small', dataset: { testid: 'group-discard' }, onclick: async () => {
        if (await confirmAction('Discard the group', `Set every dead letter of “${visible(groupLabel(g))}” (${plural(g.count, 'row')}) aside? Discarded rows are kept for the record and never replayed.`, 'Discard all'))
          groupAction(g, 'discard', { group: g.key });
      } }, 'Discard all');
      return el('tr', { dataset: { group: g.key } },
        el('td', { class: 'num', dataset: { testid: 'group-count' } }, fmt(g.count)),
        el('td', { class: 'mono' }, shown(g.queue)),
        cause,
        el('td', { class: 'mono' }, when(g.firstSeen)),
        el('td', { class: 'mono' }, when(g.lastSeen)),
        el('td', {}, el('div', { class: 'group-actions' }, open, one, rest, discard)));
    }));
    $('groups-empty').hidden = list.items.length > 0;
    $('groups-summary').textContent = `${plural(list.total, 'dead letter')} in ${plural(list.items.length, 'failure group')} (same queue, error type, message with ids and numbers masked, and top frames of your code)`;
  }

  async function groupAction(g, action, body) {
    try {
      const result = await post(`/api/dead-letters/${action}`, body);
      if (action === 'replay') {
        const [kind, text] = replayText(result);
        groupBanner(kind, `${visible(groupLabel(g))}: ${text}`);
        setTimeout(loadGroups, 1500);
      } else {
        groupBanner('ok', `${visible(groupLabel(g))}: discarded ${plural(result.count, 'dead letter')}.`);
      }
      await loadGroups();
      pollOverview();
    } catch (e) {
      groupBanner('error', `${action} failed: ${e.message}`);
    }
  }

  // ---- detail drawer
  let detailId = null;
  let detail = null;
  function closeDetail() { $('drawer').hidden = true; detailId = null; }
  $('detail-close').addEventListener('click', closeDetail);

  async function openDetail(id) {
    detailId = id;
    try {
      const d = await api(`/api/dead-letters/${id}`);
      if (detailId !== id) return;
      detail = d;
      renderDetail(d);
      $('drawer').hidden = false;
    } catch (e) {
      showBanner('error', `Could not load dead letter #${id}: ${e.message}`);
    }
  }

  function renderDetail(d) {
    const r = d.row;
    $('detail-title').textContent = `Dead letter #${r.id}`;
    const facts = [
      ['State', el('span', {}, el('span', { class: `pill ${r.state}` }, stateName(r.state)), ...lineage(r))],
      ['Queue', shown(r.queue)], ['Exchange', d.exchange ? shown(d.exchange) : '(default)'], ['Routing key', d.routingKey ? shown(d.routingKey) : '–'], ['Message id', r.messageId ? shown(r.messageId) : '–'],
      ['Attempts', fmt(r.attempts)], ['First failed (UTC)', when(d.firstFailedAt)], ['Dead at (UTC)', when(r.deadAt)],
      ['Replays', fmt(r.replayCount)], ['Replayed at (UTC)', when(r.replayedAt)], ['Resolved at (UTC)', when(r.resolvedAt)], ['Claimed by', d.claimedBy ? shown(d.claimedBy) : '–'], ['Replay error', r.replayError ? shown(r.replayError, 300) : '–'],
    ];
    $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    $('detail-error').textContent = visible(d.errorDetail && d.errorDetail.startsWith(r.errorType) ? d.errorDetail
      : `${r.errorType}: ${r.errorMessage}${d.errorDetail ? '\n\n' + d.errorDetail : ''}`, true);
    $('body-size').textContent = `${plural(d.body.size, 'byte')}${d.body.truncated ? ' (first 1 MiB shown)' : ''}`;
    $('body-download').href = `${base}/api/dead-letters/${r.id}/body`;
    const modes = { json: d.body.json, text: d.body.text, hex: d.body.hex + (d.body.hexTruncated ? '… (first 64 KiB)' : '') };
    for (const button of $('body-modes').querySelectorAll('button')) button.disabled = modes[button.dataset.mode] === null || modes[button.dataset.mode] === undefined;
    showBody(d.body.json != null ? 'json' : d.body.text != null ? 'text' : 'hex');
    const kv = (id, list, typed) => $(id).tBodies[0].replaceChildren(...(list.length ? list.map(x =>
      el('tr', {}, el('td', {}, shown(x.name), typed ? el('span', { class: 'type' }, x.type) : null), el('td', {}, shown(x.value, 400)))) : [el('tr', {}, el('td', { class: 'muted' }, 'none'), el('td'))]));
    kv('detail-properties', d.properties, false);
    kv('detail-headers', d.headers, true);
    $('detail-replay').disabled = r.state !== 'dead';
    $('detail-edit').disabled = r.state !== 'dead';
    $('detail-editor').hidden = true;
    $('detail-discard').disabled = r.state !== 'dead';
  }

  function showBody(mode) {
    const d = detail;
    const text = mode === 'json' ? d.body.json : mode === 'text' ? d.body.text : d.body.hex + (d.body.hexTruncated ? '\n… (first 64 KiB shown)' : '');
    $('detail-body').textContent = d.body.size === 0 ? '(empty body)'
      : visible(text, true) + (d.body.truncated && mode !== 'hex' ? '\n… (first 1 MiB shown: download the whole body)' : '');
    for (const button of $('body-modes').querySelectorAll('button')) button.classList.toggle('active', button.dataset.mode === mode);
  }
  $('body-modes').addEventListener('click', e => { const mode = e.target.dataset && e.target.dataset.mode; if (mode && !e.target.disabled) showBody(mode); });

  async function detailAction(action, title, text, label, danger) {
    const id = detailId;
    if (id === null || !(await confirmAction(title, text(id), label, danger))) return;
    const describe = n => action === 'discard' ? `Discarded ${plural(n, 'dead letter')}.` : `Deleted ${plural(n, 'dead letter')}.`;
    const result = await run(action, { ids: [id] }, describe);
    if (result && action === 'purge') closeDetail();
    else if (result) openDetail(id);
  }
  $('detail-replay').addEventListener('click', () => detailAction('replay', 'Replay', id => `Replay dead letter #${id} to its queue?`, 'Replay'));
  $('detail-discard').addEventListener('click', () => detailAction('discard', 'Discard', id => `Set dead letter #${id} aside? It is kept but never replayed.`, 'Discard'));
  $('detail-purge').addEventListener('click', () => detailAction('purge', 'Purge', id => `Delete dead letter #${id} for good? This cannot be undone.`, 'Purge', true));

  // ---- edit and replay: the stored row is kept; the edited copy is replayed and the edit audit-logged by the server
  function openEditor() {
    const d = detail;
    const editable = d.body.text !== null && d.body.text !== undefined && !d.body.truncated;
    $('edit-body').value = editable ? d.body.text : '';
    $('edit-body').disabled = !editable;
    $('edit-body-note').textContent = editable ? '' : '(not text, or over 1 MiB: replayed as stored)';
    // Shown and sent as text, never through JavaScript numbers: an int64 header keeps every digit.
    $('edit-headers').value = d.headersJson;
    $('detail-editor').hidden = false;
    (editable ? $('edit-body') : $('edit-headers')).focus();
  }
  $('detail-edit').addEventListener('click', openEditor);
  $('edit-cancel').addEventListener('click', () => { $('detail-editor').hidden = true; });
  $('edit-replay').addEventListener('click', async () => {
    const d = detail;
    const id = d.row.id;
    const change = {};
    if (!$('edit-body').disabled && $('edit-body').value !== d.body.text) change.body = $('edit-body').value;
    if ($('edit-headers').value.trim() !== d.headersJson.trim()) change.headers = $('edit-headers').value;
    if (!Object.keys(change).length) {
      showBanner('warn', 'Nothing changed: use Replay to replay the message as it is.');
      return;
    }
    try {
      const result = await post(`/api/dead-letters/${id}/replay-edited`, change);
      const [kind, text] = replayText(result);
      showBanner(kind, `Edited copy of #${id}: ${text}`);
      setTimeout(loadDeadLetters, 1500);
      setTimeout(loadDeadLetters, 5000);
      await loadDeadLetters();
      openDetail(id);
    } catch (e) {
      showBanner('error', `Edit and replay of #${id} failed: ${e.message}`);
    }
  });

  // ---- start
  route();
  pollOverview();
  setInterval(pollOverview, refreshMs);
  setInterval(() => { if (current === 'dead-letters' && $('confirm').hidden && $('drawer').hidden) loadDeadLetters(); }, Math.max(5000, refreshMs * 3));
})();
