/** What the payment reconciliation's workflow and activity exchange (issue 10 item 1); plain data, no personal data. */

export interface ReconcileInput {
  /** A report stored less than this long ago is left to the request that stores it (it is being told right now). */
  graceMs?: number;
  /** Payment requests asked of the agent per turn, newest first. */
  limit?: number;
  /** Payment requests older than this are no longer asked about (the agent has expired them long since). */
  maxAgeMs?: number;
}

export interface ReconcileResult {
  /** Stored reports told again to their contract. */
  redelivered: number;
  /** Open payment requests the agent was asked about. */
  asked: number;
  /** Of those, the ones the agent reported a change of (settled with source `reconcile`). */
  settled: number;
  /** Open requests and unapplied reports left after this turn (the reconciliation backlog). */
  backlog: number;
  /** The agent could not be asked (down, slow): the rest waits for the next turn. */
  agentUnavailable: boolean;
}

export interface PaymentReconcilerInput extends ReconcileInput {
  /** Pause between turns; config.paymentReconcileIntervalMs (EVK_PAYMENT_RECONCILE_INTERVAL_MS). */
  intervalMs?: number;
  /** Turns per run before it continues as new. */
  continueAsNewEvery?: number;
}

export interface PaymentActivities {
  reconcilePayments(input: ReconcileInput): Promise<ReconcileResult>;
}
