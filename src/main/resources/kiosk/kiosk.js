// The kiosk's screens. The server decides which screen is shown (GET /api/state); this page only draws it and
// sends touches. Nothing is stored in the browser: no cookies, no storage; the session id lives in this page's
// memory and the page reloads itself when a session ends.
//
// Every text on screen comes from the message catalogue of the language chosen on the start screen
// (/i18n/<id>.json, one per language, the same keys in each); the server says which language a screen is in
// (state.lang), so the choice lasts for one session and the kiosk is in 日本語 again when it ends.
'use strict';

// The options of a 住民票の写し (contract §2), as catalogue keys option.<name> and option.<name>.note.
const OPTIONS = ['includeRelationship', 'includeDomicile', 'includeIndividualNumber', 'includeResidentCode'];
// The items a 住民票記載事項証明書 may certify (contract §8 options.items) besides 氏名, which it always certifies.
const ITEMS = ['BIRTH_DATE', 'SEX', 'ADDRESS', 'HOUSEHOLDER', 'RELATIONSHIP', 'BECAME_RESIDENT_ON', 'ADDRESS_SET_ON',
  'DOMICILE'];
const KOSEKI = ['KOSEKI_ZENBU', 'KOSEKI_KOJIN', 'KOSEKI_FUHYO'];
// Certificates of 本人 only: no choice of persons.
const SELF_ONLY = ['INKAN', 'KOSEKI_ZENBU'];
const STEPS = { PIN: 1, TYPE: 2, SCOPE: 2, MEMBERS: 2, OPTIONS: 3, CONFIRM: 4, PREVIEW: 5 };

let current = null;       // the last state drawn, as text
let session = null;       // the session id, in memory only
let pin = '';             // the digits typed, in memory only, sent once and forgotten
let lastTouch = Date.now();
let lastKeepAlive = 0;
let timeoutSeconds = 60;
let languages = ['ja'];   // the ids, in the order of the start screen's buttons
const catalogues = {};    // id → { key: text }
let lang = 'ja';

/** The text of {@code key} in the language on screen, with {name} replaced from params (日本語 if it lacks one). */
function t(key, params) {
  let text = (catalogues[lang] || {})[key];
  if (text == null) text = (catalogues.ja || {})[key];
  if (text == null) return key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (params && params[k] != null ? String(params[k]) : ''));
}

/** A certificate's name: the Japanese one it bears, and in another language its meaning after it. */
function typeTitle(type, title) {
  const ja = h('span', { lang: 'ja' }, title);
  return lang === 'ja' ? ja : h('span', {}, ja, ' (' + t('type.' + type) + ')');
}

/** A refusal by Kofu: its stable code in the resident's language; in 日本語, Kofu's own message. */
function refusalText(s) {
  if (lang === 'ja' && s.kofuMessage) return s.kofuMessage;
  const key = 'error.' + s.code;
  return (catalogues.ja || {})[key] != null ? t(key) : t('error.default');
}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') el.addEventListener('click', v);
    else if (k === 'oninput') el.addEventListener('input', v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false && v != null) el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c != null) el.append(c.nodeType ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function fetchState() {
  const r = await fetch('/api/state', { cache: 'no-store' });
  return r.json();
}

async function loadCatalogues() {
  const r = await fetch('/api/languages', { cache: 'no-store' });
  languages = (await r.json()).languages;
  await Promise.all(languages.map(async id => {
    const c = await fetch('/i18n/' + id + '.json', { cache: 'no-store' });
    catalogues[id] = await c.json();
  }));
}

async function post(path, body) {
  const r = await fetch(path, {
    method: 'POST', cache: 'no-store', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return r.json();
}

async function act(action, args) {
  lastTouch = Date.now();
  hideWarning();
  const slow = ['issue', 'print', 'send', 'check'].includes(action)
    || (action === 'scope' && args && args.scope === 'SELECTED');
  if (slow) document.getElementById('busy').hidden = false;
  try {
    draw(await post('/api/action', Object.assign({ session, action }, args || {})));
  } finally {
    document.getElementById('busy').hidden = true;
  }
}

async function chooseLanguage(id) {
  lastTouch = Date.now();
  draw(await post('/api/language', { session: session || '', lang: id }));
}

/** Typing is a touch too: tells the server now and then, so that a long 本籍 does not time the session out. */
function keepAlive() {
  lastTouch = Date.now();
  hideWarning();
  if (session && Date.now() - lastKeepAlive > 10000) {
    lastKeepAlive = Date.now();
    post('/api/action', { session, action: 'stay' }).catch(() => {});
  }
}

/** The texts outside the screen (title bar, waiting and time-out panels), and <html lang> for screen readers. */
function applyLanguage() {
  document.documentElement.lang = t('language.tag');
  document.title = t('app.title');
  document.getElementById('bar-title').textContent = t('app.title');
  document.getElementById('busy-title').textContent = t('busy.title');
  document.getElementById('busy-text').textContent = t('busy.text');
  document.getElementById('warning-title').textContent = t('warning.title');
  document.getElementById('warning-text').textContent = t('warning.text');
  document.getElementById('stay').textContent = t('warning.stay');
}

function draw(state) {
  const text = JSON.stringify(state);
  if (text === current) return;
  if (session && state.session !== session) {
    // The session ended (printed, cancelled, time-out, card taken): start again from a clean page.
    location.replace('/');
    return;
  }
  const changedScreen = !current || JSON.parse(current).screen !== state.screen;
  current = text;
  session = state.session || null;
  timeoutSeconds = state.timeoutSeconds || 60;
  lang = catalogues[state.lang] ? state.lang : 'ja';
  applyLanguage();
  if (changedScreen) { lastTouch = Date.now(); pin = ''; }
  const main = document.getElementById('screen');
  main.className = '';
  main.replaceChildren(...(SCREENS[state.screen] || SCREENS.START)(state, main).filter(c => c != null));
  const step = STEPS[state.screen];
  document.getElementById('steps').replaceChildren(...(step
    ? ['steps.pin', 'steps.type', 'steps.items', 'steps.confirm', 'steps.print']
      .map((k, i) => i + 1 === step ? h('b', {}, t(k)) : ' ' + t(k) + ' ')
    : []));
  main.scrollTop = 0;
}

function quit() {
  return h('button', { class: 'quit', id: 'quit', onclick: () => act('cancel') }, t('button.quit'));
}

function back() {
  return h('button', { id: 'back', onclick: () => act('back') }, t('button.back'));
}

function yen(fee) {
  return t('fee.yen', { fee });
}

/** A text field for a 利用登録申請: typed with the OS's on-screen keyboard and its 日本語 input. */
function field(name, value, attrs) {
  return h('input', Object.assign({ id: 'form-' + name, name, type: 'text', value: value || '', autocomplete: 'off',
    spellcheck: 'false', lang: 'ja', oninput: keepAlive }, attrs || {}));
}

/** One large button per language, each labelled in its own language (on the start screen and the PIN screen). */
function languageButtons(small) {
  return h('div', { class: 'langs' + (small ? ' small' : ''), id: 'languages', role: 'group', 'aria-label': 'Language' },
    languages.filter(id => catalogues[id]).map(id =>
      h('button', { 'data-lang': id, lang: catalogues[id]['language.tag'], 'aria-pressed': String(id === lang),
        class: id === lang ? 'on' : null, onclick: () => chooseLanguage(id) }, catalogues[id]['language.name'])));
}

const SCREENS = {
  START(s) {
    if (s.cardLeftBehind && s.unreadable) {
      document.getElementById('screen').className = 'take';
      return [h('p', { class: 'arrow' }, '↑'), h('h1', {}, t('start.unreadable.title')),
        h('p', { class: 'lead' }, t('start.unreadable.lead'))];
    }
    if (s.cardLeftBehind) {
      document.getElementById('screen').className = 'take';
      return [h('p', { class: 'arrow' }, '↑'), h('h1', {}, t('start.leftBehind.title')),
        h('p', { class: 'lead' }, t('start.leftBehind.lead'))];
    }
    return [
      languageButtons(),
      h('h1', { id: 'start-title' }, t('start.title')),
      h('p', { class: 'lead', id: 'start-lead' }, t('start.lead')),
      h('div', { class: 'reader', id: 'reader' }, t('start.reader'), h('br'), '▼'),
      h('p', { class: 'fee' }, t('start.fees'), ' ', s.fees.map(f =>
        h('span', { class: 'fee-item' }, h('span', { lang: 'ja' }, f.title), ' ', t('fee.perCopy', { fee: f.fee })))),
      h('p', { class: 'note' }, t('start.pinNote')),
      h('p', { class: 'note' }, t('start.help')),
    ];
  },

  PIN(s) {
    const dots = h('div', { class: 'pin-dots', id: 'pin-dots' },
      [0, 1, 2, 3].map(i => h('span', {}, i < pin.length ? '●' : '')));
    const ok = h('button', { class: 'primary', id: 'pin-ok', disabled: pin.length !== 4, onclick: () => {
      const typed = pin; pin = ''; act('pin', { pin: typed });
    } }, t('pin.ok'));
    const press = d => () => {
      if (d === 'del') pin = pin.slice(0, -1); else if (pin.length < 4) pin += d;
      lastTouch = Date.now();
      dots.replaceChildren(...[0, 1, 2, 3].map(i => h('span', {}, i < pin.length ? '●' : '')));
      ok.disabled = pin.length !== 4;
    };
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'del', '0', null].map(d => d === null ? h('span')
      : h('button', { 'data-key': d, onclick: press(d) }, d === 'del' ? t('pin.delete') : d));
    return [
      // A card put down before a language was chosen: the choice is still open here.
      languageButtons(true),
      h('div', { class: 'split' },
        h('div', {},
          h('h1', { id: 'pin-title' }, t('pin.title')),
          h('p', { class: 'lead' }, t('pin.lead')),
          s.error ? h('p', { class: 'error', role: 'alert', id: 'pin-error' }, t(s.error, { n: s.remainingTries }))
            : h('p', { class: 'note' }, t('pin.note')),
          s.remainingTries === 1 ? h('p', { class: 'note' }, t('pin.lastTry')) : null,
          dots),
        h('div', {}, h('div', { class: 'keypad' }, keys))),
      h('div', { class: 'actions' }, quit(), ok),
    ];
  },

  LOCKED(s, main) { return SCREENS.TAKE_CARD(s, main); },

  TYPE(s) {
    const button = ty => h('button', { id: 'type-' + ty.type.toLowerCase().replace('_', '-'),
      onclick: () => act('type', { type: ty.type }) },
      typeTitle(ty.type, ty.title), h('span', { class: 'sub' }, t('fee.perCopy', { fee: ty.fee })));
    const resident = s.types.filter(ty => !KOSEKI.includes(ty.type));
    const koseki = s.types.filter(ty => KOSEKI.includes(ty.type));
    return [
      h('h1', {}, t('type.title')),
      h('div', { class: 'choices' }, resident.map(button)),
      s.koseki ? h('h2', { id: 'koseki-menu' }, t('type.koseki.heading')) : null,
      s.koseki ? h('p', { class: 'note' }, t('type.koseki.note')) : null,
      s.koseki ? h('div', { class: 'choices two' }, koseki.map(button),
        h('button', { id: 'koseki-register', onclick: () => act('register') }, t('type.koseki.register'),
          h('span', { class: 'sub' }, t('type.koseki.register.sub'))),
        h('button', { id: 'koseki-status', onclick: () => act('registrationStatus') }, t('type.koseki.status'),
          h('span', { class: 'sub' }, t('type.koseki.status.sub')))) : null,
      h('div', { class: 'actions' }, quit()),
    ];
  },

  SCOPE(s) {
    const koseki = KOSEKI.includes(s.type);
    const prefix = koseki ? 'scope.koseki.' : 'scope.';
    const choice = scope => h('button', { id: 'scope-' + scope, onclick: () => act('scope', { scope }) },
      t(prefix + scope), h('span', { class: 'sub' }, t(prefix + scope + '.sub')));
    return [
      h('h1', {}, t(prefix + 'title')),
      h('div', { class: 'choices' },
        (koseki ? ['SELF', 'SELECTED'] : ['SELF', 'HOUSEHOLD_ALL', 'SELECTED']).map(choice)),
      h('div', { class: 'actions' }, quit(), back()),
    ];
  },

  MEMBERS(s) {
    const any = s.members.some(m => m.chosen);
    return [
      h('h1', {}, t('members.title')),
      h('p', { class: 'lead' }, t('members.lead')),
      h('div', { class: 'choices two' }, s.members.map((m, i) =>
        h('button', { class: 'toggle' + (m.chosen ? ' on' : ''), 'data-member': i, 'aria-pressed': String(m.chosen),
          onclick: () => act('toggle', { index: i }) },
          h('span', { lang: 'ja' }, m.name, h('span', { class: 'sub' }, m.relationship)),
          h('span', { class: 'state' + (m.chosen ? '' : ' off') }, m.chosen ? t('toggle.on') : t('toggle.off'))))),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'next', disabled: !any, onclick: () => act('next') }, t('button.next'))),
    ];
  },

  OPTIONS(s) {
    const toggle = (attrs, label, note, on, onclick) => h('button', Object.assign({
      class: 'toggle' + (on ? ' on' : ''), 'aria-pressed': String(on), onclick }, attrs),
      h('span', {}, label, note ? h('span', { class: 'sub' }, note) : null),
      h('span', { class: 'state' + (on ? '' : ' off') }, on ? t('toggle.on') : t('toggle.off')));
    const choices = s.type === 'JUMINHYO_KISAI'
      ? ITEMS.map(item => toggle({ 'data-item': item }, t('item.' + item), null, s.items.includes(item),
          () => act('item', { item })))
      : s.type === 'JUMINHYO'
        ? OPTIONS.map(name => toggle({ 'data-option': name }, t('option.' + name), t('option.' + name + '.note'),
            s.options[name], () => act('toggle', { option: name })))
        : [];
    const kind = s.type === 'JUMINHYO_KISAI' ? 'kisai' : s.type === 'JUMINHYO' ? 'juminhyo'
      : s.type === 'INKAN' ? 'inkan' : 'koseki';
    return [
      h('h1', {}, t('options.' + kind + '.title')),
      h('p', { class: 'lead' }, t('options.' + kind + '.lead')),
      choices.length ? h('div', { class: s.type === 'JUMINHYO_KISAI' ? 'choices three' : 'choices two' }, choices)
        : null,
      h('div', { class: 'copies' }, h('span', {}, t('copies.label')),
        h('button', { id: 'copies-minus', 'aria-label': t('copies.minus'), disabled: s.copies <= 1,
          onclick: () => act('copies', { delta: -1 }) }, '−'),
        h('output', { id: 'copies' }, t('copies.count', { n: s.copies })),
        h('button', { id: 'copies-plus', 'aria-label': t('copies.plus'), disabled: s.copies >= 10,
          onclick: () => act('copies', { delta: 1 }) }, '＋')),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'next', onclick: () => act('next') }, t('button.next'))),
    ];
  },

  CONFIRM(s) {
    const items = s.type === 'JUMINHYO_KISAI'
      ? [t('item.NAME')].concat(ITEMS.filter(n => s.items.includes(n)).map(n => t('item.' + n)))
      : OPTIONS.filter(n => s.options[n]).map(n => t('option.' + n));
    const koseki = KOSEKI.includes(s.type);
    const scopeLabel = t((koseki ? 'scope.koseki.' : 'scope.') + s.scope);
    const who = s.scope === 'SELECTED'
      ? h('span', {}, scopeLabel + ' (', h('span', { lang: 'ja' }, s.chosenNames.join('、')), ')') : scopeLabel;
    const withItems = s.type === 'JUMINHYO' || s.type === 'JUMINHYO_KISAI';
    return [
      h('h1', {}, t('confirm.title')),
      h('dl', { class: 'summary', id: 'summary' },
        h('dt', {}, t('confirm.certificate')), h('dd', {}, typeTitle(s.type, s.title)),
        h('dt', {}, t('confirm.who')), h('dd', {}, who),
        withItems ? h('dt', {}, t('confirm.items')) : null,
        withItems ? h('dd', {}, items.length ? items.join(t('list.separator')) : t('confirm.basicOnly')) : null,
        h('dt', {}, t('copies.label')), h('dd', {}, t('copies.count', { n: s.copies })),
        h('dt', {}, t('confirm.fee')), h('dd', { class: 'fee', id: 'fee' }, yen(s.fee))),
      lang === 'ja' ? null : h('p', { class: 'note', id: 'japanese-note' }, t('confirm.japanese')),
      h('p', { class: 'lead' }, t('confirm.lead')),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'issue', onclick: () => act('issue') }, t('confirm.issue'))),
    ];
  },

  PREVIEW(s) {
    const pages = [];
    for (let i = 0; i < s.pages; i++) {
      pages.push(h('img', { src: '/api/preview/' + s.previewKey + '/' + i + '.png', alt: t('preview.alt', { n: i + 1 }) }));
    }
    return [
      h('h1', {}, t('preview.title')),
      h('div', { class: 'preview' },
        h('div', { class: 'pages', id: 'pages' }, pages),
        h('div', { class: 'side' },
          h('p', { class: 'lead' }, t('preview.lead')),
          h('p', { class: 'fee' }, t('preview.fee', { n: s.copies, fee: s.fee })),
          h('div', { class: 'actions' }, quit(),
            h('button', { class: 'primary', id: 'print', onclick: () => act('print') }, t('preview.print'))))),
    ];
  },

  TAKE_CARD(s, main) {
    main.className = 'take';
    const message = s.code ? refusalText(s) + ' ' + t(s.message) : t(s.message, s.params);
    return [h('p', { class: 'arrow' }, '↑'), h('h1', { id: 'take-title' }, t(s.title)),
      h('p', { class: 'lead', id: 'take-message' }, message),
      h('p', { class: 'note' }, t('take.note'))];
  },

  REGISTER(s) {
    const f = s.form || {};
    const next = () => act('registerForm', Object.fromEntries(['honseki', 'hittosha', 'name', 'year', 'month', 'day']
      .map(n => [n, document.getElementById('form-' + n).value])));
    const row = (name, input, hint) => h('label', { class: 'field', for: 'form-' + name },
      h('span', { class: 'label' }, t('register.' + name)), input,
      hint ? h('span', { class: 'sub' }, hint) : null);
    const number = (name, size) => field(name, f[name], { inputmode: 'numeric', maxlength: size, size,
      class: 'short', 'aria-label': t('register.' + name) });
    return [
      h('h1', {}, t('register.title')),
      h('p', { class: 'lead' }, t('register.lead')),
      s.error ? h('p', { class: 'error', role: 'alert', id: 'form-error' }, t(s.error)) : null,
      h('div', { class: 'form' },
        row('honseki', field('honseki', f.honseki, { maxlength: 100 }), t('register.honseki.hint')),
        row('hittosha', field('hittosha', f.hittosha, { maxlength: 100 }), t('register.hittosha.hint')),
        row('name', field('name', f.name, { maxlength: 100 }), t('register.name.hint')),
        h('div', { class: 'field' }, h('span', { class: 'label' }, t('register.birthDate')),
          h('span', { class: 'date' }, number('year', 4), t('register.year'), number('month', 2), t('register.month'),
            number('day', 2), t('register.day')),
          h('span', { class: 'sub' }, t('register.birthDate.hint')))),
      h('p', { class: 'note' }, t('register.keyboard')),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'next', onclick: next }, t('button.next'))),
    ];
  },

  REGISTER_CONFIRM(s) {
    const a = s.application;
    return [
      h('h1', {}, t('register.confirm.title')),
      h('dl', { class: 'summary', id: 'summary' },
        h('dt', {}, t('register.honseki')), h('dd', { lang: 'ja' }, a.honseki),
        h('dt', {}, t('register.hittosha')), h('dd', { lang: 'ja' }, a.hittosha),
        h('dt', {}, t('register.name')), h('dd', { lang: 'ja' }, a.name),
        h('dt', {}, t('register.birthDate')), h('dd', {}, a.birthDate)),
      h('p', { class: 'lead' }, t('register.confirm.lead')),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'register-send', onclick: () => act('send') }, t('register.send'))),
    ];
  },

  REGISTERED(s) {
    return [
      h('h1', {}, t('registered.title')),
      h('p', { class: 'lead' }, t('registered.number')),
      h('p', { class: 'registration', id: 'registration-id' }, s.registrationId),
      h('p', { class: 'lead' }, t('registered.lead')),
      h('p', { class: 'note' }, t('registered.note')),
      h('div', { class: 'actions' },
        h('button', { id: 'registered-status', onclick: () => act('status') }, t('registered.status')),
        h('button', { class: 'primary', id: 'registered-done', onclick: () => act('done') }, t('registered.done'))),
    ];
  },

  REGISTRATION_STATUS(s) {
    const input = h('input', { id: 'registration-input', type: 'text', autocomplete: 'off', spellcheck: 'false',
      maxlength: 64, lang: 'en', value: s.checkedId || '', oninput: keepAlive });
    const check = id => act('check', { registrationId: id });
    return [
      h('h1', {}, t('status.title')),
      h('p', { class: 'lead' }, t('status.lead')),
      s.registrationIds.length ? h('div', { class: 'choices' }, s.registrationIds.map(id =>
        h('button', { 'data-registration': id, onclick: () => check(id) }, t('status.sentNow', { id })))) : null,
      h('label', { class: 'field', for: 'registration-input' }, h('span', { class: 'label' }, t('status.number')),
        input),
      h('button', { id: 'registration-check', onclick: () => check(input.value) }, t('status.check')),
      s.status ? h('p', { class: 'result ' + s.status.toLowerCase(), role: 'status', id: 'registration-result' },
        t('status.' + s.status, { id: s.checkedId })) : null,
      h('div', { class: 'actions' }, quit(), back()),
    ];
  },
};

function hideWarning() { document.getElementById('warning').hidden = true; }

function watchIdle() {
  if (!session) return;
  const left = timeoutSeconds - (Date.now() - lastTouch) / 1000;
  const takeCard = current && ['TAKE_CARD', 'LOCKED'].includes(JSON.parse(current).screen);
  document.getElementById('warning').hidden = takeCard || left > 15;
}

async function demoPanel() {
  const r = await fetch('/api/demo/cards', { cache: 'no-store' });
  if (!r.ok) return;
  const { cards } = await r.json();
  const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}) });
  const panel = document.getElementById('demo');
  panel.replaceChildren(h('span', {}, 'デモ用の読み取り機：'),
    ...cards.map(c => h('button', { 'data-card': c, onclick: () => post('/api/demo/insert', { card: c }) }, c + ' を置く')),
    h('button', { id: 'demo-remove', onclick: () => post('/api/demo/remove') }, 'カードを取る'));
  panel.hidden = false;
}

async function loop() {
  try { draw(await fetchState()); } catch (e) { /* the kiosk service restarts: keep trying */ }
  watchIdle();
  setTimeout(loop, 500);
}

document.getElementById('stay').addEventListener('click', () => act('stay'));
document.addEventListener('contextmenu', e => e.preventDefault());
demoPanel();
loadCatalogues().catch(() => {}).then(loop);
