/**
 * The payment reminder never goes to someone who has paid (R4.3, issue 10 item 1). The contract's
 * workflow queues a reminder while the contract awaits payment; the outbox may send it later (the
 * dispatcher was down, the mail server slow), and by then the payer may have paid. So at send time,
 * just before the dispatcher claims its batch, a reminder still pending is withdrawn (status
 * `withdrawn`, never sent) when its contract no longer awaits payment, or when the agent already
 * reported the payment of what is due now as paid (the money is on its way to the contract).
 */
import type { Knex } from 'knex';
import { PaymentState } from '../../integrations/payment-agent/protocol';

export const WITHDRAWN_REMINDER_NOTE = 'Withdrawn before sending: the contract was paid (issue 10 item 1).';

/** Withdraws the pending payment reminders of contracts that were paid; returns how many. */
export async function withdrawPaidReminders(db: Knex): Promise<number> {
  const result = await db.raw<{ rowCount: number }>(
    `UPDATE outbox o
        SET status = 'withdrawn', last_error = ?, lease_expires_at = NULL
       FROM contracts c
      WHERE o.status = 'pending'
        AND o.contract_id = c.id
        AND o.dedupe_key LIKE o.contract_id || ':payment_reminder:%'
        AND (c.status <> 'awaiting_payment'
             OR EXISTS (SELECT 1 FROM payment_requests p
                         WHERE p.contract_id = c.id AND p.kind = 'contract'
                           AND p.external_id = c.id || '.contract.' || coalesce(c.view ->> 'paidQepik', '0')
                           AND p.state IN (?, ?)))`,
    [WITHDRAWN_REMINDER_NOTE, PaymentState.Paid, PaymentState.Delivered],
  );
  return result.rowCount ?? 0;
}
