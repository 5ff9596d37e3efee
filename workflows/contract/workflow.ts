/**
 * One legal-aid contract, from the lawyer's draft to the archive (SPEC "Lifecycle of a contract").
 *
 * draft ─submit─▶ awaiting_approval ─approve─▶ awaiting_payment ─payment─▶ active (order issued)
 *                  │ └─approve as already paid─▶ awaiting_fee ─fee paid─┘
 *                  └─reject─▶ draft
 * active ─amend─▶ (consent) ─▶ (head approval) ─▶ active, documents v+1
 * active ─finish─▶ finished            … ─terminate─▶ terminated ─restart─▶ back where it was
 *
 * Humans decide through updates whose synchronous validators ask the rules module (domain/contract)
 * and reject without a trace; the payment agent reports through signals.
 */
import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ContractActivities, ContactClaim, CourtActivities, NotificationEvent } from '../../activities/contract-activity-types';
import { COURT_REFUSALS } from '../../activities/contract-activity-types';
import { isPlausibleCaseNumber, normalizeCaseNumber } from '../../domain/court/case-number';
import {
  type Actor,
  type ContractAction,
  type ContractDraft,
  type ContractFacts,
  type ContractTerms,
  type FieldError,
  amountDueForOrderQepik,
  applyChanges,
  BAR_FEE_QEPIK,
  contactHolders,
  mergeDraft,
  normalizeEmail,
  normalizePhone,
  normalizeTerms,
  displayName,
  type NaturalPerson,
  personKey,
  priceChanged,
  refusal,
  validateTerms,
} from '../../domain/contract';
import {
  type ActionResult,
  type CourtFiling,
  type ContractState,
  type ContractView,
  type ContractWorkflowInput,
  type PaymentKind,
  type PaymentNotice,
  approve,
  approveAmendment,
  approveAsAlreadyPaid,
  barFeePaid,
  DEFAULT_TIMINGS,
  discardDraft,
  finish,
  getContractState,
  paymentCompleted,
  paymentFailed,
  proposeAmendment,
  reject,
  rejectAmendment,
  respondToPriceChange,
  restart,
  saveDraft,
  sendToCourt,
  submitForApproval,
  terminate,
} from './messages';

const { claimContacts } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['ContactTaken'] },
});
// Documents and messages must get out in the end, so they retry without limit.
const { issueDocuments, openApplicantCabinet, queueNotifications, recordContract } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// R4.6: e-court may be slow or down for long; unavailability retries without limit (backoff up to a
// minute), the portal's refusals do not retry and mark the filing failed with the reason.
const { joinCourtCase } = proxyActivities<CourtActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...COURT_REFUSALS] },
});
const readModel = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

const statusKey = defineSearchAttributeKey('EvkContractStatus', SearchAttributeType.KEYWORD);
const HISTORY_ENTRIES_KEPT = 200;

/** Work decided by a step and carried out after it, in order; atRevision is the step's own revision. */
type Effect =
  | { kind: 'openApplicantCabinet'; atRevision: number }
  | { kind: 'notify'; event: NotificationEvent; eventKey: string; atRevision: number }
  | { kind: 'issueDocuments'; version: number; issuedAt: string };

export async function contractWorkflow(input: ContractWorkflowInput): Promise<ContractView> {
  const state: ContractState = input.carriedState ?? initialState(input);
  const effects: Effect[] = [];
  /** A step that awaits an activity before it decides; other steps wait for it. */
  let stepInProgress: string | undefined;
  let readModelStale = false;
  let lastIndexedStatus = input.carriedState ? state.status : undefined;

  setHandler(getContractState, () => view(state));

  // ------------------------------------------------------------ plumbing

  const now = () => new Date().toISOString();
  const facts = (): ContractFacts => ({
    status: state.status,
    lawyerId: state.lawyerId,
    bureauId: state.bureauId,
    applicantAccountId: state.applicantAccountId,
    amendmentStatus: state.amendment?.status,
    balanceDueQepik: balanceDue(state),
  });
  const record = (event: string, by?: string, detail?: string) => {
    state.history.push({ at: now(), event, by, detail });
    if (state.history.length > HISTORY_ENTRIES_KEPT) state.history.splice(0, state.history.length - HISTORY_ENTRIES_KEPT);
  };
  // Effects are decided before the step's commit, which will be revision + 1.
  const notify = (event: NotificationEvent) =>
    effects.push({ kind: 'notify', event, eventKey: `${event}:${state.revision + 1}`, atRevision: state.revision + 1 });

  /** After each change: a new revision, the operators' status, and the read model the UI lists. */
  const commit = async (): Promise<ActionResult> => {
    state.revision += 1;
    if (state.status !== lastIndexedStatus) {
      upsertSearchAttributes([{ key: statusKey, value: state.status }]);
      lastIndexedStatus = state.status;
    }
    try {
      await readModel.recordContract(view(state));
    } catch {
      readModelStale = true; // the main loop writes it with unlimited retries
    }
    return { status: state.status, revision: state.revision };
  };

  function guard(action: ContractAction, actor: Actor) {
    if (stepInProgress) throw failure('Busy', `Another step (${stepInProgress}) is in progress; try again in a moment.`);
    const refused = refusal(action, actor, facts());
    if (refused === undefined) return;
    throw failure(refused.code === 'contract.not_yours' ? 'NotYours' : 'NotAllowed', refused.code, [refused.params ?? {}]);
  }

  function requireValid(errors: FieldError[]) {
    if (errors.length > 0) throw failure('InvalidInput', errors[0].code, errors);
  }

  function requireReason(reason: unknown) {
    if (typeof reason !== 'string' || reason.trim() === '') throw failure('InvalidInput', 'Give a reason.', [{ field: 'reason', code: 'required', message: 'Give a reason.' }]);
  }

  /** R4.1.2, R4.4.4: a phone or e-mail belongs to the first person it was given for. */
  async function claimContactsOf(terms: ContractDraft) {
    const claims: ContactClaim[] = contactHolders(terms)
      .map(({ path, person }) => ({
        path,
        personKey: personKey(person) ?? '',
        phone: person.phone ? normalizePhone(person.phone) : undefined,
        email: person.email ? normalizeEmail(person.email) : undefined,
      }))
      .filter((c) => c.personKey !== '' && (c.phone || c.email));
    if (claims.length === 0) return;
    try {
      await claimContacts({ contractId: state.contractId, claims });
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ContactTaken') {
        throw failure('InvalidInput', err.cause.message, err.cause.details as unknown[]);
      }
      throw failure('Unavailable', 'The contact check could not be completed; try again.');
    }
  }

  /** Runs a step that awaits an activity: no other step starts until it has decided. */
  async function exclusively<T>(name: string, body: () => Promise<T>): Promise<T> {
    stepInProgress = name;
    try {
      return await body();
    } finally {
      stepInProgress = undefined;
    }
  }

  // ------------------------------------------------------------ the lawyer's draft (R4.1)

  setHandler(
    saveDraft,
    async (actor, step) => {
      state.draft = mergeDraft(state.draft, step);
      record('draft_saved', actor.id);
      return commit();
    },
    {
      validator: (actor, step) => {
        guard('saveDraft', actor);
        requireValid(validateTerms(mergeDraft(state.draft, step ?? {}), 'partial'));
      },
    },
  );

  setHandler(
    discardDraft,
    async (actor) => {
      state.status = 'discarded';
      record('draft_discarded', actor.id);
      return commit();
    },
    { validator: (actor) => guard('discardDraft', actor) },
  );

  setHandler(
    submitForApproval,
    (actor) =>
      exclusively('submitForApproval', async () => {
        await claimContactsOf(state.draft);
        state.terms = normalizeTerms(state.draft);
        state.status = 'awaiting_approval';
        state.rejection = undefined;
        record('submitted', actor.id);
        effects.push({ kind: 'openApplicantCabinet', atRevision: state.revision + 1 });
        notify('submitted');
        return commit();
      }),
    {
      validator: (actor) => {
        guard('submitForApproval', actor);
        requireValid(validateTerms(state.draft, 'complete'));
      },
    },
  );

  // ------------------------------------------------------------ the bureau head (R4.2)

  setHandler(
    approve,
    async (actor) => {
      state.status = 'awaiting_payment';
      state.awaitingPaymentSince = now();
      state.paymentRemindersSent = 0;
      record('approved', actor.id);
      notify('approved');
      return commit();
    },
    { validator: (actor) => guard('approve', actor) },
  );

  setHandler(
    approveAsAlreadyPaid,
    async (actor) => {
      state.status = 'awaiting_fee';
      state.approvedAsAlreadyPaid = true;
      record('approved_as_already_paid', actor.id);
      return commit();
    },
    { validator: (actor) => guard('approveAsAlreadyPaid', actor) },
  );

  setHandler(
    reject,
    async (actor, { reason }) => {
      state.status = 'draft';
      state.draft = { ...(state.terms as ContractDraft) };
      state.terms = undefined;
      state.rejection = { reason: reason.trim(), at: now(), by: actor.id };
      record('rejected', actor.id, reason.trim());
      notify('rejected');
      return commit();
    },
    {
      validator: (actor, body) => {
        guard('reject', actor);
        requireReason(body?.reason);
      },
    },
  );

  // ------------------------------------------------------------ money from outside (R4.2.2, R4.3)

  setHandler(paymentCompleted, (notice) => receivePayment('contract', notice));
  setHandler(barFeePaid, (notice) => receivePayment('bar_fee', notice));
  setHandler(paymentFailed, (notice) => {
    // The callback and the payer's return may both report the same failure.
    if (state.payments.some((p) => p.paymentId === notice.paymentId) || state.lastPaymentFailure?.paymentId === notice.paymentId) return;
    state.lastPaymentFailure = notice;
    record('payment_failed', undefined, notice.reason);
    void commit();
  });

  function receivePayment(kind: PaymentKind, notice: PaymentNotice) {
    if (state.payments.some((p) => p.paymentId === notice.paymentId)) return; // the agent told us twice
    const payment = { ...notice, kind, flag: undefined as string | undefined };
    state.payments.push(payment);
    state.lastPaymentFailure = undefined;
    if (kind === 'bar_fee') {
      if (state.status !== 'awaiting_fee') payment.flag = `Bar fee received while the contract was ${state.status}.`;
      else if (notice.amountQepik < BAR_FEE_QEPIK) payment.flag = 'Bar fee below 20.50 AZN.';
      else {
        record('bar_fee_paid', undefined, `${notice.amountQepik}`);
        becomeActive();
      }
    } else if (state.status === 'awaiting_payment' || (state.status === 'active' && balanceDue(state) > 0)) {
      if (notice.amountQepik > balanceDue(state)) payment.flag = 'Paid more than was due.';
      state.paidQepik += notice.amountQepik;
      record(state.status === 'active' ? 'balance_paid' : 'paid', undefined, `${notice.amountQepik}`);
      if (state.status === 'awaiting_payment' && state.paidQepik >= amountDueForOrderQepik(state.terms!.price)) becomeActive();
    } else {
      payment.flag = `Payment received while the contract was ${state.status}; nothing was due.`;
    }
    if (payment.flag) record('payment_flagged', undefined, payment.flag);
    void commit();
  }

  function becomeActive() {
    state.status = 'active';
    state.awaitingPaymentSince = undefined;
    effects.push({ kind: 'issueDocuments', version: nextVersion(), issuedAt: now() });
    notify('order_issued');
  }

  // ------------------------------------------------------------ amendments (R4.4)

  setHandler(
    proposeAmendment,
    (actor, { changes, note }) =>
      exclusively('proposeAmendment', async () => {
        const amended = applyChanges(state.terms!, changes);
        await claimContactsOf(amended);
        const byHead = actor.isHead === true && actor.bureauId === state.bureauId;
        const changesPrice = priceChanged(state.terms!.price, amended.price);
        state.amendmentCount += 1;
        state.amendment = {
          id: `${state.amendmentCount}-${uuid4().slice(0, 8)}`,
          proposedBy: actor.id,
          proposedByHead: byHead,
          changes,
          note: note?.trim() || undefined,
          priceChanged: changesPrice,
          status: changesPrice ? 'awaiting_consent' : 'awaiting_head_approval',
          proposedAt: now(),
        };
        record('amendment_proposed', actor.id, note);
        if (changesPrice) notify('amendment_needs_consent');
        else if (byHead) applyAmendment(actor.id); // R4.4.3: the head's own change takes effect at once
        else notify('amendment_needs_approval');
        return commit();
      }),
    {
      validator: (actor, body) => {
        guard('proposeAmendment', actor);
        if (!body?.changes || Object.keys(body.changes).length === 0) {
          throw failure('InvalidInput', 'The amendment changes nothing.', [{ field: 'changes', code: 'required', message: 'The amendment changes nothing.' }]);
        }
        requireValid(validateTerms(applyChanges(state.terms!, body.changes), 'complete'));
      },
    },
  );

  setHandler(
    respondToPriceChange,
    async (actor, { consent }) => {
      const amendment = state.amendment!;
      if (!consent) {
        state.amendment = undefined;
        record('price_change_declined', actor.id);
        notify('amendment_rejected');
      } else if (amendment.proposedByHead) {
        record('price_change_consented', actor.id);
        applyAmendment(actor.id);
      } else {
        amendment.status = 'awaiting_head_approval';
        record('price_change_consented', actor.id);
        notify('amendment_needs_approval');
      }
      return commit();
    },
    {
      validator: (actor, body) => {
        guard('respondToPriceChange', actor);
        if (typeof body?.consent !== 'boolean') throw failure('InvalidInput', 'Say whether you consent.', [{ field: 'consent', code: 'required', message: 'Say whether you consent.' }]);
      },
    },
  );

  setHandler(
    approveAmendment,
    async (actor) => {
      applyAmendment(actor.id);
      return commit();
    },
    { validator: (actor) => guard('approveAmendment', actor) },
  );

  setHandler(
    rejectAmendment,
    async (actor, { reason }) => {
      state.amendment = undefined;
      record('amendment_rejected', actor.id, reason.trim());
      notify('amendment_rejected');
      return commit();
    },
    {
      validator: (actor, body) => {
        guard('rejectAmendment', actor);
        requireReason(body?.reason);
      },
    },
  );

  function applyAmendment(by: string) {
    state.terms = applyChanges(state.terms!, state.amendment!.changes);
    state.terms = normalizeTerms(state.terms);
    state.amendment = undefined;
    record('amendment_applied', by);
    effects.push({ kind: 'issueDocuments', version: nextVersion(), issuedAt: now() });
    notify('amendment_applied');
  }
  /** The version the next issue gets, counting issues decided but not yet carried out. */
  const nextVersion = () => currentVersion(state) + effects.filter((e) => e.kind === 'issueDocuments').length + 1;

  // ------------------------------------------------------------ archive (R4.7)

  setHandler(
    finish,
    async (actor) => {
      state.status = 'finished';
      record('finished', actor.id);
      notify('finished');
      return commit();
    },
    { validator: (actor) => guard('finish', actor) },
  );

  setHandler(
    terminate,
    async (actor, { reason }) => {
      state.termination = { reason: reason.trim(), at: now(), by: actor.id, statusBefore: state.status };
      state.status = 'terminated';
      state.amendment = undefined;
      record('terminated', actor.id, reason.trim());
      notify('terminated');
      return commit();
    },
    {
      validator: (actor, body) => {
        guard('terminate', actor);
        requireReason(body?.reason);
      },
    },
  );

  setHandler(
    restart,
    async (actor) => {
      state.status = state.termination!.statusBefore;
      if (state.status === 'awaiting_payment') state.awaitingPaymentSince = now();
      state.termination = undefined;
      record('restarted', actor.id);
      notify('restarted');
      return commit();
    },
    { validator: (actor) => guard('restart', actor) },
  );

  // ------------------------------------------------------------ the case in court (R4.6)
  //
  // Court filings run in a lane of their own beside the main loop, so that an e-court that is down
  // for hours delays neither messages nor documents. The lane starts with the first "Göndər" (or a
  // carried pending filing), so contracts that never go to court run exactly as before.

  /** Case numbers waiting for their order to be attached, in order; the one being attached now. */
  const courtQueue: string[] = [];
  let courtInFlight: string | undefined;
  let courtLaneRunning = false;
  const courtIdle = () => courtQueue.length === 0 && courtInFlight === undefined;

  function queueCourtFiling(caseNumber: string) {
    if (!courtQueue.includes(caseNumber)) courtQueue.push(caseNumber);
    if (courtLaneRunning) return;
    courtLaneRunning = true;
    void courtLane();
  }

  async function courtLane() {
    for (;;) {
      // The order must exist: wait for documents decided but not yet issued (a new contract, an amendment).
      await condition(() => courtQueue.length > 0 && state.issuedVersions.length > 0 && !effects.some((e) => e.kind === 'issueDocuments'));
      const caseNumber = courtQueue.shift()!;
      courtInFlight = caseNumber;
      try {
        await attachOrder(caseNumber);
      } finally {
        courtInFlight = undefined;
      }
    }
  }

  const latestIssue = () => state.issuedVersions[state.issuedVersions.length - 1];

  function protectedPartyOf(): { fin?: string; voen?: string; name: string } {
    const terms = state.terms!;
    if (terms.protectedPartyKind === 'legal') return { voen: terms.protectedEntity?.voen || undefined, name: terms.protectedEntity?.name ?? '' };
    const person = (terms.applicantIsProtectedParty === false ? terms.protectedPerson : terms.applicant) as NaturalPerson;
    return { fin: person.fin || undefined, name: displayName(person) };
  }

  async function attachOrder(caseNumber: string) {
    const filing = state.courtFilings?.find((f) => f.caseNumber === caseNumber);
    if (!filing || filing.status === 'failed') return;
    const issue = latestIssue();
    filing.status = 'pending';
    filing.orderNumber = issue.orderNumber;
    try {
      const joined = await joinCourtCase({
        contractId: state.contractId,
        caseNumber,
        version: issue.version,
        orderNumber: issue.orderNumber,
        lawyerId: state.lawyerId,
        protectedParty: protectedPartyOf(),
      });
      filing.attempts = joined.attempt;
      filing.joinedAt ??= joined.joinedAt;
      filing.courtName = joined.courtName;
      if (!filing.attachedOrders.includes(issue.orderNumber)) filing.attachedOrders.push(issue.orderNumber);
      filing.status = 'joined';
      record('court_joined', undefined, `${caseNumber} · ${issue.orderNumber}`);
      // An amendment issued a newer order while this one was on its way: attach that one too.
      if (latestIssue().orderNumber !== issue.orderNumber) {
        filing.status = 'pending';
        filing.orderNumber = latestIssue().orderNumber;
        queueCourtFiling(caseNumber);
      }
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      const refused = cause instanceof ApplicationFailure && (COURT_REFUSALS as readonly string[]).includes(cause.type ?? '');
      const attempt = cause instanceof ApplicationFailure ? (cause.details?.[0] as { attempt?: number } | undefined)?.attempt : undefined;
      filing.status = 'failed';
      filing.reasonCode = refused ? cause.type! : 'ECourtUnavailable';
      filing.reason = cause instanceof Error ? cause.message : 'E-court did not accept the filing.';
      filing.attempts = attempt ?? filing.attempts;
      record('court_filing_failed', undefined, caseNumber);
    }
    await commit();
  }

  setHandler(
    sendToCourt,
    async (actor, { caseNumber }) => {
      const number = normalizeCaseNumber(caseNumber);
      state.courtFilings ??= [];
      const earlier = state.courtFilings.find((f) => f.caseNumber === number);
      const filing: CourtFiling = {
        caseNumber: number,
        status: 'pending',
        orderNumber: latestIssue()?.orderNumber ?? '',
        attempts: 0,
        requestedAt: now(),
        requestedBy: actor.id,
        joinedAt: earlier?.joinedAt,
        courtName: earlier?.courtName,
        attachedOrders: earlier?.attachedOrders ?? [],
      };
      if (earlier) state.courtFilings[state.courtFilings.indexOf(earlier)] = filing; // a failed filing sent again
      else state.courtFilings.push(filing);
      record('court_filing_requested', actor.id, number);
      queueCourtFiling(number);
      return commit();
    },
    {
      validator: (actor, body) => {
        guard('sendToCourt', actor);
        const raw = body?.caseNumber;
        if (typeof raw !== 'string' || raw.trim() === '') {
          throw failure('InvalidInput', 'Enter the court case number.', [{ field: 'caseNumber', code: 'required', message: 'Enter the court case number.' }]);
        }
        if (!isPlausibleCaseNumber(raw)) {
          throw failure('InvalidInput', 'This does not look like a court case number.', [{ field: 'caseNumber', code: 'invalid', message: 'This does not look like a court case number.' }]);
        }
        const earlier = state.courtFilings?.find((f) => f.caseNumber === normalizeCaseNumber(raw));
        if (earlier && earlier.status !== 'failed') throw failure('NotAllowed', `The case ${earlier.caseNumber} was already sent to court.`);
      },
    },
  );

  // A run continued as new picks up the filings the last run had not finished.
  for (const filing of state.courtFilings ?? []) if (filing.status === 'pending') queueCourtFiling(filing.caseNumber);

  // ------------------------------------------------------------ the main loop: carry out effects

  if (!input.carriedState) await commit();

  for (;;) {
    const reminderDue = msUntilPaymentReminder(state);
    const wakeUp = () => effects.length > 0 || readModelStale || isFinal(state) || historyIsLong(state);
    const woken = reminderDue === undefined ? (await condition(wakeUp), true) : await condition(wakeUp, reminderDue);
    if (!woken) {
      state.paymentRemindersSent += 1;
      record('payment_reminder_sent');
      notify('payment_reminder');
      await commit();
      continue;
    }
    // The read model first: effects below read it and wait until it has their revision.
    if (readModelStale) {
      readModelStale = false;
      await recordContract(view(state));
    }
    while (effects.length > 0) {
      await carryOut(effects[0]);
      effects.shift();
    }
    if (isFinal(state) && effects.length === 0) {
      await condition(allHandlersFinished);
      // A finished contract still completes the court filings it started (R4.6).
      if (!courtIdle()) await condition(() => courtIdle() || effects.length > 0);
      if (effects.length === 0 && courtIdle()) return view(state);
    }
    if (historyIsLong(state) && effects.length === 0 && !stepInProgress) {
      await condition(allHandlersFinished);
      if (effects.length === 0) {
        await continueAsNew<typeof contractWorkflow>({ ...input, draft: {}, carriedState: state });
      }
    }
  }

  async function carryOut(effect: Effect) {
    switch (effect.kind) {
      case 'openApplicantCabinet': {
        const { accountId } = await openApplicantCabinet({ contractId: state.contractId, atRevision: effect.atRevision });
        state.applicantAccountId = accountId;
        await commit();
        return;
      }
      case 'notify':
        await queueNotifications({ contractId: state.contractId, event: effect.event, eventKey: effect.eventKey, atRevision: effect.atRevision });
        return;
      case 'issueDocuments': {
        const issued = await issueDocuments({
          contractId: state.contractId,
          contractNumber: state.contractNumber,
          version: effect.version,
          terms: state.terms!,
          lawyerId: state.lawyerId,
          bureauId: state.bureauId,
          issuedAt: effect.issuedAt,
        });
        state.issuedVersions.push(issued);
        record('order_issued', undefined, issued.orderNumber);
        // R4.6: an amended order is attached again to every court case the lawyer joined.
        for (const filing of state.courtFilings ?? []) {
          if (filing.status !== 'joined') continue;
          filing.status = 'pending';
          filing.orderNumber = issued.orderNumber;
          queueCourtFiling(filing.caseNumber);
        }
        await commit();
        return;
      }
    }
  }
}

function initialState(input: ContractWorkflowInput): ContractState {
  return {
    contractId: input.contractId,
    contractNumber: input.contractNumber,
    lawyerId: input.lawyerId,
    bureauId: input.bureauId,
    status: 'draft',
    draft: input.draft ?? {},
    approvedAsAlreadyPaid: false,
    payments: [],
    paidQepik: 0,
    issuedVersions: [],
    amendmentCount: 0,
    paymentRemindersSent: 0,
    history: [{ at: new Date().toISOString(), event: 'created', by: input.lawyerId }],
    revision: 0,
    timings: { ...DEFAULT_TIMINGS, ...input.timings },
  };
}

function isFinal(state: ContractState): boolean {
  return state.status === 'finished' || state.status === 'discarded';
}

function historyIsLong(state: ContractState): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= state.timings.historyEventLimit;
}

function currentVersion(state: ContractState): number {
  return state.issuedVersions.length === 0 ? 0 : state.issuedVersions[state.issuedVersions.length - 1].version;
}

function balanceDue(state: ContractState): number {
  if (!state.terms || state.approvedAsAlreadyPaid) return 0;
  return Math.max(0, state.terms.price.totalQepik - state.paidQepik);
}

function msUntilPaymentReminder(state: ContractState): number | undefined {
  if (state.status !== 'awaiting_payment' || !state.awaitingPaymentSince) return undefined;
  if (state.paymentRemindersSent >= state.timings.maxPaymentReminders) return undefined;
  const due = Date.parse(state.awaitingPaymentSince) + state.timings.paymentReminderAfterMs * (state.paymentRemindersSent + 1);
  return Math.max(1, due - Date.now());
}

export function view(state: ContractState): ContractView {
  return { ...state, balanceDueQepik: balanceDue(state), currentVersion: currentVersion(state) };
}

function failure(type: string, message: string, details?: unknown[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details, nonRetryable: true });
}

export type { ContractTerms };
