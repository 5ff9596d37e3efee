/**
 * ASAN İmza SIMULATOR — a stand-in for the mobile-signature provider (R2.3). Not the real service.
 *
 * Wire protocol (what HttpMobileSignatureProvider calls; simulated latency/failures apply):
 *   POST /api/v1/login-transactions            { phone, userId }
 *        201 { transactionId, verificationCode, status: "pending", expiresAt }
 *        400 INVALID_PHONE | INVALID_USER_ID, 404 SIGNATURE_HOLDER_NOT_FOUND
 *   GET  /api/v1/login-transactions/:id        200 { transactionId, status, expiresAt, person? }
 *        404 TRANSACTION_NOT_FOUND
 *   POST /api/v1/signing-transactions          { phone, userId, hashAlgorithm: "SHA-256", hash (base64), description }
 *        201 { transactionId, verificationCode, status: "pending", expiresAt }   (issue 13)
 *   GET  /api/v1/signing-transactions/:id      200 { transactionId, status, expiresAt, signature? }
 *        signature = { value (base64 RSASSA-PKCS1-v1_5 over the hash), certificateChain (base64 DER, holder first), signedAt }
 *
 * Signing: the simulator signs with a test certificate authority it creates itself (test-ca.ts,
 * kept in its data folder); every certificate's names say "SIMULATOR — test CA, not valid".
 *
 * The tester's side ("the phone"; no simulated latency or failures):
 *   GET  /                                     HTML: pending requests with Confirm (PIN1) / Refuse
 *   GET  /simulator/api/transactions?status=&phone=   { transactions: [...] } newest first
 *   POST /simulator/api/transactions/:id/confirm { pin1 }  (any 4 digits except WRONG_PIN1)
 *   POST /simulator/api/transactions/:id/refuse
 *        409 TRANSACTION_NOT_PENDING when already answered or expired, 400 INVALID_PIN1 / WRONG_PIN1
 *   GET  /simulator/api/holders                the SIM holders the simulator knows
 *   GET  /health
 *
 * A transaction expires `transactionTtlMs` after it starts (default 3 minutes). Starting a new
 * login on a SIM expires the SIM's previous pending request, as a phone shows one at a time.
 *
 * Runs with the others under `npx tsx bin/evk.ts simulators` (and in `npm start`).
 */
import { randomInt, randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { AZ_PHONE_PATTERN, DEMO_MOBILE_SIGNATURE_HOLDERS, MOBILE_SIGNATURE_USER_ID_PATTERN, type DemoSignatureHolder } from '../demo-data';
import { JsonHttpClient, seg } from '../../integrations/http';
import {
  escapeHtml,
  jsonErrorHandler,
  jsonNotFound,
  listenOnLoopback,
  sendJsonError,
  simulatedConditions,
  simulatorHeader,
  simulatorPage,
  type RunningSimulator,
  type SimulatedConditions,
} from '../http';
import { MOBILE_SIGNATURE_API, type LoginStatus, type SignedInPerson } from '../../integrations/mobile-signature/adapter';
import { TestCertificateAuthority } from './test-ca';

export const MOBILE_SIGNATURE_SIMULATOR_NAME = 'ASAN İmza SIMULATOR';
const SIMULATOR_NOTE = 'ASAN İmza SIMULATOR — not the real service';

/** PIN1 the simulated phone rejects, to show the wrong-PIN path. Any other 4 digits are accepted. */
export const WRONG_PIN1 = '0000';
export const DEFAULT_TRANSACTION_TTL_MS = 3 * 60_000;
const MAX_KEPT_TRANSACTIONS = 500;

export interface MobileSignatureSimulatorOptions extends SimulatedConditions {
  /** SIM holders the provider knows; default: every demo lawyer and the unlisted holder. */
  holders?: readonly DemoSignatureHolder[];
  /** How long a login waits for the phone; default 3 minutes. */
  transactionTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where the test CA's keys are kept (issue 13); none, in memory. */
  dataDir?: string;
}

export interface SimulatedTransaction {
  transactionId: string;
  /** A login (R2.3) or a signing (issue 13). */
  kind: TransactionKind;
  /** What a signing is for, as the phone shows it. */
  description?: string;
  phone: string;
  userId: string;
  verificationCode: string;
  status: LoginStatus;
  createdAt: string;
  expiresAt: string;
  answeredAt?: string;
  holder: SignedInPerson;
}

type TransactionKind = 'login' | 'sign';

interface StoredTransaction {
  id: string;
  kind: TransactionKind;
  /** A signing's hash (32 bytes) and what it is for; its signature once confirmed. */
  hash?: Buffer;
  description?: string;
  signature?: Buffer;
  holder: DemoSignatureHolder;
  code: string;
  status: LoginStatus;
  createdAt: number;
  expiresAt: number;
  answeredAt?: number;
}

export function createMobileSignatureSimulatorApp(options: MobileSignatureSimulatorOptions = {}): Express {
  const holders = options.holders ?? DEMO_MOBILE_SIGNATURE_HOLDERS;
  const ttl = options.transactionTtlMs ?? DEFAULT_TRANSACTION_TTL_MS;
  const now = options.now ?? Date.now;
  const transactions = new Map<string, StoredTransaction>();
  const authority = new TestCertificateAuthority(options.dataDir);

  const refresh = (tx: StoredTransaction): StoredTransaction => {
    if (tx.status === 'pending' && now() >= tx.expiresAt) tx.status = 'expired';
    return tx;
  };
  const all = (): StoredTransaction[] => [...transactions.values()].map(refresh).reverse();
  const iso = (ms: number) => new Date(ms).toISOString();
  const person = (h: DemoSignatureHolder): SignedInPerson => ({ fin: h.fin, firstName: h.firstName, lastName: h.lastName, patronymic: h.patronymic });
  const view = (tx: StoredTransaction): SimulatedTransaction => ({
    transactionId: tx.id,
    kind: tx.kind,
    ...(tx.description ? { description: tx.description } : {}),
    phone: tx.holder.phone,
    userId: tx.holder.userId,
    verificationCode: tx.code,
    status: tx.status,
    createdAt: iso(tx.createdAt),
    expiresAt: iso(tx.expiresAt),
    ...(tx.answeredAt === undefined ? {} : { answeredAt: iso(tx.answeredAt) }),
    holder: person(tx.holder),
  });

  /** Confirms or refuses on "the phone"; returns an error to report, or null. */
  const answer = (id: string, action: 'confirm' | 'refuse', pin1: unknown): { status: number; code: string; message: string } | null => {
    const tx = transactions.get(id);
    if (!tx) return { status: 404, code: 'TRANSACTION_NOT_FOUND', message: `${MOBILE_SIGNATURE_SIMULATOR_NAME}: no transaction ${id}` };
    refresh(tx);
    if (tx.status !== 'pending') {
      return { status: 409, code: 'TRANSACTION_NOT_PENDING', message: `${MOBILE_SIGNATURE_SIMULATOR_NAME}: the request is already ${tx.status}` };
    }
    if (action === 'confirm') {
      if (typeof pin1 !== 'string' || !/^\d{4}$/.test(pin1)) {
        return { status: 400, code: 'INVALID_PIN1', message: `${MOBILE_SIGNATURE_SIMULATOR_NAME}: PIN1 is 4 digits` };
      }
      if (pin1 === WRONG_PIN1) {
        return {
          status: 400,
          code: 'WRONG_PIN1',
          message: `${MOBILE_SIGNATURE_SIMULATOR_NAME}: wrong PIN1 (the simulator rejects ${WRONG_PIN1}; any other 4 digits work)`,
        };
      }
    }
    tx.status = action === 'confirm' ? 'confirmed' : 'refused';
    tx.answeredAt = now();
    if (tx.status === 'confirmed' && tx.kind === 'sign' && tx.hash) tx.signature = authority.signHash(tx.holder, tx.hash);
    return null;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(simulatorHeader('ASAN Imza'));
  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));

  const provider = simulatedConditions(MOBILE_SIGNATURE_SIMULATOR_NAME, options, { failureRate: 0 });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', simulator: SIMULATOR_NOTE });
  });

  // --- wire protocol ---------------------------------------------------------------------------

  /** Starts a login or a signing on the holder's SIM: one request at a time per phone, as a phone shows. */
  const startTransaction = (req: Request, res: Response, kind: TransactionKind) => {
    const body = (req.body ?? {}) as { phone?: unknown; userId?: unknown; hash?: unknown; hashAlgorithm?: unknown; description?: unknown };
    const phone = typeof body.phone === 'string' ? body.phone.trim() : '';
    const userId = typeof body.userId === 'string' ? body.userId.trim() : '';
    if (!AZ_PHONE_PATTERN.test(phone)) {
      sendJsonError(res, 400, 'INVALID_PHONE', `${MOBILE_SIGNATURE_SIMULATOR_NAME}: phone must look like +994XXXXXXXXX`);
      return;
    }
    if (!MOBILE_SIGNATURE_USER_ID_PATTERN.test(userId)) {
      sendJsonError(res, 400, 'INVALID_USER_ID', `${MOBILE_SIGNATURE_SIMULATOR_NAME}: user ID must be 6 digits`);
      return;
    }
    const hash = kind === 'sign' && typeof body.hash === 'string' ? Buffer.from(body.hash, 'base64') : undefined;
    if (kind === 'sign' && (body.hashAlgorithm !== 'SHA-256' || hash?.length !== 32)) {
      sendJsonError(res, 400, 'INVALID_HASH', `${MOBILE_SIGNATURE_SIMULATOR_NAME}: hash must be a base64 SHA-256 (32 bytes), hashAlgorithm "SHA-256"`);
      return;
    }
    const holder = holders.find((h) => h.phone === phone && h.userId === userId);
    if (!holder) {
      sendJsonError(res, 404, 'SIGNATURE_HOLDER_NOT_FOUND', `${MOBILE_SIGNATURE_SIMULATOR_NAME}: no mobile-signature SIM with this phone number and user ID`);
      return;
    }
    for (const tx of transactions.values()) {
      if (tx.holder.phone === holder.phone && refresh(tx).status === 'pending') {
        tx.status = 'expired';
        tx.answeredAt = now();
      }
    }
    // The holder's certificate exists before the phone confirms (made once, kept in the data folder).
    if (kind === 'sign') authority.holder(holder);
    const created = now();
    const tx: StoredTransaction = {
      id: randomUUID(),
      kind,
      holder,
      code: String(randomInt(0, 10_000)).padStart(4, '0'),
      status: 'pending',
      createdAt: created,
      expiresAt: created + ttl,
      ...(hash ? { hash, description: typeof body.description === 'string' ? body.description.slice(0, 200) : '' } : {}),
    };
    transactions.set(tx.id, tx);
    while (transactions.size > MAX_KEPT_TRANSACTIONS) {
      const oldest = transactions.keys().next().value;
      if (oldest === undefined) break;
      transactions.delete(oldest);
    }
    res.status(201).json({
      transactionId: tx.id,
      verificationCode: tx.code,
      status: tx.status,
      expiresAt: iso(tx.expiresAt),
      simulator: SIMULATOR_NOTE,
    });
  };
  const ofKind = (req: Request<{ id: string }>, res: Response, kind: TransactionKind): StoredTransaction | undefined => {
    const tx = transactions.get(req.params.id);
    if (!tx || tx.kind !== kind) {
      sendJsonError(res, 404, 'TRANSACTION_NOT_FOUND', `${MOBILE_SIGNATURE_SIMULATOR_NAME}: no transaction ${req.params.id}`);
      return undefined;
    }
    return refresh(tx);
  };

  app.post(MOBILE_SIGNATURE_API.startLogin, provider, (req: Request, res: Response) => startTransaction(req, res, 'login'));
  app.post(MOBILE_SIGNATURE_API.startSigning, provider, (req: Request, res: Response) => startTransaction(req, res, 'sign'));

  app.get('/api/v1/signing-transactions/:id', provider, (req: Request<{ id: string }>, res: Response) => {
    const tx = ofKind(req, res, 'sign');
    if (!tx) return;
    res.json({
      transactionId: tx.id,
      status: tx.status,
      expiresAt: iso(tx.expiresAt),
      ...(tx.status === 'confirmed' && tx.signature
        ? {
            signature: {
              value: tx.signature.toString('base64'),
              certificateChain: authority.chain(tx.holder).map((der) => der.toString('base64')),
              signedAt: iso(tx.answeredAt ?? now()),
            },
          }
        : {}),
      simulator: SIMULATOR_NOTE,
    });
  });

  app.get('/api/v1/login-transactions/:id', provider, (req: Request<{ id: string }>, res: Response) => {
    // A confirmed signing is not a login.
    const tx = ofKind(req, res, 'login');
    if (!tx) return;
    res.json({
      transactionId: tx.id,
      status: tx.status,
      expiresAt: iso(tx.expiresAt),
      ...(tx.status === 'confirmed' ? { person: person(tx.holder) } : {}),
      simulator: SIMULATOR_NOTE,
    });
  });

  // --- the tester's phone: JSON --------------------------------------------------------------

  app.get('/simulator/api/transactions', (req: Request, res: Response) => {
    const status = typeof req.query.status === 'string' ? req.query.status : undefined;
    const phone = typeof req.query.phone === 'string' ? req.query.phone.trim() : undefined;
    const list = all().filter((tx) => (!status || tx.status === status) && (!phone || tx.holder.phone === phone));
    res.json({ transactions: list.map(view), simulator: SIMULATOR_NOTE });
  });

  app.get('/simulator/api/holders', (_req, res) => {
    res.json({ holders, simulator: SIMULATOR_NOTE });
  });

  for (const action of ['confirm', 'refuse'] as const) {
    app.post(`/simulator/api/transactions/:id/${action}`, (req: Request<{ id: string }>, res: Response) => {
      const error = answer(req.params.id, action, (req.body as { pin1?: unknown } | undefined)?.pin1);
      if (error) {
        sendJsonError(res, error.status, error.code, error.message);
        return;
      }
      res.json({ ...view(transactions.get(req.params.id) as StoredTransaction), simulator: SIMULATOR_NOTE });
    });

    app.post(`/simulator/phone/:id/${action}`, (req: Request<{ id: string }>, res: Response) => {
      const error = answer(req.params.id, action, (req.body as { pin1?: unknown } | undefined)?.pin1);
      if (error) {
        res
          .status(error.status)
          .type('html')
          .send(renderPhone(all(), holders, now(), error.message));
        return;
      }
      res.redirect(303, '/');
    });
  }

  // --- the tester's phone: HTML --------------------------------------------------------------

  app.get('/', (_req, res) => {
    res.type('html').send(renderPhone(all(), holders, now()));
  });

  app.use(jsonNotFound(MOBILE_SIGNATURE_SIMULATOR_NAME));
  app.use(jsonErrorHandler(MOBILE_SIGNATURE_SIMULATOR_NAME));
  return app;
}

function fullName(p: { lastName: string; firstName: string; patronymic: string }): string {
  return `${p.lastName} ${p.firstName} ${p.patronymic}`;
}

const STATUS_LABEL: Record<LoginStatus, string> = {
  pending: 'gözləyir / pending',
  confirmed: 'təsdiqlənib / confirmed',
  refused: 'imtina edilib / refused',
  expired: 'vaxtı bitib / expired',
};

function renderPhone(transactions: StoredTransaction[], holders: readonly DemoSignatureHolder[], nowMs: number, error?: string): string {
  const pending = transactions.filter((tx) => tx.status === 'pending');
  const answered = transactions.filter((tx) => tx.status !== 'pending').slice(0, 20);
  const pendingIds = pending.map((tx) => tx.id).join(',');

  const cards = pending.length
    ? pending
        .map((tx) => {
          const secondsLeft = Math.max(0, Math.round((tx.expiresAt - nowMs) / 1000));
          return `<section class="phone" data-transaction-id="${escapeHtml(tx.id)}">
  <div class="muted">${escapeHtml(tx.holder.phone)} · istifadəçi ID ${escapeHtml(tx.holder.userId)} · ${escapeHtml(fullName(tx.holder))}</div>
  ${
    tx.kind === 'sign'
      ? `<p>İmza sorğusu: ${escapeHtml(tx.description ?? '')}. Yoxlama kodu ekrandakı ilə eynidirsə, PIN2 daxil edin.<br><span class="muted">Signing request. If the verification code matches the one on the screen, enter PIN2. Signed with the simulator's test CA: not a valid signature.</span></p>`
      : `<p>Giriş sorğusu. Yoxlama kodu ekrandakı ilə eynidirsə, PIN1 daxil edin.<br><span class="muted">Login request. If the verification code matches the one on the screen, enter PIN1.</span></p>`
  }
  <div class="code" data-verification-code="${escapeHtml(tx.code)}">${escapeHtml(tx.code)}</div>
  <div class="muted">Qalan vaxt / time left: ${secondsLeft} s</div>
  <form method="post" action="/simulator/phone/${seg(tx.id)}/confirm" class="row">
    <label>${tx.kind === 'sign' ? 'PIN2' : 'PIN1'} <input name="pin1" inputmode="numeric" pattern="\\d{4}" maxlength="4" required autocomplete="off" placeholder="••••"></label>
    <button type="submit" class="ok">Təsdiq et / Confirm</button>
  </form>
  <form method="post" action="/simulator/phone/${seg(tx.id)}/refuse" class="row">
    <button type="submit" class="no">İmtina et / Refuse</button>
  </form>
</section>`;
        })
        .join('\n')
    : '<p class="muted">Gözləyən sorğu yoxdur. / No pending requests. This page refreshes itself when one arrives.</p>';

  const history = answered.length
    ? `<table><thead><tr><th>Vaxt / time</th><th>Telefon / phone</th><th>Şəxs / person</th><th>Kod / code</th><th>Status</th></tr></thead><tbody>
${answered
  .map(
    (tx) =>
      `<tr><td>${escapeHtml(new Date(tx.createdAt).toISOString())}</td><td>${escapeHtml(tx.holder.phone)}</td><td>${escapeHtml(fullName(tx.holder))}</td><td>${escapeHtml(tx.code)}</td><td>${escapeHtml(STATUS_LABEL[tx.status])}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
    : '<p class="muted">—</p>';

  const holderRows = holders
    .map(
      (h) =>
        `<tr><td><code>${escapeHtml(h.phone)}</code></td><td><code>${escapeHtml(h.userId)}</code></td><td>${escapeHtml(fullName(h))}</td><td><code>${escapeHtml(h.fin)}</code></td></tr>`,
    )
    .join('\n');

  const body = `
<style>
  .phone { background: #fff; border: 2px solid #1d1f23; border-radius: 18px; padding: 16px 20px; margin: 12px 0; max-width: 420px; }
  .code { font-size: 2.6rem; letter-spacing: .4em; font-weight: 700; margin: 8px 0; }
  .row { margin: 8px 0; display: flex; gap: 8px; align-items: center; }
  .row input { width: 6em; font-size: 1.1rem; padding: 4px; }
  button { font-size: 1rem; padding: 6px 14px; border-radius: 6px; border: 1px solid #888; cursor: pointer; }
  button.ok { background: #1b7f3a; color: #fff; border-color: #1b7f3a; }
  button.no { background: #fff; color: #b00020; border-color: #b00020; }
  .error { background: #fdecea; border: 1px solid #b00020; padding: 8px 12px; border-radius: 6px; }
</style>
<h1>ASAN İmza — test telefonu / test phone</h1>
<p class="muted">Bu səhifə mobil telefonu əvəz edir: kabinetdə "Vəkil kimi giriş et" ilə başlanan sorğular burada görünür.
PIN1: istənilən 4 rəqəm (${WRONG_PIN1} istisna — səhv PIN kimi rədd edilir).<br>
This page stands in for the phone: logins started in the cabinet appear here. PIN1: any 4 digits
(except ${WRONG_PIN1}, which the simulator rejects as a wrong PIN).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<h2>Gözləyən sorğular / Pending requests</h2>
<div id="pending" data-pending-ids="${escapeHtml(pendingIds)}">
${cards}
</div>
<h2>Son sorğular / Recent requests</h2>
${history}
<h2>Tanınan SIM sahibləri / Known SIM holders (test data)</h2>
<table><thead><tr><th>Telefon / phone</th><th>İstifadəçi ID / user ID</th><th>Şəxs / person</th><th>FİN</th></tr></thead><tbody>
${holderRows}
</tbody></table>`;

  const script = `
(function () {
  var shown = document.getElementById('pending').getAttribute('data-pending-ids');
  setInterval(function () {
    fetch('/simulator/api/transactions?status=pending').then(function (r) { return r.json(); }).then(function (data) {
      var ids = data.transactions.map(function (t) { return t.transactionId; }).join(',');
      var typing = document.activeElement && document.activeElement.name === 'pin1' && document.activeElement.value;
      if (ids !== shown && !typing) location.replace('/');
    }).catch(function () {});
  }, 2000);
})();`;

  return simulatorPage({ title: 'ASAN İmza test telefonu', serviceName: 'ASAN İmza', body, script });
}

/** Starts the simulator on 127.0.0.1 (`port` 0 = any free port). */
export function startMobileSignatureSimulator(port: number, options: MobileSignatureSimulatorOptions = {}): Promise<RunningSimulator> {
  return listenOnLoopback(createMobileSignatureSimulatorApp(options), port);
}

/**
 * Drives the simulator's phone over HTTP — for tests and demos (not part of the adapter).
 */
export class MobileSignatureSimulatorControl {
  private readonly http: JsonHttpClient;

  constructor(baseUrl: string, timeoutMs = 5_000) {
    this.http = new JsonHttpClient({ service: 'mobile-signature-simulator', baseUrl, timeoutMs });
  }

  async transactions(filter: { status?: LoginStatus; phone?: string } = {}): Promise<SimulatedTransaction[]> {
    const answer = await this.http.get<{ transactions: SimulatedTransaction[] }>('/simulator/api/transactions', { query: filter });
    return answer.transactions;
  }

  /** The newest pending request on this phone, if any. */
  async pendingFor(phone: string): Promise<SimulatedTransaction | undefined> {
    return (await this.transactions({ status: 'pending', phone }))[0];
  }

  confirm(transactionId: string, pin1 = '1234'): Promise<SimulatedTransaction> {
    return this.http.post(`/simulator/api/transactions/${seg(transactionId)}/confirm`, { pin1 });
  }

  refuse(transactionId: string): Promise<SimulatedTransaction> {
    return this.http.post(`/simulator/api/transactions/${seg(transactionId)}/refuse`, {});
  }
}
