/** The JSON bodies of the register's API (issue 11), checked by zod and published in the OpenAPI document. */
import { z } from 'zod';
import '../http/schemas';

const text = (max: number) => z.string().max(max);

export const lawyerEntrySchema = z
  .object({
    fin: text(20),
    mobileSignatureUserId: text(20),
    licenseNumber: text(80),
    lastName: text(200),
    firstName: text(200),
    patronymic: text(200).default(''),
    bureauId: text(200).describe('a bureau ID, or "__individual__" for a bureau of one'),
    isHead: z.boolean().default(false),
    practisingSince: text(20).default('').describe('YYYY-MM-DD or empty'),
    phone: text(40).default(''),
    email: text(254).default(''),
  })
  .openapi('RegisterLawyer');

export const bureauEntrySchema = z
  .object({
    name: text(300),
    address: text(400),
    agentContractNumber: text(100).default(''),
    agentContractValidFrom: text(20).default('').describe('YYYY-MM-DD'),
    agentContractValidTo: text(20).default('').describe('YYYY-MM-DD, empty when open-ended'),
    headId: text(200).optional().describe('a member who becomes the head'),
  })
  .openapi('RegisterBureau');

export const importUploadSchema = z
  .object({
    name: text(300).optional(),
    data: z.string().max(350_000).describe('the CSV or XLSX file, base64 (its kind is told by its content)'),
  })
  .openapi('RegisterImport');
