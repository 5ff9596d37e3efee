/**
 * What the order prints about its signatures and the version it replaces (issue 13): the unsigned
 * copy says it is to be signed by hand; the electronically signed copy says by whom and when; a
 * later version names the order number it replaces. Azerbaijani, as the documents are.
 */
import { formatDate, formatTime } from '../domain/shared/dates';
import type { OrderDocumentData } from './types';

export interface OrderSignatureLines {
  versionLine: string;
  /** Present on the electronically signed copy only. */
  electronicSignature?: { lawyerLine: string };
  endNote: string;
}

export function orderSignatureLines(
  data: Pick<OrderDocumentData, 'version' | 'supersedesVersion' | 'supersedesOrderNumber' | 'electronicSignature' | 'lawyer'>,
): OrderSignatureLines {
  const replaces =
    data.supersedesVersion === undefined
      ? ''
      : data.supersedesOrderNumber
        ? ` — ${data.supersedesOrderNumber} nömrəli orderi əvəz edir`
        : ' — əvvəlki versiyanı əvəz edir';
  const versionLine = `Versiya ${data.version}${replaces}`;
  const signed = data.electronicSignature;
  if (!signed) {
    return { versionLine, endNote: 'Order Elektron Vəkil Kabinetində elektron qaydada yaradılmışdır və əl ilə imzalanmalıdır' };
  }
  const when = `${formatDate(signed.signedAt)} ${formatTime(signed.signedAt)}`;
  return {
    versionLine,
    electronicSignature: { lawyerLine: `Elektron imza ilə imzalanmışdır: ${signed.signerName}, ${when}` },
    endNote: `Order vəkil ${signed.signerName} tərəfindən ${when} tarixində mobil imza ilə elektron qaydada imzalanmışdır; imzanı yoxlamaq üçün QR kodu oxudun`,
  };
}
