// Demo page wiring: product picker, theme and direction switches, attribute controls and
// the event log. Every widget talks to the reference server on this origin.
import '../src/index.js';
import { DEMO_PRODUCTS } from '../src/server/demo-products.js';

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const params = new URLSearchParams(location.search);

// ----- product picker -----------------------------------------------------------
const picker = $<HTMLSelectElement>('#product');
for (const p of DEMO_PRODUCTS) picker.append(new Option(p.name, p.id));
const bestSeller = DEMO_PRODUCTS[0]!; // the seed's best-seller comes first
picker.value = params.get('product') ?? bestSeller.id;

function showProduct(id: string) {
  const product = DEMO_PRODUCTS.find((p) => p.id === id) ?? bestSeller;
  for (const el of document.querySelectorAll('[data-entity]')) el.setAttribute('entity-id', product.id);
  for (const el of document.querySelectorAll('[data-product-name]')) el.setAttribute('product-name', product.name);
  $('#product-name').textContent = product.name;
  $('#product-price').textContent = new Intl.NumberFormat(document.documentElement.lang, { style: 'currency', currency: product.currency }).format(product.price);
  $('#product-desc').textContent = product.description;
  $('#product-photo').style.setProperty('--c', product.color);
  const url = new URL(location.href);
  url.searchParams.set('product', product.id);
  history.replaceState(null, '', url);
}
picker.addEventListener('change', () => showProduct(picker.value));
showProduct(picker.value);

// ----- product grid: 24 badges, one averages request ---------------------------------
const grid = $('#grid');
for (let i = 0; i < 24; i++) {
  const p = DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]!;
  const li = document.createElement('li');
  const swatch = document.createElement('div');
  swatch.className = 'swatch';
  swatch.style.setProperty('--c', p.color);
  const link = document.createElement('a');
  link.href = `?product=${encodeURIComponent(p.id)}#product-page`;
  link.textContent = p.name;
  const stars = document.createElement('rating-stars');
  stars.setAttribute('entity-id', p.id);
  li.append(swatch, link, stars);
  grid.append(li);
}

// ----- theme and direction ------------------------------------------------------
const theme = $<HTMLSelectElement>('#theme');
const dir = $<HTMLSelectElement>('#dir');
theme.value = params.get('theme') ?? 'auto';
dir.value = params.get('dir') ?? 'ltr';
const applyLook = () => {
  if (theme.value === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme.value;
  document.documentElement.dir = dir.value;
};
theme.addEventListener('change', applyLook);
dir.addEventListener('change', applyLook);
applyLook();

// ----- attribute controls ---------------------------------------------------------
for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-attr]')) {
  control.addEventListener('change', () => {
    document.getElementById(control.dataset.target!)?.setAttribute(control.dataset.attr!, control.value);
  });
}
const starsForm = $<HTMLFormElement>('#stars-form');
starsForm.addEventListener('submit', (e) => {
  e.preventDefault();
  $('#stars-out').textContent = `FormData rating = ${new FormData(starsForm).get('rating') ?? '(none)'}`;
});

// ----- event log -----------------------------------------------------------------
const log = $('#log');
const EVENTS = ['review-filter', 'review-vote', 'review-submit', 'review-submitted', 'change'];
for (const type of EVENTS) {
  document.addEventListener(type, (e) => {
    const target = e.composedPath()[0] as Element;
    if (!(target instanceof Element) || !target.localName.includes('-')) return;
    const li = document.createElement('li');
    const detail = (e as CustomEvent).detail;
    const code = document.createElement('code');
    code.textContent = `${target.localName} → ${type}${detail === undefined || detail === null ? '' : ' ' + JSON.stringify(detail, (k, v) => (k === 'review' ? { id: v.id, rating: v.content?.rating } : v))}`;
    li.append(code);
    log.prepend(li);
  });
}
$('#log-clear').addEventListener('click', () => log.replaceChildren());

// ----- API example --------------------------------------------------------------
$('#api-example').textContent = `curl -s ${location.origin}/reviews/v1/reviews/query \\
  -H 'Content-Type: application/json' \\
  -d '{"query":{"filter":{"entityId":"${bestSeller.id}"},"sort":[{"fieldName":"helpfulness","order":"DESC"}],"cursorPaging":{"limit":2}}}'`;
