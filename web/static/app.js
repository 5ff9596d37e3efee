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
    const parse = (v) => { const n = Number(String(v).replace(',', '.')); return Number.isFinite(n) ? Math.round(n * 100) : NaN; };
    const update = () => {
      const t = parse(total.value), f = parse(first.value);
      rest.textContent = Number.isNaN(t) || Number.isNaN(f) || f >= t ? '—' : ((t - f) / 100).toFixed(2);
    };
    total.addEventListener('input', update); first.addEventListener('input', update); update();
  }

  document.querySelectorAll('[data-add-holder]').forEach((button) => {
    button.addEventListener('click', () => {
      const list = document.getElementById(button.getAttribute('data-add-holder'));
      const input = document.createElement('input');
      input.type = 'text'; input.name = 'holders'; input.setAttribute('aria-label', button.getAttribute('data-label') || '');
      list.appendChild(input); input.focus();
    });
  });
});
