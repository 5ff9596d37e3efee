/**
 * HTML of the payment agent SIMULATOR (payment page, card form, terminal code, terminal screen).
 * Azerbaijani first, English second. Every page carries the simulator banner.
 */
import Handlebars from 'handlebars';
import { formatQepik } from '../../integrations/payment-agent/protocol';
import { type Lang, TEXTS } from './texts';

export { errorText, pickLang, stateLabel, TEXTS, type FieldErrorKey, type Lang } from './texts';

// ---------------------------------------------------------------------------------------------

const hb = Handlebars.create();

const LAYOUT = hb.compile(`<!doctype html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>[{{t.simTag}}] {{title}} · PulPal</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1d2329; }
  .sim-banner { background: #ffcc00; color: #000; padding: .6rem 1rem; font-weight: 700; text-align: center; border-bottom: 3px dashed #000; }
  header { display: flex; justify-content: space-between; align-items: center; padding: .8rem 1.2rem; background: #fff; border-bottom: 1px solid #d9dee3; }
  header .brand { font-weight: 700; font-size: 1.2rem; color: #6b2fbf; }
  header .brand small { color: #b00020; font-size: .8rem; margin-left: .4rem; text-transform: uppercase; }
  nav.langs a { margin-left: .6rem; }
  nav.langs a[aria-current] { font-weight: 700; text-decoration: none; color: inherit; }
  main { max-width: 44rem; margin: 1.5rem auto; background: #fff; padding: 1.2rem 1.6rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
  dl.summary dt { color: #5a6570; }
  dl.summary dd { margin: 0; font-weight: 600; }
  .field { margin: .8rem 0; }
  .field label { display: block; font-weight: 600; margin-bottom: .2rem; }
  .field input { font-size: 1rem; padding: .4rem .5rem; width: 100%; max-width: 20rem; box-sizing: border-box; }
  .field.has-error input { border: 2px solid #b00020; }
  .error { color: #b00020; margin: .2rem 0 0; }
  .notice { padding: .7rem 1rem; border-radius: 6px; margin: 1rem 0; }
  .notice.bad { background: #fde8eb; border: 1px solid #b00020; }
  .notice.good { background: #e6f6ea; border: 1px solid #1b7f3b; }
  .methods a { display: inline-block; margin: .4rem .6rem .4rem 0; padding: .7rem 1rem; border: 1px solid #6b2fbf; border-radius: 6px; text-decoration: none; }
  .code { font-family: ui-monospace, monospace; font-size: 1.6rem; font-weight: 700; letter-spacing: .05em; }
  button { font-size: 1rem; padding: .55rem 1.4rem; background: #6b2fbf; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
  th, td { text-align: left; border-bottom: 1px solid #e3e7eb; padding: .3rem .4rem; font-size: .9rem; }
  aside.test-cards { margin-top: 1.5rem; padding: .8rem 1rem; background: #fff8d6; border: 1px dashed #a08000; border-radius: 6px; }
  footer { text-align: center; color: #5a6570; font-size: .85rem; margin-bottom: 2rem; }
</style>
</head>
<body>
<div class="sim-banner" role="note" data-simulator="payment-agent">{{t.banner}}</div>
<header>
  <span class="brand">PulPal <small>{{t.simTag}}</small></span>
  <nav class="langs">{{#each langLinks}}<a href="{{href}}" hreflang="{{code}}"{{#if current}} aria-current="true"{{/if}}>{{label}}</a>{{/each}}</nav>
</header>
<main>
{{{content}}}
</main>
<footer>{{t.agentName}}</footer>
</body>
</html>`);

export interface PageFrame {
  lang: Lang;
  title: string;
  /** Path + query of this page without `lang`, to build the language switch. */
  selfPath: string;
}

function withLang(pathWithQuery: string, lang: Lang): string {
  const url = new URL(pathWithQuery, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export function renderLayout(frame: PageFrame, content: string): string {
  return LAYOUT({
    lang: frame.lang,
    title: frame.title,
    t: TEXTS[frame.lang],
    content,
    langLinks: (['az', 'en'] as const).map((code) => ({
      code,
      label: code === 'az' ? 'Azərbaycanca' : 'English',
      href: withLang(frame.selfPath, code),
      current: code === frame.lang,
    })),
  });
}

export { withLang };

const SUMMARY = `<dl class="summary">
  <dt>{{t.description}}</dt><dd data-field="description">{{description}}</dd>
  <dt>{{t.price}}</dt><dd data-field="price">{{price}}</dd>
  {{#if partial}}<dt>{{t.paidSoFar}}</dt><dd data-field="paid">{{paid}}</dd>
  <dt>{{t.debt}}</dt><dd data-field="debt">{{debt}}</dd>{{/if}}
  <dt>{{t.state}}</dt><dd data-field="state" data-state="{{stateCode}}">{{stateLabel}}</dd>
</dl>`;
hb.registerPartial('summary', SUMMARY);

const TEST_CARDS = `<aside class="test-cards" aria-label="{{t.testCards}}">
  <strong>{{t.testCards}}</strong>
  <table>
    <tr><td><code>4169 7388 0000 0004</code></td><td>{{t.testCardSuccess}}</td></tr>
    <tr><td><code>4000 0000 0000 0002</code></td><td>{{t.testCardDeclined}}</td></tr>
    <tr><td><code>4000 0000 0000 0119</code></td><td>{{t.testCardTimeout}}</td></tr>
  </table>
  <small>{{t.testCardsNote}}</small>
</aside>`;
hb.registerPartial('testCards', TEST_CARDS);

export const paymentPageTemplate = hb.compile(`
<h1>{{t.payTitle}}</h1>
{{> summary}}
{{#if notice}}<div class="notice {{notice.kind}}" role="alert" data-notice="{{notice.code}}"><strong>{{notice.title}}</strong><p>{{notice.text}}</p></div>{{/if}}
{{#if payable}}
  {{#if showChoice}}
  <h2>{{t.chooseMethod}}</h2>
  <p class="methods">
    <a href="{{cardHref}}" data-method="card">{{t.methodCard}}</a>
    <a href="{{terminalHref}}" data-method="terminal">{{t.methodTerminal}}</a>
  </p>
  {{/if}}
  {{#if showCard}}
  <h2>{{t.methodCard}}</h2>
  <form method="post" action="{{cardAction}}" novalidate>
    <input type="hidden" name="lang" value="{{lang}}">
    <div class="field{{#if errors.cardNumber}} has-error{{/if}}">
      <label for="cardNumber">{{t.cardNumber}}</label>
      <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" value="{{values.cardNumber}}"{{#if errors.cardNumber}} aria-invalid="true" aria-describedby="cardNumber-error"{{/if}}>
      {{#if errors.cardNumber}}<p class="error" id="cardNumber-error" data-error="cardNumber">{{errors.cardNumber}}</p>{{/if}}
    </div>
    <div class="field{{#if errors.expiry}} has-error{{/if}}">
      <label for="expiry">{{t.expiry}}</label>
      <input id="expiry" name="expiry" placeholder="MM/YY" autocomplete="cc-exp" value="{{values.expiry}}"{{#if errors.expiry}} aria-invalid="true" aria-describedby="expiry-error"{{/if}}>
      {{#if errors.expiry}}<p class="error" id="expiry-error" data-error="expiry">{{errors.expiry}}</p>{{/if}}
    </div>
    <div class="field{{#if errors.cvv}} has-error{{/if}}">
      <label for="cvv">{{t.cvv}}</label>
      <input id="cvv" name="cvv" inputmode="numeric" autocomplete="cc-csc" value="{{values.cvv}}"{{#if errors.cvv}} aria-invalid="true" aria-describedby="cvv-error"{{/if}}>
      {{#if errors.cvv}}<p class="error" id="cvv-error" data-error="cvv">{{errors.cvv}}</p>{{/if}}
    </div>
    <div class="field{{#if errors.holder}} has-error{{/if}}">
      <label for="holder">{{t.holder}}</label>
      <input id="holder" name="holder" autocomplete="cc-name" value="{{values.holder}}"{{#if errors.holder}} aria-invalid="true" aria-describedby="holder-error"{{/if}}>
      {{#if errors.holder}}<p class="error" id="holder-error" data-error="holder">{{errors.holder}}</p>{{/if}}
    </div>
    <p>{{t.charge}}: <strong data-field="charge">{{debt}}</strong></p>
    <button type="submit">{{t.pay}}</button>
  </form>
  <p><a href="{{choiceHref}}">{{t.otherMethod}}</a></p>
  {{> testCards}}
  {{/if}}
  {{#if showTerminal}}
  <h2>{{t.methodTerminal}}</h2>
  <p>{{t.paymentCode}}: <span class="code" data-field="terminal-code">{{terminalCode}}</span></p>
  <h3>{{t.terminalHowTo}}</h3>
  <ol>
    <li>{{t.terminalStep1}}</li>
    <li>{{t.terminalStep2}}</li>
    <li>{{t.terminalStep3}} <strong>{{terminalCode}}</strong></li>
    <li>{{t.terminalStep4}}</li>
  </ol>
  <p><a href="{{terminalScreenHref}}">{{t.openTerminal}}</a> · <a href="{{choiceHref}}">{{t.otherMethod}}</a></p>
  {{/if}}
{{/if}}
{{#if returnHref}}<p><a href="{{returnHref}}" data-action="return">{{t.backToMerchant}}</a></p>{{/if}}
`);

export const terminalPageTemplate = hb.compile(`
<h1>{{t.terminalTitle}}</h1>
<p><strong>{{t.terminalPath}}</strong></p>
{{#if receipt}}
  <div class="notice good" role="status" data-notice="receipt">
    <strong>{{t.receipt}}</strong>
    <dl class="summary">
      <dt>{{t.accountNumber}}</dt><dd data-field="code">{{receipt.code}}</dd>
      <dt>{{t.description}}</dt><dd>{{receipt.description}}</dd>
      <dt>{{t.paidNow}}</dt><dd data-field="paid-now">{{receipt.paidNow}}</dd>
      <dt>{{t.remaining}}</dt><dd data-field="debt">{{receipt.debt}}</dd>
      <dt>{{t.state}}</dt><dd data-field="state" data-state="{{receipt.stateCode}}">{{receipt.stateLabel}}</dd>
    </dl>
  </div>
  <p><a href="{{newHref}}">{{t.newPayment}}</a></p>
{{else}}
  {{#if payment}}
  {{> summary}}
  <form method="post" action="{{postAction}}" novalidate>
    <input type="hidden" name="lang" value="{{lang}}">
    <input type="hidden" name="code" value="{{values.code}}">
    <p>{{t.accountNumber}}: <span class="code" data-field="code">{{values.code}}</span></p>
    <div class="field{{#if errors.amount}} has-error{{/if}}">
      <label for="amount">{{t.amountAzn}}</label>
      <input id="amount" name="amount" inputmode="decimal" value="{{values.amount}}"{{#if errors.amount}} aria-invalid="true" aria-describedby="amount-error"{{/if}}>
      {{#if errors.amount}}<p class="error" id="amount-error" data-error="amount">{{errors.amount}}</p>{{/if}}
    </div>
    <p><small>{{t.partialHint}}</small></p>
    <button type="submit">{{t.pay}}</button>
  </form>
  <p><a href="{{newHref}}">{{t.otherCode}}</a></p>
  {{else}}
  <form method="get" action="{{lookupAction}}" novalidate>
    <input type="hidden" name="lang" value="{{lang}}">
    <div class="field{{#if errors.code}} has-error{{/if}}">
      <label for="code">{{t.accountNumber}}</label>
      <input id="code" name="code" placeholder="EVK-123456" value="{{values.code}}"{{#if errors.code}} aria-invalid="true" aria-describedby="code-error"{{/if}}>
      {{#if errors.code}}<p class="error" id="code-error" data-error="code">{{errors.code}}</p>{{/if}}
    </div>
    <button type="submit">{{t.continue}}</button>
  </form>
  {{/if}}
{{/if}}
`);

export const indexPageTemplate = hb.compile(`
<h1>{{t.indexTitle}}</h1>
<p><a href="{{terminalHref}}">{{t.terminalTitle}}</a></p>
<p>{{t.indexIntro}}</p>
{{#if payments.length}}
<table>
  <tr><th>PaymentId</th><th>ExternalId</th><th>{{t.paymentCode}}</th><th>{{t.price}}</th><th>{{t.debt}}</th><th>{{t.state}}</th></tr>
  {{#each payments}}
  <tr><td><a href="{{href}}">{{id}}</a></td><td>{{externalId}}</td><td>{{code}}</td><td>{{price}}</td><td>{{debt}}</td><td>{{state}}</td></tr>
  {{/each}}
</table>
{{else}}<p>{{t.noPayments}}</p>{{/if}}
{{> testCards}}
`);

export const messagePageTemplate = hb.compile(`
<h1>{{heading}}</h1>
<p>{{text}}</p>
`);

export { formatQepik };
