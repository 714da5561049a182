/// The site's stylesheet and script, written to DIR/assets (nothing is fetched at view time).
enum Assets {
  static let css = #"""
    :root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--right:#1a7f37;--wrong:#cf222e;--link:#0969da}
    @media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--right:#3fb950;--wrong:#f85149;--link:#4493f8}}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1200px;padding:16px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,sans-serif}
    a{color:var(--link)}
    h1{margin:4px 0}.sub{color:var(--muted);margin:0 0 12px}
    table.scores{border-collapse:collapse;margin:8px 0 16px}
    table.scores th,table.scores td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
    table.scores td.num{text-align:right;font-variant-numeric:tabular-nums}
    table.scores thead th{background:var(--panel)}
    figure{margin:8px 0;overflow-x:auto}
    #filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
    #filters select,#filters input{background:var(--bg);color:var(--fg);border:1px solid var(--line);padding:3px}
    #filters input{min-width:260px}
    #questions{list-style:none;padding:0;margin:0}
    li.q{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:var(--panel)}
    li.q>button.head{all:unset;box-sizing:border-box;display:flex;gap:10px;flex-wrap:wrap;width:100%;padding:6px 10px;cursor:pointer}
    li.q>button.head:focus-visible{outline:2px solid var(--link)}
    .qid{font-weight:600}.cat{color:var(--muted)}.qtext{flex:1 1 300px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .badge{border-radius:10px;padding:0 8px;border:1px solid var(--line);font-size:12px;white-space:nowrap}
    .badge.right{color:var(--right);border-color:var(--right)}.badge.wrong{color:var(--wrong);border-color:var(--wrong)}
    .detail{padding:6px 10px 10px;border-top:1px solid var(--line);background:var(--bg)}
    .frames{display:flex;flex-wrap:wrap;gap:4px;margin:6px 0}
    .frames img{height:96px;width:auto;border:1px solid var(--line);background:var(--panel)}
    .frames .missing{display:inline-block;height:96px;width:96px;border:1px dashed var(--line);color:var(--muted);font-size:11px;padding:4px}
    pre{white-space:pre-wrap;word-break:break-word;margin:2px 0 6px;padding:6px;background:var(--panel);border:1px solid var(--line);border-radius:4px}
    .msg .role{font-size:12px;color:var(--muted);text-transform:uppercase}
    .answers{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:8px}
    .answer{border:1px solid var(--line);border-radius:6px;padding:6px 8px}
    .answer h4{margin:0 0 4px}
    .kv{color:var(--muted)}
    #pager{display:flex;gap:6px;align-items:center;margin:10px 0}
    #pager button{background:var(--panel);color:var(--fg);border:1px solid var(--line);padding:2px 10px;cursor:pointer}
    #pager button[disabled]{opacity:.4;cursor:default}
    """#

  static let js = #"""
    // vreport's question browser. Every text from the data goes into the page through
    // textContent: nothing from a dataset, a prompt or a model is ever parsed as HTML.
    // The filters live in the URL hash (#category=..&wrong=A&right=B&q=..&page=2&open=ID).
    (function () {
      'use strict';
      var D = window.VREPORT_DATA;
      var list = document.getElementById('questions');
      if (!D || !list) { return; }
      var models = D.models || [];
      var pageSize = D.pageSize || 50;
      var questions = D.questions || [];
      var keys = ['category', 'wrong', 'right', 'q', 'page', 'open'];
      var state = {};

      // One lowercased text per question for the search box.
      for (var i = 0; i < questions.length; i++) {
        var q = questions[i], parts = [q.id, q.c || '', q.q || '', q.a || '', q.vid || ''];
        for (var m = 0; m < q.r.length; m++) { if (q.r[m] && q.r[m].p) { parts.push(q.r[m].p); } }
        q.h = parts.join('\n').toLowerCase();
      }

      function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined && text !== null) { e.textContent = String(text); }
        return e;
      }
      // A URL vreport wrote: relative, no scheme. Anything else is not linked.
      function safeURL(u) { return typeof u === 'string' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(u) && u.indexOf('//') !== 0 ? u : null; }

      function decode(s) { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return ''; } }
      function readHash() {
        var s = { category: '', wrong: '', right: '', q: '', page: 1, open: '' };
        location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
          if (!kv) { return; }
          var at = kv.indexOf('='), k = decode(at < 0 ? kv : kv.slice(0, at)), v = at < 0 ? '' : decode(kv.slice(at + 1));
          if (k === 'page') { var n = parseInt(v, 10); s.page = n > 0 ? n : 1; } else if (k === 'model') { s.wrong = v; } else if (keys.indexOf(k) >= 0) { s[k] = v; }
        });
        return s;
      }
      function writeHash() {
        var out = [];
        keys.forEach(function (k) {
          var v = state[k];
          if (v && !(k === 'page' && v === 1)) { out.push(k + '=' + encodeURIComponent(v)); }
        });
        var h = out.length ? '#' + out.join('&') : ' ';
        if (history.replaceState) { history.replaceState(null, '', h === ' ' ? location.pathname + location.search : h); } else { location.hash = h; }
      }

      function fill(select, values) {
        values.forEach(function (v) { var o = el('option', null, v); o.value = v; select.appendChild(o); });
      }
      var fCategory = document.getElementById('f-category'), fWrong = document.getElementById('f-wrong');
      var fRight = document.getElementById('f-right'), fSearch = document.getElementById('f-search');
      fill(fCategory, D.categories || []);
      fill(fWrong, models);
      fill(fRight, models);

      function verdict(q, model) {
        var i = models.indexOf(model);
        return i >= 0 && q.r[i] ? q.r[i].v : 'none';
      }
      function filtered() {
        var needle = state.q.toLowerCase(), out = [];
        for (var i = 0; i < questions.length; i++) {
          var q = questions[i];
          if (state.category && q.c !== state.category) { continue; }
          if (state.wrong && verdict(q, state.wrong) !== 'wrong') { continue; }
          if (state.right && verdict(q, state.right) !== 'right') { continue; }
          if (needle && q.h.indexOf(needle) < 0) { continue; }
          out.push(q);
        }
        return out;
      }

      function pre(text) { return el('pre', null, text); }
      function detail(q) {
        var d = el('div', 'detail');
        var frames = el('div', 'frames');
        (q.f || []).forEach(function (u, i) {
          var url = safeURL(u);
          if (url) {
            var a = el('a'); a.href = url; a.target = '_blank'; a.rel = 'noopener';
            var img = el('img', 'thumb'); img.loading = 'lazy'; img.src = url; img.alt = 'frame ' + (i + 1);
            a.appendChild(img); frames.appendChild(a);
          } else {
            frames.appendChild(el('span', 'missing', 'frame ' + (i + 1) + ' not available'));
          }
        });
        d.appendChild(frames);
        if (q.vid) { d.appendChild(el('div', 'kv', 'video: ' + q.vid)); }
        if (q.m && q.m.length) {
          var p = el('details', 'prompt'); p.open = true;
          p.appendChild(el('summary', null, 'Prompt as sent'));
          var group = null, groupRole = null;
          q.m.forEach(function (item) {
            // Consecutive images of one role: one line (frames 1, 2, ... and their names).
            if (item[1] !== 'text' && group && groupRole === item[0]) {
              group.textContent += ', ' + (item[3] !== undefined ? 'frame ' + (item[3] + 1) + ': ' : '') + item[2];
              return;
            }
            var box = el('div', 'msg role-' + String(item[0]).replace(/[^a-z]/g, ''));
            box.appendChild(el('span', 'role', item[0] + (item[1] !== 'text' ? ' · ' + item[1] : '')));
            if (item[1] === 'text') {
              box.appendChild(pre(item[2]));
              group = null;
            } else {
              group = el('div', 'kv', (item[3] !== undefined ? 'frame ' + (item[3] + 1) + ': ' : '') + item[2]);
              groupRole = item[0];
              box.appendChild(group);
            }
            p.appendChild(box);
          });
          d.appendChild(p);
        }
        d.appendChild(el('div', 'gt', 'Ground truth: ' + (q.a === undefined ? 'n/a' : q.a)));
        var answers = el('div', 'answers');
        models.forEach(function (model, i) {
          var r = q.r[i], box = el('div', 'answer');
          box.appendChild(el('h4', null, model));
          if (!r) { box.appendChild(el('div', 'kv', 'not answered')); answers.appendChild(box); return; }
          box.appendChild(el('span', 'badge ' + r.v, r.v));
          if (r.s !== undefined) { box.appendChild(el('span', 'kv', ' score ' + r.s)); }
          if (r.x !== undefined) { box.appendChild(el('span', 'kv', ' · option read: ' + (r.x || '(none)'))); }
          box.appendChild(el('div', 'kv', 'prediction'));
          box.appendChild(el('pre', 'prediction', r.p === undefined ? '' : r.p));
          if (r.e) { box.appendChild(el('div', 'kv', 'error: ' + r.e)); }
          if (r.j !== undefined) { box.appendChild(el('div', 'kv', 'judge')); box.appendChild(el('pre', 'judge', r.j)); }
          if (r.t) { var t = el('details', 'reasoning'); t.appendChild(el('summary', null, 'reasoning')); t.appendChild(pre(r.t)); box.appendChild(t); }
          answers.appendChild(box);
        });
        d.appendChild(answers);
        return d;
      }

      function item(q) {
        var li = el('li', 'q');
        li.setAttribute('data-id', q.id);
        var head = el('button', 'head');
        head.type = 'button';
        head.appendChild(el('span', 'qid', q.id));
        if (q.c) { head.appendChild(el('span', 'cat', q.c)); }
        head.appendChild(el('span', 'qtext', q.q || ''));
        models.forEach(function (model, i) {
          var r = q.r[i], v = r ? r.v : 'none';
          head.appendChild(el('span', 'badge ' + v, model + ': ' + v));
        });
        head.addEventListener('click', function () {
          var open = li.querySelector('.detail');
          if (open) { li.removeChild(open); state.open = ''; } else { li.appendChild(detail(q)); state.open = q.id; }
          writeHash();
        });
        li.appendChild(head);
        if (state.open === q.id) { li.appendChild(detail(q)); }
        return li;
      }

      var count = document.getElementById('count'), pager = document.getElementById('pager');
      function render() {
        var rows = filtered();
        var pages = Math.max(1, Math.ceil(rows.length / pageSize));
        if (state.page > pages) { state.page = pages; }
        var start = (state.page - 1) * pageSize;
        var frag = document.createDocumentFragment();
        rows.slice(start, start + pageSize).forEach(function (q) { frag.appendChild(item(q)); });
        list.textContent = '';
        list.appendChild(frag);
        count.textContent = rows.length + ' of ' + questions.length + ' questions' + (pages > 1 ? ', page ' + state.page + ' of ' + pages : '');
        count.setAttribute('data-shown', String(rows.length));
        pager.textContent = '';
        if (pages > 1) {
          var prev = el('button', null, 'previous'), next = el('button', null, 'next');
          prev.type = next.type = 'button';
          prev.disabled = state.page <= 1; next.disabled = state.page >= pages;
          prev.addEventListener('click', function () { state.page -= 1; writeHash(); render(); });
          next.addEventListener('click', function () { state.page += 1; writeHash(); render(); });
          pager.appendChild(prev); pager.appendChild(el('span', null, state.page + ' / ' + pages)); pager.appendChild(next);
        }
      }
      function fromHash() {
        state = readHash();
        fCategory.value = state.category; fWrong.value = state.wrong; fRight.value = state.right; fSearch.value = state.q;
        render();
      }
      function onFilter() {
        state.category = fCategory.value; state.wrong = fWrong.value; state.right = fRight.value; state.q = fSearch.value; state.page = 1; state.open = '';
        writeHash();
        render();
      }
      [fCategory, fWrong, fRight].forEach(function (s) { s.addEventListener('change', onFilter); });
      fSearch.addEventListener('input', onFilter);
      document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
      window.addEventListener('hashchange', fromHash);

      fromHash();
      // Load time: from navigation start to the first rendered list (bench/vreport.sh reads it).
      var ready = performance.now();
      if (performance.mark) { performance.mark('vreport-rendered'); }
      document.documentElement.setAttribute('data-rendered-ms', ready.toFixed(1));
      // #bench=1: time every filter once (the slowest is what a user waits for at worst).
      if (/(^#|&)bench=1(&|$)/.test(location.hash)) {
        var worst = 0, saved = state, tries = [];
        (D.categories || []).forEach(function (c) { tries.push({ category: c }); });
        models.forEach(function (a) { models.forEach(function (b) { if (a !== b) { tries.push({ wrong: a, right: b }); } }); });
        tries.push({ q: 'the' }, { q: 'zzzz-no-match' }, {});
        tries.forEach(function (t) {
          state = { category: t.category || '', wrong: t.wrong || '', right: t.right || '', q: t.q || '', page: 1, open: '' };
          var t0 = performance.now(); render(); var dt = performance.now() - t0;
          if (dt > worst) { worst = dt; }
        });
        state = saved; render();
        document.documentElement.setAttribute('data-filter-worst-ms', worst.toFixed(1));
        document.documentElement.setAttribute('data-filter-tries', String(tries.length));
      }
    })();
    """#
}
