/**
 * R4.6: the case in court. Joins the contract's lawyer to an existing court case in the e-court
 * portal and attaches the order of one documents version. The PDF is read here from storage by the
 * version's key; it never travels in a workflow payload. Idempotent: the portal accepts the same
 * lawyer, case and order number again.
 */
import type { ContractVersionsTable, LawyersTable } from '../../platform/tables';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { CourtCaseNotFoundError, ECourtRejectedError, NotAPartyToCaseError, type ECourt } from '../../integrations/e-court/adapter';
import type { FileStorage } from '../../platform/file-storage';
import type { CodeParams } from '../../domain/shared/codes';
import type { CourtActivities, CourtRefusal, JoinCourtCaseInput, JoinCourtCaseResult } from '../contract/types';

export interface CourtActivityDeps {
  db: Knex;
  storage: FileStorage;
  eCourt: ECourt;
}

export function createCourtActivities(deps: CourtActivityDeps): CourtActivities {
  const { db, storage, eCourt } = deps;

  async function joinCourtCase(input: JoinCourtCaseInput): Promise<JoinCourtCaseResult> {
    const attempt = currentAttempt();
    const version = await db<ContractVersionsTable>('contract_versions')
      .where({ contract_id: input.contractId, version: input.version })
      .first('order_number', 'order_file');
    // Issue 13: the electronically signed copy when there is one, else the order as issued.
    const signed = await db('order_signatures')
      .where({ contract_id: input.contractId, version: input.version, status: 'signed' })
      .first<{ signed_file: string | null } | undefined>('signed_file');
    const pdf =
      (signed?.signed_file ? await storage.get(signed.signed_file) : undefined) ?? (version?.order_file ? await storage.get(version.order_file) : undefined);
    if (!pdf) {
      // The workflow asks only for issued versions; a missing file is a storage hiccup, so retry.
      throw ApplicationFailure.create({
        type: 'OrderNotStored',
        message: 'court_filing.order_not_stored',
        details: [{ contractId: input.contractId, version: input.version, attempt }],
      });
    }
    const lawyer = await db<LawyersTable>('lawyers').where({ id: input.lawyerId }).first('fin', 'license_number', 'first_name', 'last_name', 'patronymic');
    if (!lawyer)
      throw ApplicationFailure.create({
        type: 'ECourtRejected',
        message: 'court_filing.unknown_lawyer',
        nonRetryable: true,
        details: [{ lawyerId: input.lawyerId, attempt }],
      });
    try {
      const joined = await eCourt.joinCase({
        caseNumber: input.caseNumber,
        lawyer: {
          fin: lawyer.fin,
          licenseNumber: lawyer.license_number,
          name: [lawyer.last_name, lawyer.first_name, lawyer.patronymic].filter(Boolean).join(' '),
        },
        protectedParty: input.protectedParty,
        order: { number: version?.order_number ?? input.orderNumber, pdf },
      });
      return { ...joined, attempt };
    } catch (error) {
      const refusal = (type: CourtRefusal, code: string, params: CodeParams) =>
        ApplicationFailure.create({ type, message: code, nonRetryable: true, details: [{ ...params, attempt }], cause: error as Error });
      if (error instanceof CourtCaseNotFoundError) throw refusal('CourtCaseNotFound', 'court_filing.case_not_found', { caseNumber: input.caseNumber });
      if (error instanceof NotAPartyToCaseError)
        throw refusal('NotAPartyToCase', 'court_filing.not_a_party', { party: input.protectedParty.name, caseNumber: input.caseNumber });
      if (error instanceof ECourtRejectedError) throw refusal('ECourtRejected', 'court_filing.rejected', { detail: error.message });
      // Unavailable (down, slow, 5xx) and anything unexpected: retried with backoff by the workflow's policy.
      throw ApplicationFailure.create({
        type: 'ECourtUnavailable',
        message: 'court_filing.unavailable',
        details: [{ detail: error instanceof Error ? error.message : String(error), attempt }],
      });
    }
  }

  return { joinCourtCase };
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside an activity (a unit test)
  }
}
