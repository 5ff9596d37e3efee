// Little JavaScript: pages work without it. It polls a pending login, computes the remainder as
// the lawyer types (R4.1.6), and moves focus to the error summary.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  const poll = document.querySelector('[data-poll-login]');
  if (poll) {
    const form = poll.closest('form');
    const tick = async () => {
      const res = await fetch(poll.getAttribute('data-poll-login'), { headers: { accept: 'application/json' } });
      const body = await res.json().catch(() => ({}));
      if (body.status && body.status !== 'pending') form.submit();
      else setTimeout(tick, 1500);
    };
    setTimeout(tick, 1500);
  }

  const total = document.querySelector('[data-price-total]');
  const first = document.querySelector('[data-price-first]');
  const rest = document.querySelector('[data-price-remainder]');
  if (total && first && rest) {
    const parse = (v) => {
      const n = Number(String(v).replace(',', '.'));
      return Number.isFinite(n) ? Math.round(n * 100) : NaN;
    };
    const update = () => {
      const t = parse(total.value),
        f = parse(first.value);
      rest.textContent = Number.isNaN(t) || Number.isNaN(f) || f >= t ? '—' : ((t - f) / 100).toFixed(2);
    };
    total.addEventListener('input', update);
    first.addEventListener('input', update);
    update();
  }

  document.querySelectorAll('[data-add-holder]').forEach((button) => {
    button.addEventListener('click', () => {
      const list = document.getElementById(button.getAttribute('data-add-holder'));
      const input = document.createElement('input');
      input.type = 'text';
      input.name = 'holders';
      input.setAttribute('aria-label', button.getAttribute('data-label') || '');
      list.appendChild(input);
      input.focus();
    });
  });
});

// ---- wizard (R4.1, web/pages/wizard.ts): begin — enhancements only; every step works without them.
document.addEventListener('DOMContentLoaded', () => {
  const wizardForms = document.querySelectorAll('form.wizard');
  if (wizardForms.length === 0) return;

  // Parts of a step shown only for one choice: data-show-if="name=value|value" ("" = nothing chosen yet).
  wizardForms.forEach((form) => {
    const parts = form.querySelectorAll('[data-show-if]');
    if (parts.length === 0) return;
    const valueOf = (name) => {
      const field = form.elements.namedItem(name);
      if (!field) return '';
      if (field instanceof RadioNodeList) return field.value;
      if (field.type === 'checkbox') return field.checked ? field.value : '';
      return field.value;
    };
    const apply = () =>
      parts.forEach((part) => {
        const rule = part.getAttribute('data-show-if');
        const at = rule.indexOf('=');
        const allowed = rule.slice(at + 1).split('|');
        // A field with an error stays visible, so the message is never hidden.
        part.hidden = !allowed.includes(valueOf(rule.slice(0, at))) && !part.classList.contains('wf-invalid');
      });
    form.addEventListener('change', apply);
    apply();
  });

  // "+" adds a holder line here (the handler above) instead of asking the server for one.
  document.querySelectorAll('form.wizard button[data-add-holder]').forEach((button) => {
    button.addEventListener('click', (event) => event.preventDefault());
  });

  // Enter in the FIN / VÖEN field searches, as the "Axtar" next to it would.
  document.querySelectorAll('form.wizard input[data-lookup-enter]').forEach((input) => {
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      const button = input.form.querySelector(`button[name="action"][value="${input.getAttribute('data-lookup-enter')}"]`);
      if (!button) return;
      event.preventDefault();
      input.form.requestSubmit(button);
    });
  });

  // A slow look-up (the tax service may take seconds) says that it is searching.
  wizardForms.forEach((form) => {
    form.addEventListener('submit', (event) => {
      const button = event.submitter;
      if (button && button.hasAttribute('data-busy-text')) {
        button.textContent = button.getAttribute('data-busy-text');
        button.setAttribute('aria-busy', 'true');
      }
    });
  });
});
// ---- wizard: end

// ---- contract page, amendments (web/pages/contract.ts): begin — enhancements only.
document.addEventListener('DOMContentLoaded', () => {
  // "+" on the amendment form needs this script, so it is shown only when the script runs; without
  // it the form always offers one empty line.
  document.querySelectorAll('form.cp-amend button[data-add-holder][hidden]').forEach((button) => {
    button.hidden = false;
  });
  // The remainder of two instalments follows the plan: the first instalment is for "İki hissədə" only.
  const amend = document.querySelector('form.cp-amend');
  if (amend) {
    const first = amend.querySelector('[data-price-first]');
    const sync = () => {
      const plan = amend.querySelector('input[name="plan"]:checked');
      if (first) first.disabled = !plan || plan.value !== 'two_instalments';
    };
    amend.addEventListener('change', sync);
    sync();
  }
});
// ---- contract page, amendments: end

// ---- dossier, "Sənədlər" (R4.5, web/dossier/page.ts): begin — "Yadda saxla" is a plain multipart form;
// this script sends the same form with fetch, so a refusal shows next to the field without leaving the page.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('form[data-dossier-upload]').forEach((form) => {
    const input = form.querySelector('input[type=file]');
    const error = form.querySelector('.field-error');
    const button = form.querySelector('button[type=submit]');
    const label = button.textContent;
    const hint = input.getAttribute('aria-describedby');
    const showError = (message) => {
      error.textContent = message;
      error.hidden = false;
      input.classList.add('invalid');
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', `${error.id} ${hint}`);
      input.focus();
    };
    const clearError = () => {
      error.hidden = true;
      error.textContent = '';
      input.classList.remove('invalid');
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', hint);
    };
    input.addEventListener('change', clearError);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearError();
      const file = input.files && input.files[0];
      if (!file) return showError(form.getAttribute('data-required'));
      button.disabled = true;
      button.textContent = form.getAttribute('data-saving');
      button.setAttribute('aria-busy', 'true');
      try {
        const res = await fetch(form.action, {
          method: 'POST',
          headers: { accept: 'application/json', 'x-csrf-token': form.getAttribute('data-csrf') },
          body: new FormData(form),
        });
        const body = await res.json().catch(() => ({}));
        if (res.ok && body.redirect) {
          // Back to this page, at the dossier: a reload when only the fragment would change.
          const target = new URL(body.redirect, window.location.href);
          if (target.pathname + target.search === window.location.pathname + window.location.search) {
            window.location.hash = target.hash;
            window.location.reload();
          } else window.location.assign(target.href);
          return;
        }
        showError((body.error && body.error.message) || form.getAttribute('data-failed'));
      } catch {
        showError(form.getAttribute('data-failed'));
      }
      button.disabled = false;
      button.textContent = label;
      button.removeAttribute('aria-busy');
    });
  });
});
// ---- dossier: end

// R4.6: while a court filing waits for e-court, the contract page reloads itself every few seconds,
// but never under the person's hands: not while a field has the focus or holds something typed.
document.addEventListener('DOMContentLoaded', () => {
  const pending = document.querySelector('[data-refresh-while-pending]');
  if (!pending) return;
  const every = Number(pending.getAttribute('data-refresh-while-pending')) || 4000;
  const busy = () => {
    const active = document.activeElement;
    if (active && active.matches('input:not([type=hidden]), textarea, select')) return true;
    return [...document.querySelectorAll('input[type=text], textarea')].some((field) => field.value.trim() !== '');
  };
  const tick = () => (busy() ? setTimeout(tick, every) : location.reload());
  setTimeout(tick, every);
});

// ---- pages (issue 13): the menu and the file controls --------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  // "Menyu" is a <details>: closed on a phone, kept open where the menu fits on one line.
  const menu = document.querySelector('details[data-menu]');
  if (menu) {
    const wide = window.matchMedia('(min-width: 48rem)');
    const follow = () => {
      menu.open = wide.matches;
    };
    follow();
    wide.addEventListener('change', follow);
  }

  // Our own file button: the chosen file's name next to it, in the page's language.
  document.querySelectorAll('input[type=file].file-input').forEach((input) => {
    const name = input.parentElement && input.parentElement.querySelector('[data-file-name]');
    if (!name) return;
    const show = () => {
      const names = Array.from(input.files || []).map((f) => f.name);
      name.textContent = names.length ? names.join(', ') : name.getAttribute('data-none');
    };
    input.addEventListener('change', show);
    show();
  });
});
