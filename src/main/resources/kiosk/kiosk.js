// The kiosk's screens. The server decides which screen is shown (GET /api/state); this page only draws it and
// sends touches. Nothing is stored in the browser: no cookies, no storage; the session id lives in this page's
// memory and the page reloads itself when a session ends.
'use strict';

const SCOPES = { SELF: 'ご本人だけ', HOUSEHOLD_ALL: '世帯全員', SELECTED: '世帯の一部' };
const OPTION_LABELS = [
  ['includeRelationship', '世帯主の氏名と続柄', 'ふつうは載せます'],
  ['includeDomicile', '本籍と筆頭者', '提出先に求められたときだけ'],
  ['includeIndividualNumber', '個人番号（マイナンバー）', '提出先に求められたときだけ'],
  ['includeResidentCode', '住民票コード', '提出先に求められたときだけ'],
];
// The items a 住民票記載事項証明書 may certify (contract §8 options.items) besides 氏名, which it always certifies.
const ITEM_LABELS = [
  ['BIRTH_DATE', '生年月日'], ['SEX', '性別'], ['ADDRESS', '住所'], ['HOUSEHOLDER', '世帯主'],
  ['RELATIONSHIP', '続柄'], ['BECAME_RESIDENT_ON', '住民となった年月日'], ['ADDRESS_SET_ON', '住所を定めた年月日'],
  ['DOMICILE', '本籍'],
];
const STEPS = { PIN: 1, TYPE: 2, SCOPE: 2, MEMBERS: 2, OPTIONS: 3, CONFIRM: 4, PREVIEW: 5 };

let current = null;       // the last state drawn, as text
let session = null;       // the session id, in memory only
let pin = '';             // the digits typed, in memory only, sent once and forgotten
let lastTouch = Date.now();
let timeoutSeconds = 60;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') el.addEventListener('click', v);
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

async function act(action, args) {
  lastTouch = Date.now();
  hideWarning();
  const slow = action === 'issue' || action === 'print' || (action === 'scope' && args && args.scope === 'SELECTED');
  if (slow) document.getElementById('busy').hidden = false;
  try {
    const r = await fetch('/api/action', {
      method: 'POST', cache: 'no-store', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.assign({ session, action }, args || {})),
    });
    draw(await r.json());
  } finally {
    document.getElementById('busy').hidden = true;
  }
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
  if (changedScreen) { lastTouch = Date.now(); pin = ''; }
  const main = document.getElementById('screen');
  main.className = '';
  main.replaceChildren(...(SCREENS[state.screen] || SCREENS.START)(state, main).filter(c => c != null));
  const step = STEPS[state.screen];
  document.getElementById('steps').replaceChildren(...(step
    ? ['暗証番号', '証明書', '記載内容', '確認', '印刷'].map((s, i) => i + 1 === step ? h('b', {}, s) : ' ' + s + ' ')
    : []));
  main.scrollTop = 0;
}

function quit() {
  return h('button', { class: 'quit', id: 'quit', onclick: () => act('cancel') }, 'やめる');
}

function back() {
  return h('button', { id: 'back', onclick: () => act('back') }, '戻る');
}

const SCREENS = {
  START(s) {
    if (s.cardLeftBehind && s.unreadable) {
      document.getElementById('screen').className = 'take';
      return [h('p', { class: 'arrow' }, '↑'), h('h1', {}, 'カードを読み取れませんでした'),
        h('p', { class: 'lead' }, 'マイナンバーカードかどうかお確かめのうえ、いったんお取りになり、もう一度置いてください。')];
    }
    if (s.cardLeftBehind) {
      document.getElementById('screen').className = 'take';
      return [h('p', { class: 'arrow' }, '↑'), h('h1', {}, 'マイナンバーカードをお取りください'),
        h('p', { class: 'lead' }, '前の方の操作は終わりました。')];
    }
    return [
      h('h1', {}, '住民票の写しを発行します'),
      h('p', { class: 'lead' }, 'マイナンバーカードを、下の読み取り機に置いてください。'),
      h('div', { class: 'reader', id: 'reader' }, 'カードを置く', h('br'), '▼'),
      h('p', { class: 'fee' }, '手数料　' + s.fees.map(t => t.title + ' 1通 ' + t.fee + '円').join('　')),
      h('p', { class: 'note' }, '暗証番号（数字4桁）が必要です。'),
      h('p', { class: 'note' }, 'わからないときは、近くの係員にお声がけください。'),
    ];
  },

  PIN(s) {
    const dots = h('div', { class: 'pin-dots', id: 'pin-dots' },
      [0, 1, 2, 3].map(i => h('span', {}, i < pin.length ? '●' : '')));
    const ok = h('button', { class: 'primary', id: 'pin-ok', disabled: pin.length !== 4, onclick: () => {
      const typed = pin; pin = ''; act('pin', { pin: typed });
    } }, '確定');
    const press = d => () => {
      if (d === 'del') pin = pin.slice(0, -1); else if (pin.length < 4) pin += d;
      lastTouch = Date.now();
      dots.replaceChildren(...[0, 1, 2, 3].map(i => h('span', {}, i < pin.length ? '●' : '')));
      ok.disabled = pin.length !== 4;
    };
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'del', '0', null].map(d => d === null ? h('span')
      : h('button', { 'data-key': d, onclick: press(d) }, d === 'del' ? '訂正' : d));
    return [
      h('div', { class: 'split' },
        h('div', {},
          h('h1', {}, '暗証番号を入力してください'),
          h('p', { class: 'lead' }, 'カードを受け取ったときに決めた、数字4桁の暗証番号です。'),
          s.error ? h('p', { class: 'error', role: 'alert', id: 'pin-error' }, s.error)
            : h('p', { class: 'note' }, '3回続けて間違えると、カードがロックされます。'),
          s.remainingTries === 1 ? h('p', { class: 'note' },
            'はっきり覚えていないときは「やめる」を押して、市役所の窓口でご相談ください。') : null,
          dots),
        h('div', {}, h('div', { class: 'keypad' }, keys))),
      h('div', { class: 'actions' }, quit(), ok),
    ];
  },

  LOCKED(s, main) { return SCREENS.TAKE_CARD(s, main); },

  TYPE(s) {
    return [
      h('h1', {}, '発行する証明書を選んでください'),
      h('div', { class: 'choices' }, s.types.map(t =>
        h('button', { id: 'type-' + t.type.toLowerCase().replace('_', '-'), onclick: () => act('type', { type: t.type }) },
          t.title, h('span', { class: 'sub' }, '1通 ' + t.fee + '円')))),
      h('div', { class: 'actions' }, quit()),
    ];
  },

  SCOPE() {
    const choice = (scope, sub) => h('button', { id: 'scope-' + scope, onclick: () => act('scope', { scope }) },
      SCOPES[scope], h('span', { class: 'sub' }, sub));
    return [
      h('h1', {}, 'どなたの住民票が必要ですか'),
      h('div', { class: 'choices' },
        choice('SELF', 'あなた1人だけが載ります'),
        choice('HOUSEHOLD_ALL', '同じ世帯の方が全員載ります'),
        choice('SELECTED', '同じ世帯の中から、載せる方を選びます')),
      h('div', { class: 'actions' }, quit(), back()),
    ];
  },

  MEMBERS(s) {
    const any = s.members.some(m => m.chosen);
    return [
      h('h1', {}, '載せる方を選んでください'),
      h('p', { class: 'lead' }, '押すと ✓ が付きます。何人でも選べます。'),
      h('div', { class: 'choices two' }, s.members.map((m, i) =>
        h('button', { class: 'toggle' + (m.chosen ? ' on' : ''), 'data-member': i, 'aria-pressed': String(m.chosen),
          onclick: () => act('toggle', { index: i }) },
          h('span', {}, m.name, h('span', { class: 'sub' }, m.relationship)),
          h('span', { class: 'state' + (m.chosen ? '' : ' off') }, m.chosen ? '✓ 載せる' : '載せない')))),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'next', disabled: !any, onclick: () => act('next') }, '次へ')),
    ];
  },

  OPTIONS(s) {
    const toggle = (attrs, label, note, on, onclick) => h('button', Object.assign({
      class: 'toggle' + (on ? ' on' : ''), 'aria-pressed': String(on), onclick }, attrs),
      h('span', {}, label, note ? h('span', { class: 'sub' }, note) : null),
      h('span', { class: 'state' + (on ? '' : ' off') }, on ? '✓ 載せる' : '載せない'));
    const choices = s.type === 'JUMINHYO_KISAI'
      ? ITEM_LABELS.map(([item, label]) => toggle({ 'data-item': item }, label, null, s.items.includes(item),
          () => act('item', { item })))
      : s.type === 'JUMINHYO'
        ? OPTION_LABELS.map(([name, label, note]) => toggle({ 'data-option': name }, label, note, s.options[name],
            () => act('toggle', { option: name })))
        : [];
    return [
      h('h1', {}, s.type === 'INKAN' ? '通数を選んでください' : s.type === 'JUMINHYO_KISAI'
        ? '証明する内容を選んでください' : '載せる内容を選んでください'),
      h('p', { class: 'lead' }, s.type === 'INKAN' ? '印鑑登録証明書は、ご本人の分だけ発行できます。'
        : s.type === 'JUMINHYO_KISAI' ? '氏名はいつも載ります。わからないときは、そのまま「次へ」を押してください。'
        : 'わからないときは、そのまま「次へ」を押してください。'),
      choices.length ? h('div', { class: s.type === 'JUMINHYO_KISAI' ? 'choices three' : 'choices two' }, choices)
        : null,
      h('div', { class: 'copies' }, h('span', {}, '通数'),
        h('button', { id: 'copies-minus', 'aria-label': '1通減らす', disabled: s.copies <= 1,
          onclick: () => act('copies', { delta: -1 }) }, '−'),
        h('output', { id: 'copies' }, s.copies + '通'),
        h('button', { id: 'copies-plus', 'aria-label': '1通増やす', disabled: s.copies >= 10,
          onclick: () => act('copies', { delta: 1 }) }, '＋')),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'next', onclick: () => act('next') }, '次へ')),
    ];
  },

  CONFIRM(s) {
    const items = s.type === 'JUMINHYO_KISAI'
      ? ['氏名'].concat(ITEM_LABELS.filter(([n]) => s.items.includes(n)).map(([, l]) => l))
      : OPTION_LABELS.filter(([n]) => s.options[n]).map(([, l]) => l);
    const who = s.scope === 'SELECTED' ? SCOPES.SELECTED + '（' + s.chosenNames.join('、') + '）' : SCOPES[s.scope];
    return [
      h('h1', {}, '内容を確かめてください'),
      h('dl', { class: 'summary', id: 'summary' },
        h('dt', {}, '証明書'), h('dd', {}, s.title),
        h('dt', {}, '載せる方'), h('dd', {}, who),
        s.type === 'INKAN' ? null : h('dt', {}, '載せる内容'),
        s.type === 'INKAN' ? null : h('dd', {}, items.length ? items.join('、') : '基本の内容だけ'),
        h('dt', {}, '通数'), h('dd', {}, s.copies + '通'),
        h('dt', {}, '手数料'), h('dd', { class: 'fee', id: 'fee' }, s.fee + '円')),
      h('p', { class: 'lead' }, '「発行する」を押すと、印刷する前に内容を画面で確かめられます。'),
      h('div', { class: 'actions' }, quit(), back(),
        h('button', { class: 'primary', id: 'issue', onclick: () => act('issue') }, '発行する')),
    ];
  },

  PREVIEW(s) {
    const pages = [];
    for (let i = 0; i < s.pages; i++) {
      pages.push(h('img', { src: '/api/preview/' + s.previewKey + '/' + i + '.png',
        alt: '証明書 ' + (i + 1) + 'ページ目' }));
    }
    return [
      h('h1', {}, '印刷の前にご確認ください'),
      h('div', { class: 'preview' },
        h('div', { class: 'pages', id: 'pages' }, pages),
        h('div', { class: 'side' },
          h('p', { class: 'lead' }, 'この内容で印刷します。'),
          h('p', { class: 'fee' }, s.copies + '通　手数料 ' + s.fee + '円'),
          h('div', { class: 'actions' }, quit(),
            h('button', { class: 'primary', id: 'print', onclick: () => act('print') }, '印刷する')))),
    ];
  },

  TAKE_CARD(s, main) {
    main.className = 'take';
    return [h('p', { class: 'arrow' }, '↑'), h('h1', { id: 'take-title' }, s.title),
      h('p', { class: 'lead', id: 'take-message' }, s.message),
      h('p', { class: 'note' }, 'カードをお取りになると、最初の画面に戻ります。')];
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
loop();
