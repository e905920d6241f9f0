// The page a review request e-mail links to: `review-request.html?reviewRequest=ID&token=T`
// renders <review-form review-request="ID" token="T">, which loads what the request is for
// and submits the review under it. The server comes from ?endpoint= or the meta tag, as
// on the demo's main page (endpoint.ts).
import '../src/index.js';
import { useDemoEndpoint } from './endpoint.js';

useDemoEndpoint();
const params = new URLSearchParams(location.search);
const request = params.get('reviewRequest')?.trim() ?? '';
const token = params.get('token')?.trim() ?? '';
const form = document.getElementById('form')!;
if (request && token) {
  form.setAttribute('review-request', request);
  form.setAttribute('token', token);
} else {
  form.hidden = true;
  document.getElementById('missing')!.hidden = false;
}
