/**
 * One run of a contract workflow: its state, the effects its steps decided, and the plumbing every
 * step shares (history, revision and read model, refusals). Continue-as-new starts a new run with
 * the state carried over.
 */
import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AfterWrite, NotificationEvent } from '../../activities/contract/types';
import { type Actor, type ContractAction, type ContractFacts, type ContractStatus, type FieldError, refusal } from '../../domain/contract';
import { balanceDueQepik } from '../../domain/contract/payments';
import type { CodeParams } from '../../domain/shared/codes';
import { failure, fieldError, invalidFields } from '../shared/failures';
import { writeReadModelNow } from '../shared/read-model';
import { CONTRACT_STATUS_KEY } from '../shared/search-attributes';
import { prepareContract, readModel } from './activities';
import type { ActionResult } from './messages';
import {
  type AgreedContractState,
  type ContractState,
  type ContractView,
  type ContractWorkflowInput,
  type DraftContractState,
  initialState,
  isAgreed,
} from './state';
import { Versions } from './versions';

const HISTORY_ENTRIES_KEPT = 200;

/** Marks the histories that prepare the contract at approval (issue 14). */
export const PREPARE_CONTRACT_PATCH = 'contract-prepared-at-approval';

/**
 * Marks the histories in which the approval's read-model write starts the contract's preparation
 * itself, from the view it writes (issue 14): no prepareContract activity, so three events and a
 * workflow task less, and no read of the view back. Histories before it schedule the activity.
 */
export const PREPARE_WITH_READ_MODEL_PATCH = 'contract-prepared-with-read-model';

/**
 * Marks the histories in which the notifications waiting for nothing else are queued by the
 * read-model write of the step that decided them, or of the document or cabinet they waited for
 * (issue 14): no activity of their own, three events and a workflow task less each. Histories
 * before it (no marker) queue every notification by queueNotifications.
 */
export const NOTICES_WITH_READ_MODEL_PATCH = 'notices-with-read-model';

/**
 * Marks the histories in which a payment that issues the order is written to the read model with
 * the order (issue 14): the payment's own write, a local activity the order's activity was
 * scheduled behind, is left out, so the order's activity starts one database write sooner. The
 * payment shows by itself only if the order takes longer than PAYMENT_SHOWN_WITHIN_MS.
 */
export const PAYMENT_WITH_ORDER_PATCH = 'payment-written-with-order';

/**
 * How long a payment may wait for its order before the read model shows it alone (issue 14): the
 * payer's page says "confirming" meanwhile and refreshes every 4 s; the lists show it unpaid.
 */
export const PAYMENT_SHOWN_WITHIN_MS = 3_000;

/**
 * Marks the histories in which a contract started with its first save (update-with-start, R4.1) is
 * written to the read model once, by that save, and its status is not upserted again (issue 14):
 * the start already set it. Before (no marker), the start wrote an empty draft beside the save's
 * write, and the save upserted "draft". A start whose first save is refused, or that has none,
 * still writes its empty draft.
 */
export const CREATED_WITH_FIRST_SAVE_PATCH = 'contract-created-with-first-save';

type NotifyEffect = { kind: 'notify'; event: NotificationEvent; eventKey: string; atRevision: number };

/** Work decided by a step and carried out after it, in order; atRevision is the step's own revision. */
export type Effect = { kind: 'openApplicantCabinet'; atRevision: number } | NotifyEffect | { kind: 'issueDocuments'; version: number; issuedAt: string };

export const now = () => new Date().toISOString();

export class ContractRun {
  state: ContractState;
  readonly effects: Effect[] = [];
  /** The effects being carried out now (workflows/contract/effects.ts); they stay in `effects` until done. */
  readonly underway = new Set<Effect>();
  /** Commits whose notifications went with their read-model write, not back yet. */
  private noticesInFlight = 0;
  /** A step that awaits an activity before it decides; other steps wait for it. */
  stepInProgress: string | undefined;
  readModelStale = false;
  /** The next commit is written with the order it decided (PAYMENT_WITH_ORDER_PATCH). */
  private writeWithOrder = false;
  /** A commit not written to the read model yet: the next commit writes it, or writeDeferredLater. */
  private readModelDeferred = false;
  private lastIndexedStatus: ContractStatus | undefined;

  /** Which changes of commands this history has (workflows/contract/versions.ts). */
  readonly versions = new Versions();
  /** A new contract's first commit writes it (CREATED_WITH_FIRST_SAVE_PATCH), so the start need not. */
  readonly firstCommitWrites: boolean;

  constructor(readonly input: ContractWorkflowInput) {
    this.state = input.carriedState ?? initialState(input);
    this.firstCommitWrites = !input.carriedState && this.versions.has(CREATED_WITH_FIRST_SAVE_PATCH);
    this.lastIndexedStatus = input.carriedState ? this.state.status : this.firstCommitWrites ? statusAtStart() : undefined;
  }

  /** The state of a contract whose terms are agreed; the steps' validators make sure it is one. */
  agreed(): AgreedContractState {
    const { state } = this;
    if (!isAgreed(state)) throw failure('NotAllowed', 'contract.terms_not_agreed', { status: state.status });
    return state;
  }

  /** The state of a draft; the steps' validators make sure it is one. */
  drafting(): DraftContractState {
    const { state } = this;
    if (isAgreed(state)) throw failure('NotAllowed', 'contract.not_draft', { status: state.status });
    return state;
  }

  view(): ContractView {
    return view(this.state);
  }

  facts(): ContractFacts {
    const { state } = this;
    return {
      status: state.status,
      lawyerId: state.lawyerId,
      bureauId: state.bureauId,
      applicantAccountId: state.applicantAccountId,
      amendmentStatus: state.amendment?.status,
      balanceDueQepik: balanceDue(state),
    };
  }

  record(event: string, by?: string, detail?: string, detailParams?: CodeParams): void {
    const { history } = this.state;
    history.push(detailParams ? { at: now(), event, by, detail, detailParams } : { at: now(), event, by, detail });
    if (history.length > HISTORY_ENTRIES_KEPT) history.splice(0, history.length - HISTORY_ENTRIES_KEPT);
  }

  /** Effects are decided before the step's commit, which will be revision + 1. */
  notify(event: NotificationEvent): void {
    const atRevision = this.state.revision + 1;
    this.effects.push({ kind: 'notify', event, eventKey: `${event}:${atRevision}`, atRevision });
  }

  /** The documents of the next version, numbered after the issues decided but not yet carried out. */
  issueNextVersion(): void {
    this.effects.push({ kind: 'issueDocuments', version: this.nextVersion(), issuedAt: now() });
  }

  /**
   * Issue 14, R4.2.1: the step that issues the order on payment is written to the read model with
   * the order, not before it (histories before PAYMENT_WITH_ORDER_PATCH: at once).
   */
  writeWithTheOrder(): void {
    if (this.versions.has(PAYMENT_WITH_ORDER_PATCH)) this.writeWithOrder = true;
  }

  private nextVersion(): number {
    return currentVersion(this.state) + this.effects.filter((e) => e.kind === 'issueDocuments').length + 1;
  }

  /**
   * Issue 14, R4.2: commits an approval and then has the contract of the coming version rendered in
   * the background (terms fixed, payment still to come), so that only the order is rendered on the
   * payment path. Nothing waits for it; the order's activity renders the contract itself when the
   * prepared copy is missing or would print otherwise. Since PREPARE_WITH_READ_MODEL_PATCH the
   * approval's read-model write starts it (not awaited, from the view it writes); before, the
   * prepareContract activity did, scheduled after the write; before PREPARE_CONTRACT_PATCH, nothing.
   */
  async commitApproval(): Promise<ActionResult> {
    if (this.versions.has(PREPARE_WITH_READ_MODEL_PATCH)) {
      return this.commit(undefined, { prepareContract: { version: this.nextVersion(), preparedAt: now() } });
    }
    const result = await this.commit();
    if (this.versions.has(PREPARE_CONTRACT_PATCH)) {
      prepareContract({ contractId: this.state.contractId, version: this.nextVersion(), atRevision: result.revision, preparedAt: now() }).catch(
        () => undefined,
      );
    }
    return result;
  }

  /**
   * After each change: a new revision, the operators' status, and the read model the UI lists.
   * `done` is the effect whose outcome this commit records (the documents, the applicant's cabinet):
   * the notifications waiting for it may go with this write.
   */
  async commit(done?: Effect, after?: AfterWrite): Promise<ActionResult> {
    const { state } = this;
    state.revision += 1;
    if (state.status !== this.lastIndexedStatus) {
      upsertSearchAttributes([{ key: CONTRACT_STATUS_KEY, value: state.status }]);
      this.lastIndexedStatus = state.status;
    }
    if (this.writeWithOrder && !done) {
      // Its order's commit writes it (every view holds the whole state), see writeWithTheOrder.
      this.writeWithOrder = false;
      this.readModelDeferred = true;
      void this.writeDeferredLater();
      return { status: state.status, revision: state.revision };
    }
    this.readModelDeferred = false;
    const notices = this.takeWaitingNotices(done);
    if (!notices) {
      await this.writeView(after);
      return { status: state.status, revision: state.revision };
    }
    this.noticesInFlight += 1;
    let left: 'notices_left' | undefined = 'notices_left';
    const written = await writeReadModelNow(async () => {
      left = await readModel.recordContractAndNotify(
        view(state),
        notices.map(({ event, eventKey }) => ({ event, eventKey })),
        ...(after ? [after] : []),
      );
    });
    this.noticesInFlight -= 1;
    if (!written) this.readModelStale = true;
    // Not queued: they go first (everything else in `effects` now was decided after them) by their own activity.
    if (!written || left) this.effects.unshift(...notices);
    return { status: state.status, revision: state.revision };
  }

  /** A state left unwritten for its order (commit), written after PAYMENT_SHOWN_WITHIN_MS unless a commit wrote it first. */
  private async writeDeferredLater(): Promise<void> {
    if (await condition(() => !this.readModelDeferred, PAYMENT_SHOWN_WITHIN_MS)) return;
    await this.writeDeferredNow();
  }

  /** Writes a state left unwritten for its order (commit) now; nothing when none is. */
  async writeDeferredNow(): Promise<void> {
    if (!this.readModelDeferred) return;
    this.readModelDeferred = false;
    await this.writeView();
  }

  /** The state to the read model by the local activity; if that fails, the main loop writes it (readModelStale). */
  private async writeView(after?: AfterWrite): Promise<void> {
    if (!(await writeReadModelNow(() => readModel.recordContract(view(this.state), ...(after ? [after] : []))))) this.readModelStale = true;
  }

  /**
   * The notifications waiting in `effects`, taken out to be queued with this commit's read-model
   * write: only when nothing else waits (besides `done`) and none is being queued already, so the
   * order of messages holds: none goes before the document or the applicant's cabinet decided
   * before it, none overtakes an earlier one.
   */
  private takeWaitingNotices(done: Effect | undefined): NotifyEffect[] | undefined {
    const { effects } = this;
    if (this.noticesInFlight > 0) return undefined;
    const waiting = (e: Effect): e is NotifyEffect => e.kind === 'notify' && !this.underway.has(e);
    const notices = effects.filter((e) => e !== done);
    if (notices.length === 0 || !notices.every(waiting)) return undefined;
    if (!this.versions.has(NOTICES_WITH_READ_MODEL_PATCH)) return undefined;
    for (const notice of notices) effects.splice(effects.indexOf(notice), 1);
    return notices;
  }

  /** Refuses a step (in its validator) that another step, the actor or the status does not allow. */
  guard(action: ContractAction, actor: Actor): void {
    if (this.stepInProgress) throw failure('Busy', 'contract.busy', { step: this.stepInProgress });
    const refused = refusal(action, actor, this.facts());
    if (refused === undefined) return;
    throw failure(refused.code === 'contract.not_yours' ? 'NotYours' : 'NotAllowed', refused.code, refused.params ?? {});
  }

  /** Runs a step that awaits an activity: no other step starts until it has decided. */
  async exclusively<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.stepInProgress = name;
    try {
      return await body();
    } finally {
      this.stepInProgress = undefined;
    }
  }

  isFinal(): boolean {
    return this.state.status === 'finished' || this.state.status === 'discarded';
  }

  historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= this.state.timings.historyEventLimit;
  }

  /** When the next payment reminder is due, in ms; undefined when none is (R4.3). */
  msUntilPaymentReminder(): number | undefined {
    const { state } = this;
    if (state.status !== 'awaiting_payment' || !state.awaitingPaymentSince) return undefined;
    if (state.paymentRemindersSent >= state.timings.maxPaymentReminders) return undefined;
    const due = Date.parse(state.awaitingPaymentSince) + state.timings.paymentReminderAfterMs * (state.paymentRemindersSent + 1);
    return Math.max(1, due - Date.now());
  }
}

/** The status the gateway set when it started the workflow, if it set one. */
function statusAtStart(): ContractStatus | undefined {
  return workflowInfo().typedSearchAttributes.get(CONTRACT_STATUS_KEY) as ContractStatus | undefined;
}

export function requireValid(errors: FieldError[]): void {
  if (errors.length > 0) throw invalidFields(errors);
}

/** R4.2.3, R4.4.3, R4.7: rejecting, declining and terminating need a reason. */
export function requireReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim() === '') throw invalidFields([fieldError('reason', 'contract.reason_required')]);
}

export function currentVersion(state: ContractState): number {
  return state.issuedVersions.length === 0 ? 0 : state.issuedVersions[state.issuedVersions.length - 1].version;
}

function balanceDue(state: ContractState): number {
  return balanceDueQepik({ status: state.status, price: state.terms?.price, paidQepik: state.paidQepik, approvedAsAlreadyPaid: state.approvedAsAlreadyPaid });
}

export function view(state: ContractState): ContractView {
  return { ...state, balanceDueQepik: balanceDue(state), currentVersion: currentVersion(state) };
}
