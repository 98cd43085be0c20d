// jindu's search page: plain JavaScript, no framework, nothing fetched but this server's public
// API (/api/search, /api/documents/{id}, /api/facets).
//
// The state lives in the address (the API's parameter names plus `page` and `doc`), so a search
// can be bookmarked and shared, and back/forward replay it (pushState + popstate).
//
// Safety rule: every string that comes from a document is inserted as text (textContent, append
// of strings). The only HTML taken from the API is `snippet`/`title_snippet`, which the API
// escapes and marks; `markedFragment` still rebuilds it keeping nothing but text and <mark>.
'use strict';

const PAGE_SIZE = 10;
const MAX_OFFSET = 10000; // the API's limit
const LOADING_DELAY_MS = 200;
const FACET_VISIBLE = 8;
const LIST_PARAMS = ['country', 'coop_type', 'organization', 'drug_type', 'doc_type'];
const FACETS = [
  { key: 'country', label: '国家/地区', always: true },
  { key: 'coop_type', label: '合作类型', always: true },
  { key: 'organization', label: '国际组织', always: false },
  { key: 'drug_type', label: '毒品种类', always: false },
  { key: 'doc_type', label: '文档类型', always: true },
];
const DOC_TYPES = { policy: '政策文本', case: '案例摘要' };
const SORTS = ['relevance', 'year_desc', 'year_asc'];
const EXAMPLES = [
  '湄公河',
  '替代种植 缅甸',
  '"控制下交付"',
  '易制毒化学品 -美国',
  '美国 OR 澳大利亚',
  '中国和缅甸在禁毒执法方面开展了哪些合作？',
];

const $ = (id) => document.getElementById(id);
const els = {
  form: $('search-form'),
  q: $('q'),
  searchView: $('search-view'),
  facets: $('facets'),
  facetsToggle: $('facets-toggle'),
  facetGroups: $('facet-groups'),
  clearAll: $('clear-all'),
  results: $('results'),
  summary: $('summary'),
  sort: $('sort'),
  loading: $('loading'),
  notice: $('notice'),
  hits: $('hits'),
  pager: $('pager'),
  docView: $('doc-view'),
  docBack: $('doc-back'),
  docLoading: $('doc-loading'),
  docNotice: $('doc-notice'),
  docContent: $('doc-content'),
  docTitle: $('doc-title'),
  docMeta: $('doc-meta'),
  docBody: $('doc-body'),
  docSimilar: $('doc-similar'),
  docSimilarList: $('doc-similar-list'),
};

// ---------------------------------------------------------------- state and addresses

/** The state an address's query string describes. */
function readState(search) {
  const params = new URLSearchParams(search);
  const state = {
    q: (params.get('q') || '').trim(),
    year_from: yearOrEmpty(params.get('year_from')),
    year_to: yearOrEmpty(params.get('year_to')),
    sort: SORTS.includes(params.get('sort')) ? params.get('sort') : 'relevance',
    page: Math.max(1, Number.parseInt(params.get('page') || '1', 10) || 1),
    doc: params.get('doc') || '',
  };
  for (const key of LIST_PARAMS) {
    state[key] = [...new Set(params.getAll(key).filter((v) => v !== ''))];
  }
  return state;
}

function yearOrEmpty(value) {
  const text = (value || '').trim();
  return /^-?\d{1,4}$/.test(text) ? text : '';
}

/** A state with nothing but `changes`. */
function blankState(changes = {}) {
  return { ...readState(''), ...changes };
}

function hasFilters(state) {
  return LIST_PARAMS.some((key) => state[key].length > 0) || state.year_from !== '' || state.year_to !== '';
}

/** The API's parameters for a state (no paging). */
function apiParams(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const key of LIST_PARAMS) {
    for (const value of state[key]) params.append(key, value);
  }
  if (state.year_from !== '') params.set('year_from', state.year_from);
  if (state.year_to !== '') params.set('year_to', state.year_to);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  return params;
}

/** The page's address for a state. */
function pageUrl(state) {
  const params = apiParams(state);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.doc) params.set('doc', state.doc);
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

let current = readState(location.search);

/** Shows `next` and records it in the history (a new entry unless `replace`). */
function go(next, { replace = false, historyState = null } = {}) {
  const url = pageUrl(next);
  if (url !== location.pathname + location.search) {
    if (replace) history.replaceState(historyState, '', url);
    else history.pushState(historyState, '', url);
  }
  render(next);
}

// ---------------------------------------------------------------- talking to the API

class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The access key the user gave for this session, if the server asked for one. */
const KEY_STORAGE = 'jindu-read-key';

function sessionKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  } catch (err) {
    return '';
  }
}

/** Asks once for the server's access key (when a read key is configured) and keeps it for the session. */
function askForKey(message) {
  const key = (window.prompt(message) || '').trim();
  if (key) {
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch (err) {
      // Private windows may refuse storage: the key is then asked again next time.
    }
  }
  return key;
}

async function getJson(url, signal, retried = false) {
  let response;
  const headers = { Accept: 'application/json' };
  const key = sessionKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    response = await fetch(url, { signal, headers });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiFailure(0, 'network', '无法连接到服务器。');
  }
  if ((response.status === 401 || response.status === 403) && !retried) {
    // Another request may have asked for the key meanwhile: use it before asking again.
    const stored = sessionKey();
    if (stored && stored !== key) return getJson(url, signal, true);
    const ask = response.status === 401 ? '此检索服务需要访问密钥，请输入：' : '访问密钥无效，请重新输入：';
    if (askForKey(ask)) return getJson(url, signal, true);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
    const code = body && typeof body.code === 'string' ? body.code : 'http';
    throw new ApiFailure(response.status, code, message);
  }
  if (body === null) throw new ApiFailure(response.status, 'invalid_answer', '服务器的回答无法解析。');
  return body;
}

function failureText(err) {
  if (!(err instanceof ApiFailure)) return '页面出现意外错误，请刷新重试。';
  if (err.status === 0) return '无法连接到服务器，请检查服务是否在运行，稍后重试。';
  if (err.status === 503) return `服务器暂时无法回答（${err.message}），请稍后重试。`;
  if (err.status >= 500) return `服务器出错（${err.code}），请稍后重试。`;
  return `请求有误：${err.message}`;
}

/** Marks `busyElement` busy and shows `indicator` if the answer takes longer than ~200 ms. */
function withLoading(indicator, busyElement) {
  const timer = setTimeout(() => {
    indicator.hidden = false;
    busyElement.classList.add('busy');
  }, LOADING_DELAY_MS);
  busyElement.setAttribute('aria-busy', 'true');
  const done = () => {
    clearTimeout(timer);
    indicator.hidden = true;
    busyElement.classList.remove('busy');
    busyElement.removeAttribute('aria-busy');
  };
  return { done };
}

// ---------------------------------------------------------------- safe DOM building

/** An element with attributes and children (strings become text nodes, never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * The API's snippet HTML (escaped text with <mark>) as DOM: text and <mark> are kept, anything
 * else is reduced to its text. Parsed with DOMParser, whose documents run no script and load
 * nothing.
 */
function markedFragment(html) {
  const parsed = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  const out = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(node.data);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.localName === 'mark') {
          const mark = document.createElement('mark');
          copy(node, mark);
          to.append(mark);
        } else {
          to.append(node.textContent);
        }
      }
    }
  };
  copy(parsed.body, out);
  return out;
}

/** `text` with the code-point ranges `ranges` wrapped in <mark> (surrogate pairs stay whole). */
function highlighted(text, ranges) {
  const chars = Array.from(text);
  const out = document.createDocumentFragment();
  const sorted = (ranges || [])
    .filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start)
    .sort((a, b) => a.start - b.start);
  let at = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, at);
    const end = Math.min(range.end, chars.length);
    if (end <= start) continue;
    if (start > at) out.append(chars.slice(at, start).join(''));
    const mark = document.createElement('mark');
    mark.textContent = chars.slice(start, end).join('');
    out.append(mark);
    at = end;
  }
  if (at < chars.length) out.append(chars.slice(at).join(''));
  return out;
}

/** An in-page link: a real address (new tab, copy link work), followed without reloading. */
function navLink(state, text, attrs = {}) {
  return h('a', { href: pageUrl(state), 'data-nav': true, ...attrs }, text);
}

/** Metadata value lists: given values, or the tagger's when none were given. */
function values(item, key) {
  const given = Array.isArray(item[key]) ? item[key] : [];
  const derived = item.derived && Array.isArray(item.derived[key]) ? item.derived[key] : [];
  return [...new Set([...given, ...derived])];
}

function yearOf(item) {
  if (Number.isInteger(item.year)) return item.year;
  return item.derived && Number.isInteger(item.derived.year) ? item.derived.year : null;
}

function facetLabel(key, value) {
  return key === 'doc_type' ? DOC_TYPES[value] || value : value;
}

function formatMs(ms) {
  if (typeof ms !== 'number') return '?';
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

// ---------------------------------------------------------------- rendering

function render(state) {
  current = state;
  els.q.value = state.q;
  els.sort.value = state.sort;
  const title = '禁毒国际合作文献检索';
  if (state.doc) {
    els.searchView.hidden = true;
    els.docView.hidden = false;
    loadDocument(state);
  } else {
    els.docView.hidden = true;
    els.searchView.hidden = false;
    document.title = state.q ? `${state.q} – ${title}` : title;
    loadSearch(state);
  }
}

let searchRun = 0;
let searchAbort = null;

async function loadSearch(state) {
  const run = ++searchRun;
  if (searchAbort) searchAbort.abort();
  searchAbort = new AbortController();
  const { signal } = searchAbort;
  const loading = withLoading(els.loading, els.results);
  const blank = !state.q && !hasFilters(state);
  try {
    if (blank) {
      const facets = await getJson('/api/facets', signal);
      if (run !== searchRun) return;
      renderWelcome(state, facets);
    } else {
      const params = apiParams(state);
      const offset = Math.min((state.page - 1) * PAGE_SIZE, MAX_OFFSET);
      params.set('limit', String(PAGE_SIZE));
      params.set('offset', String(offset));
      const result = await getJson(`/api/search?${params}`, signal);
      if (run !== searchRun) return;
      renderResult(state, result);
    }
  } catch (err) {
    if (err.name === 'AbortError' || run !== searchRun) return;
    renderSearchError(state, err);
  } finally {
    if (run === searchRun) loading.done();
  }
}

function showNotice(el, kind, ...children) {
  el.replaceChildren(...children);
  el.className = `notice notice-${kind}`;
  el.dataset.kind = kind;
  el.hidden = children.length === 0;
}

function renderWelcome(state, facets) {
  const documents = (facets.doc_type || []).reduce((sum, f) => sum + f.count, 0);
  els.summary.textContent = `共收录 ${documents} 篇文档，输入检索词开始检索。`;
  els.summary.dataset.total = String(documents);
  els.summary.parentElement.classList.add('no-sort');
  els.hits.replaceChildren();
  els.pager.replaceChildren();
  showNotice(
    els.notice,
    'welcome',
    h('p', {}, '可以试试这些检索：'),
    h('ul', { class: 'examples' }, EXAMPLES.map((q) => h('li', {}, navLink(blankState({ q }), q)))),
    h('p', { class: 'hint' }, '也可以直接在左侧勾选国家/地区、合作类型或年份，浏览全部文档。'),
  );
  renderFacets(state, facets);
}

function renderSearchError(state, err) {
  els.summary.textContent = '检索失败';
  delete els.summary.dataset.total;
  els.hits.replaceChildren();
  els.pager.replaceChildren();
  const retry = h('button', { type: 'button', class: 'link-button' }, '重试');
  retry.addEventListener('click', () => render(current));
  showNotice(els.notice, 'error', h('p', { role: 'alert' }, failureText(err), ' ', retry));
}

function activeFilters(state) {
  const out = [];
  for (const key of LIST_PARAMS) {
    const label = FACETS.find((f) => f.key === key).label;
    for (const value of state[key]) {
      out.push({
        text: `${label}：${facetLabel(key, value)}`,
        without: { ...state, [key]: state[key].filter((v) => v !== value), page: 1 },
      });
    }
  }
  if (state.year_from !== '' || state.year_to !== '') {
    out.push({
      text: `年份：${state.year_from || '…'}–${state.year_to || '…'}`,
      without: { ...state, year_from: '', year_to: '', page: 1 },
    });
  }
  return out;
}

function renderResult(state, result) {
  const total = result.total;
  const pages = Math.max(1, Math.ceil(Math.min(total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE));
  const pageNote = pages > 1 ? `，第 ${state.page}/${pages} 页` : '';
  els.summary.textContent = `找到 ${total} 篇文档（用时 ${formatMs(result.took_ms)} 毫秒）${pageNote}`;
  els.summary.dataset.total = String(total);
  els.summary.parentElement.classList.remove('no-sort');

  const notes = [];
  const dropped = Array.isArray(result.dropped_words) ? result.dropped_words : [];
  if (dropped.length > 0) {
    notes.push(h('p', {}, '已忽略这些提问用词：', dropped.map((w, i) => [i ? '、' : '', h('q', {}, w)])));
  }
  if (result.relaxed && total > 0) {
    notes.push(h('p', {}, '按提问理解：结果只需包含部分检索词，包含越多、词语越靠近的排在越前。'));
  }
  if (total === 0) {
    notes.unshift(h('p', { class: 'notice-title' }, state.q ? `没有找到与“${state.q}”相符的文档。` : '没有符合这些筛选条件的文档。'));
    const filters = activeFilters(state);
    const suggestions = Array.isArray(result.suggestions) ? result.suggestions : [];
    if (suggestions.length > 0) {
      notes.push(
        h('p', {}, '建议：'),
        h('ul', { class: 'chips suggestions' }, suggestions.map((s) => h('li', {}, navLink(suggested(state, s), s.message)))),
      );
    } else if (filters.length > 0) {
      notes.push(
        h('p', {}, '试试去掉部分筛选条件：'),
        h('ul', { class: 'chips' }, filters.map((f) => h('li', {}, navLink(f.without, `去掉「${f.text}」`)))),
        h('p', {}, navLink({ ...state, ...clearedFilters(), page: 1 }, '清除全部筛选')),
      );
    } else {
      notes.push(
        h('p', {}, '请检查用字，或换用更短、更常见的词语。可以试试：'),
        h('ul', { class: 'examples' }, EXAMPLES.slice(0, 3).map((q) => h('li', {}, navLink(blankState({ q }), q)))),
      );
    }
    showNotice(els.notice, 'empty', ...notes);
  } else if (result.hits.length === 0) {
    notes.push(h('p', {}, '这一页没有结果。', navLink({ ...state, page: 1 }, '回到第一页')));
    showNotice(els.notice, 'info', ...notes);
  } else {
    showNotice(els.notice, 'info', ...notes);
  }

  els.hits.start = result.offset + 1;
  els.hits.replaceChildren(...result.hits.map((hit) => hitItem(state, hit)));
  renderPager(state, pages);
  renderFacets(state, result.facets || {});
}

/** The state a suggestion of the API leads to: without that filter, or without that word. */
function suggested(state, suggestion) {
  if (suggestion.action === 'remove_word') {
    const words = String(state.q).split(/\s+/).filter((w) => w && w !== suggestion.value);
    const q = words.length ? words.join(' ') : String(state.q).replace(suggestion.value, '').trim();
    return { ...state, q, page: 1, doc: '' };
  }
  if (suggestion.parameter === 'year') return { ...state, year_from: '', year_to: '', page: 1, doc: '' };
  return { ...state, [suggestion.parameter]: [], page: 1, doc: '' };
}

function hitItem(state, hit) {
  const year = yearOf(hit);
  const countries = values(hit, 'countries');
  const coopTypes = values(hit, 'coop_types');
  const titleContent = hit.title_snippet ? markedFragment(hit.title_snippet) : hit.title;
  const link = h('a', {
    href: pageUrl({ ...state, doc: hit.id }),
    'data-nav': true,
    'data-open-doc': true,
  });
  link.append(titleContent);
  const meta = h(
    'p',
    { class: 'hit-meta' },
    h('span', { class: `badge badge-${hit.doc_type}` }, DOC_TYPES[hit.doc_type] || hit.doc_type),
    year !== null ? h('span', { class: 'hit-year' }, `${year}年`) : null,
    countries.length ? h('span', {}, h('span', { class: 'meta-label' }, '国家/地区：'), countries.join('、')) : null,
    coopTypes.length ? h('span', {}, h('span', { class: 'meta-label' }, '合作类型：'), coopTypes.join('、')) : null,
  );
  const snippet = h('p', { class: 'hit-snippet' });
  snippet.append(markedFragment(hit.snippet || ''));
  return h('li', { class: 'hit', dataset: { id: hit.id } }, h('h3', { class: 'hit-title' }, link), meta, snippet);
}

function renderPager(state, pages) {
  if (pages <= 1) {
    els.pager.replaceChildren();
    return;
  }
  const page = Math.min(state.page, pages);
  const items = [];
  const add = (n, text = String(n), attrs = {}) => {
    if (n === page && text === String(n)) {
      items.push(h('li', {}, h('span', { 'aria-current': 'page', class: 'current' }, text)));
    } else {
      items.push(h('li', {}, navLink({ ...state, page: n }, text, { 'data-page': n, ...attrs })));
    }
  };
  if (page > 1) add(page - 1, '上一页', { rel: 'prev', class: 'pager-prev' });
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - last > 1) items.push(h('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    add(n, String(n), { 'aria-label': `第 ${n} 页` });
    last = n;
  }
  if (page < pages) add(page + 1, '下一页', { rel: 'next', class: 'pager-next' });
  els.pager.replaceChildren(h('ul', {}, items));
}

// ---------------------------------------------------------------- facets

const expanded = new Set();

function clearedFilters() {
  const out = { year_from: '', year_to: '' };
  for (const key of LIST_PARAMS) out[key] = [];
  return out;
}

function renderFacets(state, facets) {
  // Keep keyboard focus on the same control across the rebuild.
  const focusKey = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.focusKey
    : undefined;

  const groups = [];
  for (const facet of FACETS) {
    const listed = Array.isArray(facets[facet.key]) ? facets[facet.key] : [];
    const selected = state[facet.key];
    if (!facet.always && listed.length === 0 && selected.length === 0) continue;
    groups.push(facetGroup(state, facet, listed, selected));
  }
  groups.push(yearGroup(state, Array.isArray(facets.year) ? facets.year : []));
  els.facetGroups.replaceChildren(...groups);

  const filtered = hasFilters(state);
  els.clearAll.hidden = !filtered;
  els.clearAll.href = pageUrl({ ...state, ...clearedFilters(), page: 1 });
  els.clearAll.dataset.nav = '';
  const count = activeFilters(state).length;
  els.facetsToggle.textContent = count ? `筛选条件（已选 ${count}）` : '筛选条件';

  if (focusKey) {
    const again = [...els.facetGroups.querySelectorAll('[data-focus-key]')].find((el) => el.dataset.focusKey === focusKey);
    if (again) again.focus();
  }
}

function facetGroup(state, facet, listed, selected) {
  const entries = listed.map((f) => ({ value: String(f.value), count: f.count }));
  for (const value of selected) {
    if (!entries.some((e) => e.value === value)) entries.push({ value, count: 0 });
  }
  const open = expanded.has(facet.key);
  const visible = open ? entries : entries.filter((e, i) => i < FACET_VISIBLE || selected.includes(e.value));
  const list = h(
    'ul',
    { class: 'facet-values' },
    visible.map((entry) => {
      const box = h('input', {
        type: 'checkbox',
        name: facet.key,
        value: entry.value,
        checked: selected.includes(entry.value),
        dataset: { focusKey: `${facet.key}|${entry.value}` },
      });
      box.addEventListener('change', () => {
        const next = box.checked
          ? [...current[facet.key], entry.value]
          : current[facet.key].filter((v) => v !== entry.value);
        go({ ...current, [facet.key]: next, page: 1, doc: '' });
      });
      return h(
        'li',
        { dataset: { value: entry.value, count: entry.count } },
        h(
          'label',
          {},
          box,
          h('span', { class: 'facet-value' }, facetLabel(facet.key, entry.value)),
          h('span', { class: 'facet-count' }, String(entry.count), h('span', { class: 'visually-hidden' }, ' 篇')),
        ),
      );
    }),
  );
  const group = h(
    'fieldset',
    { class: 'facet', dataset: { facet: facet.key } },
    h('legend', {}, facet.label),
  );
  if (entries.length === 0) {
    group.append(h('p', { class: 'facet-none' }, '（无）'));
  } else {
    group.append(list);
  }
  if (entries.length > FACET_VISIBLE) {
    const more = h(
      'button',
      { type: 'button', class: 'link-button facet-more', 'aria-expanded': open ? 'true' : 'false', dataset: { focusKey: `${facet.key}|more` } },
      open ? '收起' : `显示全部 ${entries.length} 项`,
    );
    more.addEventListener('click', () => {
      if (expanded.has(facet.key)) expanded.delete(facet.key);
      else expanded.add(facet.key);
      const focusKey = more.dataset.focusKey;
      group.replaceWith(facetGroup(current, facet, listed, current[facet.key]));
      const again = [...els.facetGroups.querySelectorAll('[data-focus-key]')].find((el) => el.dataset.focusKey === focusKey);
      if (again) again.focus();
    });
    group.append(more);
  }
  return group;
}

function yearGroup(state, years) {
  const group = h('fieldset', { class: 'facet facet-year', dataset: { facet: 'year' } });
  group.append(h('legend', {}, '年份'));

  const from = h('input', { id: 'year-from', type: 'number', inputmode: 'numeric', min: 1900, max: 2100, step: 1, value: state.year_from, placeholder: '起' });
  const to = h('input', { id: 'year-to', type: 'number', inputmode: 'numeric', min: 1900, max: 2100, step: 1, value: state.year_to, placeholder: '止' });
  const form = h(
    'form',
    { class: 'year-form' },
    h('label', { for: 'year-from' }, '从'),
    from,
    h('label', { for: 'year-to' }, '到'),
    to,
    h('button', { type: 'submit' }, '应用'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    let a = yearOrEmpty(from.value);
    let b = yearOrEmpty(to.value);
    if (a !== '' && b !== '' && Number(a) > Number(b)) [a, b] = [b, a];
    go({ ...current, year_from: a, year_to: b, page: 1, doc: '' });
  });
  group.append(form);

  const counted = years.filter((y) => Number.isInteger(y.value) && y.count > 0);
  if (counted.length > 0) {
    const counts = new Map(counted.map((y) => [y.value, y.count]));
    const lo = Math.min(...counts.keys());
    const hi = Math.max(...counts.keys());
    // A continuous axis when it is short enough; otherwise only the years that have documents.
    const axis = hi - lo <= 60 ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : [...counts.keys()].sort((a, b) => a - b);
    const max = Math.max(...counts.values());
    const inRange = (y) =>
      (state.year_from !== '' || state.year_to !== '') &&
      (state.year_from === '' || y >= Number(state.year_from)) &&
      (state.year_to === '' || y <= Number(state.year_to));
    const bars = axis.map((year) => {
      const count = counts.get(year) || 0;
      const label = `${year}年：${count} 篇`;
      const bar = h(
        'button',
        {
          type: 'button',
          class: `bar${inRange(year) ? ' in-range' : ''}`,
          title: label,
          'aria-label': label,
          'aria-pressed': inRange(year) ? 'true' : 'false',
          disabled: count === 0,
          dataset: { year, count, focusKey: `year|${year}` },
        },
        h('span', { class: 'bar-fill', style: `height:${count ? Math.max(8, Math.round((count / max) * 100)) : 0}%` }),
      );
      bar.addEventListener('click', () => {
        go({ ...current, year_from: String(year), year_to: String(year), page: 1, doc: '' });
      });
      return bar;
    });
    group.append(
      h('div', { class: 'year-chart', role: 'group', 'aria-label': '每年文档数（点击选择该年）' }, bars),
      h('div', { class: 'year-axis', 'aria-hidden': 'true' }, h('span', {}, String(axis[0])), h('span', {}, String(axis[axis.length - 1]))),
    );
  }
  return group;
}

// ---------------------------------------------------------------- the document view

let docRun = 0;
let docAbort = null;

async function loadDocument(state) {
  const run = ++docRun;
  if (docAbort) docAbort.abort();
  docAbort = new AbortController();
  els.docBack.href = pageUrl({ ...state, doc: '' });
  els.docBack.dataset.nav = '';
  els.docContent.hidden = true;
  showNotice(els.docNotice, 'info');
  const loading = withLoading(els.docLoading, els.docView);
  try {
    const query = state.q ? `?${new URLSearchParams({ q: state.q })}` : '';
    const doc = await getJson(`/api/documents/${encodeURIComponent(state.doc)}${query}`, docAbort.signal);
    if (run !== docRun) return;
    renderDocument(state, doc);
    loadSimilar(state, run);
  } catch (err) {
    if (err.name === 'AbortError' || run !== docRun) return;
    document.title = '文档 – 禁毒国际合作文献检索';
    const text = err instanceof ApiFailure && err.status === 404
      ? `找不到这篇文档（编号：${state.doc}）。它可能已从索引中删除。`
      : failureText(err);
    showNotice(els.docNotice, 'error', h('p', { role: 'alert' }, text));
  } finally {
    if (run === docRun) loading.done();
  }
}

/** The documents most similar to the open one, below its text. */
async function loadSimilar(state, run) {
  els.docSimilar.hidden = true;
  try {
    const similar = await getJson(`/api/documents/${encodeURIComponent(state.doc)}/similar?limit=5`, docAbort.signal);
    if (run !== docRun || !Array.isArray(similar.hits) || similar.hits.length === 0) return;
    els.docSimilarList.replaceChildren(
      ...similar.hits.map((hit) => {
        const year = yearOf(hit);
        return h('li', {}, navLink({ ...state, doc: hit.id }, hit.title), year !== null ? ` （${year}年）` : '');
      }),
    );
    els.docSimilar.hidden = false;
  } catch (err) {
    // Similar documents are a convenience: the document itself is already shown.
  }
}

function renderDocument(state, doc) {
  document.title = `${doc.title} – 禁毒国际合作文献检索`;
  els.docTitle.replaceChildren(highlighted(doc.title, doc.title_highlights));
  const filterLink = (key, value) =>
    navLink({ ...blankState({ q: state.q, sort: state.sort }), [key]: [value] }, facetLabel(key, value), {
      title: `检索同为“${facetLabel(key, value)}”的文档`,
    });
  const rows = [];
  const row = (label, ...content) => rows.push(h('dt', {}, label), h('dd', {}, ...content));
  row('文档类型', filterLink('doc_type', doc.doc_type));
  const year = yearOf(doc);
  if (year !== null) {
    row('年份', navLink({ ...blankState({ q: state.q, sort: state.sort }), year_from: String(year), year_to: String(year) }, `${year}年`));
  }
  if (doc.date) row('日期', doc.date);
  const lists = [
    ['countries', 'country', '国家/地区'],
    ['coop_types', 'coop_type', '合作类型'],
    ['organizations', 'organization', '国际组织'],
    ['drug_types', 'drug_type', '毒品种类'],
  ];
  for (const [field, key, label] of lists) {
    const list = values(doc, field);
    if (list.length) row(label, h('ul', { class: 'inline-list' }, list.map((v) => h('li', {}, filterLink(key, v)))));
  }
  if (doc.source) row('来源', doc.source);
  if (doc.url) {
    const safe = /^https?:\/\//i.test(doc.url);
    row('链接', safe ? h('a', { href: doc.url, rel: 'noopener noreferrer', target: '_blank' }, doc.url) : doc.url);
  }
  row('编号', h('code', {}, doc.id));
  els.docMeta.replaceChildren(...rows);

  els.docBody.replaceChildren(highlighted(doc.body, doc.body_highlights));
  const marks = (doc.body_highlights || []).length;
  if (state.q) {
    showNotice(
      els.docNotice,
      'info',
      h('p', {}, marks ? `检索词“${state.q}”在正文中高亮 ${marks} 处。` : `正文中没有可高亮的“${state.q}”。`),
    );
  }
  els.docContent.hidden = false;
  els.docTitle.focus();
}

// ---------------------------------------------------------------- events

els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  go({ ...current, q: els.q.value.trim(), page: 1, doc: '' });
});

els.sort.addEventListener('change', () => {
  go({ ...current, sort: els.sort.value, page: 1, doc: '' });
});

els.facetsToggle.addEventListener('click', () => {
  const open = els.facets.classList.toggle('open');
  els.facetsToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
});

// Every in-page link carries data-nav: follow it with pushState unless the user asked for a new
// tab or window.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-nav]') : null;
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const next = readState(new URL(link.href).search);
  if (link === els.docBack && history.state && history.state.fromResults) {
    history.back(); // the results are the previous entry: go back to it (and its scroll position)
    return;
  }
  const openingDoc = link.hasAttribute('data-open-doc');
  go(next, { historyState: openingDoc ? { fromResults: true } : null });
  if (!next.doc && link.closest('#pager')) els.results.focus();
});

document.addEventListener('keydown', (event) => {
  const target = event.target;
  const typing = target instanceof Element && target.closest('input, textarea, select, [contenteditable]');
  if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    els.q.focus();
    els.q.select();
  } else if (event.key === 'Escape' && !els.docView.hidden && !typing) {
    event.preventDefault();
    els.docBack.click();
  }
});

window.addEventListener('popstate', () => {
  render(readState(location.search));
});

render(current);
